"""Bounded aggregates of an audit: what ``summary.json``, the terminal table and the report show.

Nothing here grows with the number of tickets: counters per rule, verdict and rejection reason,
sums per team, agent and ISO week, a 101-slot score histogram and a heap of the worst tickets.
The whole state is plain JSON so the checkpoint can carry it across a resumed run.
"""

from __future__ import annotations

import heapq
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from holdthread.linter.models import CheckRequest
from holdthread.linter.text import plain_text
from holdthread.qa.attribution import Attribution

WORST_TICKETS = 20
#: Characters of context kept around a highlighted span in the worst-ticket list.
CONTEXT_CHARS = 120
MAX_SPAN_CHARS = 400
MAX_REASON_KINDS = 50
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\d[\d,.]*")


@dataclass
class Group:
    """Tickets, score sum and passes of one team, agent or week.

    A team's or agent's figures come from the score rows charged to them (one per ticket they
    wrote on); a week's from the tickets' own scores.
    """

    tickets: int = 0
    score_sum: int = 0
    passed: int = 0
    findings: int = 0

    def add(self, score: int, passed: bool, findings: int) -> None:
        self.tickets += 1
        self.score_sum += score
        self.passed += int(passed)
        self.findings += findings

    def as_json(self) -> dict[str, Any]:
        mean = round(self.score_sum / self.tickets, 1) if self.tickets else None
        rate = round(self.passed / self.tickets, 4) if self.tickets else None
        return {"tickets": self.tickets, "mean_score": mean, "pass_rate": rate, "findings": self.findings}


def iso_week(created_at: str) -> str:
    """``2026-W23`` for an ISO timestamp; ``unknown`` without one."""
    if not created_at:
        return "unknown"
    try:
        year, week, _ = datetime.fromisoformat(created_at).isocalendar()
    except ValueError:
        return "unknown"
    return f"{year}-W{week:02d}"


def worst_entry(line: str, texts: dict[str | None, str], attribution: Attribution) -> dict[str, Any]:
    """A worst-ticket entry: who wrote on it, each annotation with a window of its comment's text."""
    report = json.loads(line)
    spans = []
    charged = [finding.agent for finding in attribution.findings]
    for index, annotation in enumerate(report["annotations"]):
        text = texts.get(annotation["comment_id"], "")
        start, end = annotation["start"], min(annotation["end"], annotation["start"] + MAX_SPAN_CHARS)
        spans.append(
            {
                "rule": annotation["rule"],
                "severity": annotation["severity"],
                "message": annotation["message"],
                "comment_id": annotation["comment_id"],
                "agent": charged[index] if index < len(charged) else "",
                "before": text[max(0, start - CONTEXT_CHARS) : start],
                "text": text[start:end],
                "after": text[end : end + CONTEXT_CHARS],
            }
        )
    ticket = attribution.ticket
    return {
        "ticket_id": ticket.ticket_id,
        "ticket_url": ticket.ticket_url,
        "score": ticket.score,
        "verdict": ticket.verdict,
        "authors": [{"agent": row.agent, "team": row.team, "score": row.score} for row in attribution.authors],
        "created_at": ticket.created_at,
        "annotations": spans,
    }


@dataclass
class Summary:
    """Running totals of an audit."""

    read: int = 0
    linted: int = 0
    rejected: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    rule_findings: Counter[str] = field(default_factory=Counter)
    rule_tickets: Counter[str] = field(default_factory=Counter)
    verdicts: Counter[str] = field(default_factory=Counter)
    passed: int = 0
    histogram: list[int] = field(default_factory=lambda: [0] * 101)
    teams: dict[str, Group] = field(default_factory=dict)
    agents: dict[str, Group] = field(default_factory=dict)
    weeks: dict[str, Group] = field(default_factory=dict)
    rejected_reasons: Counter[str] = field(default_factory=Counter)
    #: What was repaired so records could be linted (comments sorted by time, ...), by kind.
    warnings: Counter[str] = field(default_factory=Counter)
    #: (-score, -position, entry): the heap's smallest item is the best of the kept worst.
    worst: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)

    def add_linted(self, attribution: Attribution) -> None:
        ticket = attribution.ticket
        self.read += 1
        self.linted += 1
        self.verdicts[ticket.verdict] += 1
        self.passed += int(ticket.passed)
        self.histogram[max(0, min(100, ticket.score))] += 1
        for rule_id, count in ticket.counts.items():
            self.rule_findings[rule_id] += count
            self.rule_tickets[rule_id] += 1
        findings = sum(ticket.counts.values())
        self.weeks.setdefault(iso_week(ticket.created_at), Group()).add(ticket.score, ticket.passed, findings)
        for row in attribution.authors:
            for groups, name in ((self.teams, row.team or "(no team)"), (self.agents, row.agent or "(no agent)")):
                groups.setdefault(name, Group()).add(row.score, row.passed, row.findings)

    def add_rejected(self, reason: str) -> None:
        self.read += 1
        self.rejected += 1
        self.rejected_reasons[reason_kind(reason, self.rejected_reasons)] += 1

    def add_warnings(self, warnings: tuple[str, ...]) -> None:
        for warning in warnings:
            self.warnings[warning] += 1

    def wants_worst(self, score: int, position: int) -> bool:
        """Whether a ticket with this score would enter the worst-tickets list."""
        return len(self.worst) < WORST_TICKETS or (-score, -position) > self.worst[0][:2]

    def add_worst(self, score: int, position: int, entry: dict[str, Any]) -> None:
        item = (-score, -position, entry)
        if len(self.worst) < WORST_TICKETS:
            heapq.heappush(self.worst, item)
        else:
            heapq.heappushpop(self.worst, item)

    def worst_tickets(self) -> list[dict[str, Any]]:
        """Lowest score first; equal scores in input order."""
        return [entry for _, _, entry in sorted(self.worst, key=lambda item: (-item[0], -item[1]))]

    # --- persistence (checkpoint) and output -------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        groups = {name: {k: vars(g) for k, g in getattr(self, name).items()} for name in ("teams", "agents", "weeks")}
        return {
            "read": self.read,
            "linted": self.linted,
            "rejected": self.rejected,
            "cache_hits": self.cache_hits,
            "cache_misses": self.cache_misses,
            "rule_findings": dict(self.rule_findings),
            "rule_tickets": dict(self.rule_tickets),
            "verdicts": dict(self.verdicts),
            "passed": self.passed,
            "histogram": self.histogram,
            "rejected_reasons": dict(self.rejected_reasons),
            "warnings": dict(self.warnings),
            "worst": [list(item) for item in self.worst],
            **groups,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Summary:
        summary = cls(
            read=data["read"],
            linted=data["linted"],
            rejected=data["rejected"],
            cache_hits=data["cache_hits"],
            cache_misses=data["cache_misses"],
            rule_findings=Counter(data["rule_findings"]),
            rule_tickets=Counter(data["rule_tickets"]),
            verdicts=Counter(data["verdicts"]),
            passed=data["passed"],
            histogram=list(data["histogram"]),
            rejected_reasons=Counter(data["rejected_reasons"]),
            warnings=Counter(data.get("warnings", {})),
            worst=[(item[0], item[1], item[2]) for item in data["worst"]],
        )
        for name in ("teams", "agents", "weeks"):
            setattr(summary, name, {k: Group(**v) for k, v in data[name].items()})
        heapq.heapify(summary.worst)
        return summary

    def as_json(self, rule_ids: list[str]) -> dict[str, Any]:
        """``summary.json``: counts, per rule, per team and agent, weekly trend, verdicts."""
        scores = sum(score * n for score, n in enumerate(self.histogram))
        return {
            "counts": {"read": self.read, "linted": self.linted, "rejected": self.rejected},
            "cache": {"hits": self.cache_hits, "misses": self.cache_misses},
            "verdicts": {v: self.verdicts.get(v, 0) for v in ("pass", "warn", "block")},
            "score": {
                "mean": round(scores / self.linted, 1) if self.linted else None,
                "pass_rate": round(self.passed / self.linted, 4) if self.linted else None,
                "histogram": {f"{low}-{high}": sum(self.histogram[low : high + 1]) for low, high in score_bins()},
            },
            "rules": {
                rid: {"findings": self.rule_findings.get(rid, 0), "tickets": self.rule_tickets.get(rid, 0)}
                for rid in sorted(set(rule_ids) | set(self.rule_findings))
            },
            "teams": {k: g.as_json() for k, g in sorted(self.teams.items())},
            "agents": {k: g.as_json() for k, g in sorted(self.agents.items())},
            "weekly": {k: g.as_json() for k, g in sorted(self.weeks.items())},
            "rejected_reasons": dict(self.rejected_reasons.most_common()),
            "warnings": dict(self.warnings.most_common()),
        }


def comment_texts(request: CheckRequest) -> dict[str | None, str]:
    """Plain texts by comment id (``None``: the draft, else the subject a ticket rule annotates)."""
    texts: dict[str | None, str] = {c.id: plain_text(c.body) for c in request.ticket.comments}
    texts[None] = plain_text(request.draft.body) if request.draft is not None else request.ticket.subject
    return texts


def score_bins() -> list[tuple[int, int]]:
    """Ten score buckets: 0-9, 10-19, ..., 80-89, 90-100."""
    return [(low, low + 9 if low < 90 else 100) for low in range(0, 100, 10)]


def reason_kind(reason: str, known: Counter[str]) -> str:
    """A rejection reason without its ids, numbers and quotes, so similar reasons count together."""
    kind = _QUOTED.sub("…", reason)
    kind = _NUMBER.sub("N", kind).split(";")[0][:100]
    if kind not in known and len(known) >= MAX_REASON_KINDS:
        return "other"
    return kind
