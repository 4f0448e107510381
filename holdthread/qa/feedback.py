"""Agents' feedback per rule: findings shown, false alarms, useful marks, overrides, and what to change.

A finding counts once however often it was shown (an agent re-saving a draft sees the same
finding again, with the same id). A finding's latest "Not right?" or "useful" mark decides which
it counts as; an override ("Save anyway") is counted apart. The false-alarm rate is the share of
the rule's findings that agents marked "Not right?": a floor, since most agents mark nothing.

A rule whose rate is above the policy's ``feedback.max_false_alarm_rate`` (with at least
``feedback.min_findings`` findings) is named with the policy change that would quiet it: narrower
targets when its false alarms sit on some kinds of note and not on others, else one severity
lower.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from holdthread.linter.policy import FeedbackSettings, Policy

LOWER = {"error": "warning", "warning": "info", "info": "off"}
MARKS = ("false_alarm", "useful")


@dataclass
class RuleFeedback:
    """What agents said about one rule's findings."""

    findings: set[str] = field(default_factory=set)
    marks: dict[str, str] = field(default_factory=dict)
    overridden: set[str] = field(default_factory=set)
    kinds: dict[str, str] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    @property
    def false_alarms(self) -> int:
        return sum(1 for mark in self.marks.values() if mark == "false_alarm")

    @property
    def useful(self) -> int:
        return sum(1 for mark in self.marks.values() if mark == "useful")

    @property
    def rate(self) -> float | None:
        return self.false_alarms / len(self.findings) if self.findings else None

    def rate_by_kind(self) -> dict[str, tuple[int, int]]:
        """Per kind of note: (findings, false alarms)."""
        counts: dict[str, list[int]] = {}
        for finding_id in self.findings:
            entry = counts.setdefault(self.kinds.get(finding_id, ""), [0, 0])
            entry[0] += 1
            entry[1] += self.marks.get(finding_id) == "false_alarm"
        return {kind: (total, false) for kind, (total, false) in sorted(counts.items())}

    def as_json(self) -> dict[str, Any]:
        rate = self.rate
        return {
            "findings": len(self.findings),
            "false_alarms": self.false_alarms,
            "useful": self.useful,
            "overrides": len(self.overridden),
            "false_alarm_rate": None if rate is None else round(rate, 4),
        }


def tally(shown: Iterable[Mapping[str, Any]], feedback: Iterable[Mapping[str, Any]]) -> dict[str, RuleFeedback]:
    """Per rule, from the store's rows (both oldest first)."""
    rules: dict[str, RuleFeedback] = {}
    for row in shown:
        rule = rules.setdefault(row["rule"], RuleFeedback())
        rule.findings.add(row["finding_id"])
        rule.kinds[row["finding_id"]] = row["kind"]
    for row in feedback:
        rule = rules.setdefault(row["rule"], RuleFeedback())
        rule.findings.add(row["finding_id"])  # shown before the period, judged in it
        rule.kinds.setdefault(row["finding_id"], row["kind"])
        if row["verdict"] in MARKS:
            rule.marks[row["finding_id"]] = row["verdict"]
        elif row["verdict"] == "override":
            rule.overridden.add(row["finding_id"])
        if row.get("reason"):
            rule.reasons.append(str(row["reason"]))
    return dict(sorted(rules.items()))


@dataclass(frozen=True)
class Quieter:
    """A policy change that would quiet a noisy rule, as YAML under ``rules:``, and why."""

    rule: str
    change: dict[str, Any]
    why: str

    def yaml(self) -> str:
        lines = [f"  {self.rule}:"]
        for key, value in self.change.items():
            shown = "{kinds: [" + ", ".join(value["kinds"]) + "]}" if key == "targets" else value
            lines.append(f"    {key}: {shown}")
        return "rules:\n" + "\n".join(lines) + "\n"


def quieter(rule: str, feedback: RuleFeedback, policy: Policy, limit: float) -> Quieter:
    """Narrower targets when the false alarms sit on some kinds of note only; else one severity lower."""
    by_kind = feedback.rate_by_kind()
    calm = [kind for kind, (total, false) in by_kind.items() if kind not in ("", "ticket") and false <= limit * total]
    noisy = [kind for kind, (total, false) in by_kind.items() if false > limit * total]
    if calm and noisy:
        return Quieter(
            rule,
            {"targets": {"kinds": calm}},
            f"its false alarms are on {', '.join(noisy)} notes; on {', '.join(calm)} it is right",
        )
    config = policy.rules.get(rule)
    severity = config.severity if config is not None else "warning"
    lower = LOWER.get(severity, "off")
    return Quieter(rule, {"severity": lower}, f"agents mark it wrong on every kind of note; {severity} -> {lower}")


def report(rules: Mapping[str, RuleFeedback], policy: Policy, settings: FeedbackSettings) -> dict[str, Any]:
    """The JSON report: per rule counts, and the rules to quiet with the change for each."""
    noisy = []
    for rule, feedback in rules.items():
        rate = feedback.rate
        judged = len(feedback.findings) >= settings.min_findings
        if rate is not None and rate > settings.max_false_alarm_rate and judged:
            change = quieter(rule, feedback, policy, settings.max_false_alarm_rate)
            noisy.append(
                {
                    "rule": rule,
                    "false_alarm_rate": round(rate, 4),
                    "change": change.change,
                    "policy_yaml": change.yaml(),
                    "why": change.why,
                }
            )
    return {
        "rules": {rule: feedback.as_json() for rule, feedback in rules.items()},
        "max_false_alarm_rate": settings.max_false_alarm_rate,
        "min_findings": settings.min_findings,
        "noisy": noisy,
    }
