"""What ``holdthread audit`` wrote, read back the way a calibration needs it.

- ``summary.json``: the scoring rubric the audit used (so a calibration re-scores the same way)
  and where its policy came from;
- ``findings.jsonl``: each ticket's score and the rules that fired on it (ticket-level view);
- ``scores.csv`` and ``findings.csv``: each author's score on each ticket and the rules charged to
  them (per-agent view).

Only the numbers are read, never note text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from holdthread.linter.errors import HoldthreadError
from holdthread.linter.policy import Scoring

#: Severities from the least to the most serious: the one kept when a rule fired at several.
_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass
class Scored:
    """One ticket (or one author on a ticket): holdthread's score and the rules that cost it points."""

    score: int
    fired: dict[str, str] = field(default_factory=dict)

    def fire(self, rule: str, severity: str) -> None:
        if _RANK.get(severity, 0) >= _RANK.get(self.fired.get(rule, "info"), 0):
            self.fired[rule] = severity


@dataclass
class AuditResults:
    """An audit's scores per ticket and per (ticket, agent), and the rubric they came from."""

    directory: Path
    scoring: Scoring
    policy_sources: list[str]
    tickets: dict[str, Scored] = field(default_factory=dict)
    authors: dict[tuple[str, str], Scored] = field(default_factory=dict)


def _missing(path: Path) -> HoldthreadError:
    return HoldthreadError(
        f"{path} is missing; give the --out folder of a finished `holdthread audit` (run the audit again if it "
        "was written by an older holdthread)"
    )


def _csv(path: Path) -> Iterator[dict[str, str]]:
    if not path.is_file():
        raise _missing(path)
    with path.open(encoding="utf-8", newline="") as stream:
        yield from csv.DictReader(stream)


def _summary(directory: Path) -> dict[str, Any]:
    path = directory / "summary.json"
    if not path.is_file():
        raise _missing(path)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        recorded = isinstance(data["policy"]["scoring"], dict)  # audits written before attribution lack it
    except (ValueError, KeyError, TypeError):
        recorded = False
    if not recorded:
        raise HoldthreadError(f"{path} does not record the scoring rubric; run the audit again with this holdthread")
    return data


def read_audit(directory: Path) -> AuditResults:
    """The results of the audit written to ``directory``."""
    summary = _summary(directory)
    policy = summary["policy"]
    results = AuditResults(directory, Scoring.model_validate(policy["scoring"]), list(policy.get("sources", [])))
    findings = directory / "findings.jsonl"
    if not findings.is_file():
        raise _missing(findings)
    where = findings
    try:
        with findings.open(encoding="utf-8") as stream:
            for number, line in enumerate(stream, start=1):
                where = findings.with_name(f"{findings.name}:{number}")
                if not line.strip():
                    continue
                report = json.loads(line)
                ticket = results.tickets.setdefault(str(report["ticket_id"]), Scored(int(report["score"])))
                for annotation in report["annotations"]:
                    ticket.fire(annotation["rule"], annotation["severity"])
        where = directory / "scores.csv"
        for row in _csv(where):
            results.authors[row["ticket_id"], row["agent"]] = Scored(int(row["score"]))
        ticket_level: dict[str, list[tuple[str, str]]] = {}
        where = directory / "findings.csv"
        for row in _csv(where):
            author = results.authors.get((row["ticket_id"], row["agent"]))
            if author is not None and row["agent"]:
                author.fire(row["rule"], row["severity"])
            elif not row["agent"]:
                ticket_level.setdefault(row["ticket_id"], []).append((row["rule"], row["severity"]))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, csv.Error) as exc:
        raise HoldthreadError(
            f"{where} is not what `holdthread audit` writes ({type(exc).__name__}: {exc}); run the audit again"
        ) from None
    if results.scoring.ticket_findings == "involved":
        for (ticket_id, _agent), author in results.authors.items():
            for rule, severity in ticket_level.get(ticket_id, []):
                author.fire(rule, severity)
    return results
