"""Verdicts and QA scores, from annotations and the policy's rubric.

The score works like a QA scorecard: each rule is a category that costs its weight once when it
fires on a ticket (a second vague phrase does not cost twice), a critical rule zeroes the score,
and the pass mark turns the percentage into a pass/fail that QA tools import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from holdthread.linter.models import Annotation, Verdict
from holdthread.linter.policy import Scoring


def verdict_for(annotations: Iterable[Annotation]) -> Verdict:
    """``block`` on any error, ``warn`` on any warning, else ``pass`` (info never blocks)."""
    severities = {a.severity for a in annotations}
    if "error" in severities:
        return "block"
    if "warning" in severities:
        return "warn"
    return "pass"


def rule_weight(rule_id: str, severity: str, scoring: Scoring) -> int:
    """Points a rule costs: its explicit weight, else the default for its severity."""
    if rule_id in scoring.weights:
        return scoring.weights[rule_id]
    defaults: dict[str, int] = {str(level): weight for level, weight in scoring.default_weights.items()}
    return defaults.get(severity, 0)


def score_for(annotations: Iterable[Annotation], scoring: Scoring) -> int:
    """0-100: 100 minus the weight of each distinct rule that fired; 0 if a critical rule fired."""
    return score_fired({a.rule: a.severity for a in annotations}, scoring)


def score_fired(fired: Mapping[str, str], scoring: Scoring) -> int:
    """The score of a ticket on which these rules fired (rule id -> severity)."""
    if any(rule_id in scoring.critical for rule_id in fired):
        return 0
    lost = sum(rule_weight(rule_id, severity, scoring) for rule_id, severity in fired.items())
    return max(0, min(100, 100 - lost))


def passed(score: int, scoring: Scoring) -> bool:
    return score >= scoring.pass_mark
