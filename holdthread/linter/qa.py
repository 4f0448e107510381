"""QA score rows: what ``scores.csv`` holds, shared by ``audit`` and ``scores`` (live traffic).

Shaped for QA tools (Zendesk QA / Klaus, MaestroQA): one row per ticket, a percentage that maps
onto a "Documentation" or "Handoff quality" category, and a pass/fail against the policy's
pass mark, plus the finding count of every rule so a reviewer can see what cost the points.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from holdthread.linter.models import Report, Ticket
from holdthread.linter.policy import Scoring
from holdthread.linter.scoring import passed

BASE_COLUMNS = ("ticket_id", "agent", "team", "created_at", "category", "score", "result", "verdict")
CATEGORY = "Handoff quality"
#: First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula
#: (OWASP, "CSV Injection"): ``=HYPERLINK(...)`` as an agent's name would run when a QA lead
#: opens scores.csv.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text, never evaluates.

    OWASP's advice: a text cell starting with a formula character gets a leading single quote,
    which spreadsheets take as "this is text" and do not display. (Quoting every text cell and
    doubling double quotes, the rest of the advice, is :func:`write_scores_csv`'s writer.)
    Numbers, and text that is only a number such as a ticket id ``-12``, are left as they are.
    Every CSV holdthread writes goes through this, cell by cell.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


@dataclass(frozen=True)
class ScoreRow:
    """One ticket's QA score, with who is accountable for it."""

    ticket_id: str
    agent: str
    team: str
    created_at: str
    score: int
    passed: bool
    verdict: str
    counts: dict[str, int]

    @classmethod
    def from_report(
        cls,
        report: Report,
        ticket: Ticket | None,
        scoring: Scoring,
        *,
        agent: str | None = None,
        team: str | None = None,
        created_at: datetime | None = None,
    ) -> ScoreRow:
        """A row from a report; agent and team default to the ticket's assignee and group."""
        if ticket is not None:
            agent = agent or (ticket.assignee.name or ticket.assignee.id if ticket.assignee else None)
            team = team or ticket.group
            first_comment = next((c.created_at for c in ticket.comments if c.created_at), None)
            created_at = created_at or ticket.created_at or first_comment
        return cls(
            ticket_id=report.ticket_id,
            agent=agent or "",
            team=team or "",
            created_at=created_at.isoformat() if created_at else "",
            score=report.score,
            passed=passed(report.score, scoring),
            verdict=report.verdict,
            counts=report.counts(),
        )


def columns(rule_ids: Sequence[str]) -> list[str]:
    return [*BASE_COLUMNS, *(f"count:{rule_id}" for rule_id in sorted(rule_ids))]


def write_scores_csv(rows: Iterable[ScoreRow], stream: TextIO, rule_ids: Sequence[str]) -> int:
    """Write ``scores.csv``; every active rule gets a count column, even when it never fired."""
    header = columns(rule_ids)
    # Every text cell quoted (OWASP's advice): a carriage return inside a name can then never
    # split a row, as it did with minimal quoting and "\n" line ends.
    writer = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([spreadsheet_safe(cell) for cell in header])  # rule ids from a policy are text too
    written = 0
    for row in rows:
        cells = [
            row.ticket_id,
            row.agent,
            row.team,
            row.created_at,
            CATEGORY,
            row.score,
            "pass" if row.passed else "fail",
            row.verdict,
            *(row.counts.get(rule_id, 0) for rule_id in sorted(rule_ids)),
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
        written += 1
    return written
