"""QA score files: what ``scores.csv`` and ``findings.csv`` hold, shared by ``audit`` and ``scores``.

Shaped for QA tools (Zendesk QA, MaestroQA) and spreadsheets, so that an import mapping set up
once keeps working whatever the policy does:

- ``scores.csv`` has one row per ticket and author of a linted comment, with fixed columns
  (:data:`SCORE_COLUMNS`): the percentage maps onto a "Handoff quality" category, ``result`` is
  pass/fail against the policy's pass mark, ``findings`` says how many findings cost the points.
- ``findings.csv`` is long format (:data:`FINDING_COLUMNS`), one row per finding: which rule,
  on which comment, charged to whom. A new rule adds rows, never columns.

Every CSV holdthread writes goes through :func:`write_csv_rows`, the one place that turns cells
into CSV text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO
from urllib.parse import quote

SCORE_COLUMNS = (
    "ticket_id",
    "ticket_url",
    "agent",
    "team",
    "created_at",
    "category",
    "score",
    "result",
    "verdict",
    "findings",
)
FINDING_COLUMNS = ("ticket_id", "comment_id", "agent", "rule", "severity", "message")
CATEGORY = "Handoff quality"

Cell = str | int


@dataclass(frozen=True)
class ScoreRow:
    """One ticket's QA score for one author: what that author's comments on it are charged."""

    ticket_id: str
    ticket_url: str
    agent: str
    team: str
    created_at: str
    score: int
    passed: bool
    verdict: str
    findings: int

    def cells(self) -> list[Cell]:
        return [
            self.ticket_id,
            self.ticket_url,
            self.agent,
            self.team,
            self.created_at,
            CATEGORY,
            self.score,
            "pass" if self.passed else "fail",
            self.verdict,
            self.findings,
        ]


@dataclass(frozen=True)
class FindingRow:
    """One finding, charged to the author of the comment it is on (empty for a ticket-level finding)."""

    ticket_id: str
    comment_id: str
    agent: str
    rule: str
    severity: str
    message: str

    def cells(self) -> list[Cell]:
        return [self.ticket_id, self.comment_id, self.agent, self.rule, self.severity, self.message]


def ticket_link(template: str | None, ticket_id: str) -> str:
    """The ticket's address in the helpdesk from the policy's ``ticket_url``; empty without one."""
    if not template:
        return ""
    return template.format(id=quote(ticket_id, safe=""))


def write_csv_rows(stream: TextIO, rows: Iterable[Sequence[Cell]]) -> int:
    """Write rows of cells as CSV; the one writer every holdthread CSV goes through."""
    writer = csv.writer(stream, lineterminator="\n")
    written = 0
    for row in rows:
        writer.writerow(row)
        written += 1
    return written


def write_scores_csv(rows: Iterable[ScoreRow], stream: TextIO, *, header: bool = True) -> int:
    """Write ``scores.csv`` rows (and the header line); returns the number of score rows."""
    if header:
        write_csv_rows(stream, [SCORE_COLUMNS])
    return write_csv_rows(stream, (row.cells() for row in rows))


def write_findings_csv(rows: Iterable[FindingRow], stream: TextIO, *, header: bool = True) -> int:
    """Write ``findings.csv`` rows (and the header line); returns the number of finding rows."""
    if header:
        write_csv_rows(stream, [FINDING_COLUMNS])
    return write_csv_rows(stream, (row.cells() for row in rows))
