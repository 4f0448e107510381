"""Inline suppressions: ``holdthread: ignore[rule-id] reason``, written in the note itself.

Like ruff's ``# noqa`` with RUF100, a suppression must earn its place: it needs a reason, it must
name rules that exist, and one that silences nothing is reported (rule ``invalid-suppression``),
so stale markers do not pile up in macros and notes.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from holdthread.linter.models import Annotation
from holdthread.linter.rule import Target
from holdthread.linter.text import LineIndex

META_RULE = "invalid-suppression"
_MARKER = re.compile(r"holdthread:\s?ignore\[([^\]\n]{0,200})\][ \t]*([^\n]{0,500})", re.IGNORECASE)


@dataclass(frozen=True)
class Suppression:
    start: int
    end: int
    rules: tuple[str, ...]
    reason: str


def find_suppressions(text: str) -> list[Suppression]:
    found = []
    for match in _MARKER.finditer(text):
        rules = tuple(r.strip() for r in match.group(1).split(",") if r.strip())
        reason = match.group(2).strip().removeprefix("reason=").removeprefix("reason:").strip(" -:—")
        found.append(Suppression(match.start(), match.end(), rules, reason))
    return found


def apply_suppressions(
    annotations: list[Annotation], target: Target, active: Collection[str], known: Mapping[str, object]
) -> list[Annotation]:
    """Drop annotations a reasoned marker silences; report markers that are wrong or unused."""
    if "holdthread:" not in target.text.lower():
        return annotations
    suppressions = find_suppressions(target.text)
    if not suppressions:
        return annotations
    kept: list[Annotation] = []
    used: set[tuple[int, str]] = set()
    for annotation in annotations:
        silenced = False
        for s in suppressions:
            if s.reason and annotation.rule in s.rules and annotation.rule != META_RULE:
                used.add((s.start, annotation.rule))
                silenced = True
        if not silenced:
            kept.append(annotation)
    if META_RULE not in active:
        return kept
    index = LineIndex(target.text)
    for s in suppressions:
        problems = []
        if not s.rules:
            problems.append("names no rule: write `holdthread: ignore[rule-id] reason`")
        if not s.reason:
            problems.append("has no reason, so it silences nothing: add why after the brackets")
        for rule_id in s.rules:
            if rule_id not in known:
                problems.append(f"names unknown rule {rule_id!r}")
            elif s.reason and (s.start, rule_id) not in used:
                problems.append(f"silences nothing: {rule_id} found no problem here")
        for problem in problems:
            line, column = index.position(s.start)
            kept.append(Annotation(
                rule=META_RULE, severity="warning", message=f"This suppression {problem}.",
                comment_id=target.comment_id, start=s.start, end=s.end, line=line, column=column,
                text=target.text[s.start:s.end],
                suggestion="Remove the marker, or fix it: `holdthread: ignore[rule-id] the reason`.",
            ))
    return kept
