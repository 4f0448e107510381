"""holdthread's verdicts against the team's human graders: ``calibration.json``.

Each human review is compared with holdthread's result for the same ticket: per agent when the
export names agents (the reviewee's score row in ``scores.csv``), else per ticket (the ticket's
score in ``findings.jsonl``). holdthread passes a ticket when its score is at or above the pass
mark the audit used. Reviews of tickets the audit did not lint, agents with no linted comment on
the ticket, and audited tickets no one reviewed are listed, never silently dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from holdthread.qa.agreement import Confusion
from holdthread.qa.audit_results import AuditResults, Scored
from holdthread.qa.human import HumanExport, Review

CompareBy = Literal["ticket", "agent"]


@dataclass(frozen=True)
class Comparison:
    """A human review next to holdthread's result for the same ticket (and agent)."""

    review: Review
    agent: str
    scored: Scored
    holdthread_passed: bool


@dataclass
class Calibration:
    """Every comparison, and what could not be compared."""

    by: CompareBy
    pass_mark: int
    human_pass_mark: float
    comparisons: list[Comparison] = field(default_factory=list)
    not_in_audit: list[tuple[Review, str]] = field(default_factory=list)
    not_reviewed: list[str] = field(default_factory=list)
    unreadable: list[tuple[int, str]] = field(default_factory=list)

    @property
    def confusion(self) -> Confusion:
        return confusion_of(self.comparisons)

    def reviewers(self) -> dict[str, Confusion]:
        groups: dict[str, list[Comparison]] = {}
        for comparison in self.comparisons:
            groups.setdefault(comparison.review.reviewer or "(no reviewer)", []).append(comparison)
        return {name: confusion_of(group) for name, group in sorted(groups.items())}

    def rules(self) -> dict[str, dict[str, Any]]:
        """Per rule: on how many human-failed and human-passed comparisons it fired."""
        failed = [c for c in self.comparisons if not c.review.passed]
        passed = [c for c in self.comparisons if c.review.passed]
        on_failed = Counter(rule for c in failed for rule in c.scored.fired)
        on_passed = Counter(rule for c in passed for rule in c.scored.fired)
        return {
            rule: {
                "fired_on_failed": on_failed[rule],
                "failed": len(failed),
                "rate_on_failed": round(on_failed[rule] / len(failed), 4) if failed else None,
                "fired_on_passed": on_passed[rule],
                "passed": len(passed),
                "rate_on_passed": round(on_passed[rule] / len(passed), 4) if passed else None,
            }
            for rule in sorted(set(on_failed) | set(on_passed))
        }

    def as_json(self) -> dict[str, Any]:
        confusion = self.confusion.as_json()
        return {
            "compared_by": self.by,
            "tickets": len({c.review.ticket_id for c in self.comparisons}),
            "comparisons": confusion["comparisons"],
            "agreement": confusion["agreement"],
            "kappa": confusion["kappa"],
            "confusion": confusion["confusion"],
            "pass_mark": self.pass_mark,
            "human_pass_mark": self.human_pass_mark,
            "reviewers": {name: group.as_json() for name, group in self.reviewers().items()},
            "rules": self.rules(),
            "disagreements": [
                {
                    "ticket_id": c.review.ticket_id,
                    "agent": c.agent,
                    "reviewer": c.review.reviewer,
                    "human": "pass" if c.review.passed else "fail",
                    "holdthread": "pass" if c.holdthread_passed else "fail",
                    "score": c.scored.score,
                    "rules": sorted(c.scored.fired),
                }
                for c in self.comparisons
                if c.review.passed != c.holdthread_passed
            ],
            "missing": {
                "not_in_audit": [
                    {"ticket_id": r.ticket_id, "agent": r.agent, "line": r.line, "why": why}
                    for r, why in self.not_in_audit
                ],
                "not_reviewed": self.not_reviewed,
            },
            "unreadable": [{"line": line, "why": why} for line, why in self.unreadable],
        }


def confusion_of(comparisons: Iterable[Comparison]) -> Confusion:
    return Confusion.of((c.review.passed, c.holdthread_passed) for c in comparisons)


def _agent_index(results: AuditResults) -> dict[str, dict[str, str]]:
    """Per ticket: each author's name as scores.csv writes it, by its case-folded form."""
    index: dict[str, dict[str, str]] = {}
    for ticket_id, agent in results.authors:
        if agent:
            index.setdefault(ticket_id, {})[agent.casefold()] = agent
    return index


def _match(review: Review, names: dict[str, str]) -> str | None:
    return next((names[a.casefold()] for a in review.agents if a.casefold() in names), None)


def calibrate(
    results: AuditResults, export: HumanExport, *, human_pass_mark: float, by: CompareBy | None = None
) -> Calibration:
    """Compare every readable review with the audit's result; per agent when the export names agents."""
    mode: CompareBy = by or ("agent" if export.has_agents else "ticket")
    pass_mark = results.scoring.pass_mark
    calibration = Calibration(mode, pass_mark, human_pass_mark, unreadable=list(export.problems))
    index = _agent_index(results) if mode == "agent" else {}
    reviewed: set[str] = set()
    for review in export.reviews:
        reviewed.add(review.ticket_id)
        if review.ticket_id not in results.tickets:
            calibration.not_in_audit.append((review, "the audit did not lint this ticket"))
            continue
        scored, agent = results.tickets[review.ticket_id], ""
        if mode == "agent":
            if not review.agents:
                calibration.not_in_audit.append((review, "the review names no agent"))
                continue
            matched = _match(review, index.get(review.ticket_id, {}))
            if matched is None:
                why = "this agent wrote no linted comment on the ticket (or is named differently in the export)"
                calibration.not_in_audit.append((review, why))
                continue
            scored, agent = results.authors[review.ticket_id, matched], matched
        calibration.comparisons.append(Comparison(review, agent, scored, scored.score >= pass_mark))
    calibration.not_reviewed = [ticket_id for ticket_id in results.tickets if ticket_id not in reviewed]
    return calibration


def labelled(comparisons: Sequence[Comparison]) -> list[tuple[dict[str, str], bool]]:
    """What a re-scoring needs from each comparison: the rules that fired and the human verdict."""
    return [(c.scored.fired, c.review.passed) for c in comparisons]
