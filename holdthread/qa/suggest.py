"""Scoring changes that agree better with the human graders, shown as a policy diff, never applied.

The search re-scores the compared tickets under changed rubrics: the pass mark (0 to 100) and
each rule's weight (from :data:`WEIGHTS`). Each step takes the one change that wins the most
agreements, and the search stops when no change wins at least 1% of the comparisons (at least
one), so it does not chase a single odd review. Critical rules stay critical.

The result is fitted to these reviews: check it on the next sample before trusting it.
"""

from __future__ import annotations

import difflib
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from holdthread.linter.policy import Scoring
from holdthread.linter.scoring import rule_weight, score_fired
from holdthread.qa.agreement import Confusion

WEIGHTS = (0, 3, 5, 10, 15, 20, 25, 30, 40, 50, 75, 100)
MAX_STEPS = 8
Labelled = Sequence[tuple[dict[str, str], bool]]


@dataclass(frozen=True)
class Suggestion:
    """A proposed rubric and what it changes, with the agreement before and after."""

    proposed: Scoring
    changes: dict[str, tuple[int, int]]
    before: Confusion
    after: Confusion

    def as_json(self) -> dict[str, Any]:
        return {
            "changes": {key: {"from": old, "to": new} for key, (old, new) in self.changes.items()},
            "before": self.before.as_json(),
            "after": self.after.as_json(),
        }


def confusion_under(items: Labelled, scoring: Scoring) -> Confusion:
    return Confusion.of((human, score_fired(fired, scoring) >= scoring.pass_mark) for fired, human in items)


def _rank(confusion: Confusion) -> tuple[int, float]:
    return confusion.both_pass + confusion.both_fail, confusion.kappa or 0.0


def _candidates(scoring: Scoring, severities: dict[str, str]) -> list[Scoring]:
    """Every one-step change, the most targeted first (ties go to the first): a rule's weight, nearest
    first, before the pass mark, nearest first, which moves every ticket at once."""
    found = []
    for rule, severity in sorted(severities.items()):
        current = rule_weight(rule, severity, scoring)
        for weight in sorted(WEIGHTS, key=lambda w: abs(w - current)):
            if weight != current:
                found.append(scoring.model_copy(update={"weights": {**scoring.weights, rule: weight}}))
    marks = sorted(range(101), key=lambda mark: abs(mark - scoring.pass_mark))
    found += [scoring.model_copy(update={"pass_mark": mark}) for mark in marks if mark != scoring.pass_mark]
    return found


def suggest(items: Labelled, scoring: Scoring) -> Suggestion | None:
    """The best rubric a greedy search finds, or None when no change wins enough agreements."""
    severities = {
        rule: severity for fired, _ in items for rule, severity in fired.items() if rule not in scoring.critical
    }
    before = current = confusion_under(items, scoring)
    best = scoring
    needed = max(1, math.ceil(0.01 * len(items)))
    for _ in range(MAX_STEPS):
        ranked = [(_rank(confusion_under(items, c)), index, c) for index, c in enumerate(_candidates(best, severities))]
        if not ranked:
            break
        (wins, _kappa), _, candidate = max(ranked, key=lambda item: (item[0], -item[1]))
        if wins - _rank(current)[0] < needed:
            break
        best, current = candidate, confusion_under(items, candidate)
    if best == scoring:
        return None
    changes: dict[str, tuple[int, int]] = {}
    if best.pass_mark != scoring.pass_mark:
        changes["pass_mark"] = (scoring.pass_mark, best.pass_mark)
    for rule, severity in sorted(severities.items()):
        old, new = rule_weight(rule, severity, scoring), rule_weight(rule, severity, best)
        if old != new:
            changes[f"weights.{rule}"] = (old, new)
    return Suggestion(best, changes, before, current)


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def policy_diff(source: str | None, suggestion: Suggestion) -> str:
    """A unified diff of the policy file (or of a new one extending the preset) with the changes."""
    preset = source[len("<preset ") : -1] if source and source.startswith("<preset ") else None
    path = Path(source) if source and preset is None and not source.startswith("<") else None
    yaml = _yaml()
    if path is not None and path.is_file():
        original = path.read_text(encoding="utf-8")
        data = yaml.load(original) or CommentedMap()
        name = str(path)
    else:
        original = ""
        data = CommentedMap([("extends", preset or "recommended")])
        name = "holdthread.yaml"
    scoring = data.setdefault("scoring", CommentedMap())
    for key, (_old, new) in suggestion.changes.items():
        if key == "pass_mark":
            scoring["pass_mark"] = new
        else:
            scoring.setdefault("weights", CommentedMap())[key.removeprefix("weights.")] = new
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return "".join(
        difflib.unified_diff(
            original.splitlines(keepends=True),
            buffer.getvalue().splitlines(keepends=True),
            fromfile=f"a/{name}" if original else "/dev/null",
            tofile=f"b/{name}",
        )
    )
