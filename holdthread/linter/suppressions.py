"""Inline suppressions: ``holdthread: ignore[rule-id] reason``, written in the note itself.

Like ruff's ``# noqa`` with RUF100, a suppression must earn its place: it needs a reason, it must
name rules that exist, and one that silences nothing is reported (rule ``invalid-suppression``),
so stale markers do not pile up in macros and notes.

A marker silences the rules it names in the whole note it is written in (a note is short, and
the marker often sits at its end, where an agent signs off), never in other notes of the ticket.
The engine applies markers after every rule has run, because whether a marker is used depends
on what the other rules found; the ``invalid-suppression`` rule class only carries the id,
documentation and policy settings of what is reported here.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from holdthread.linter.models import Annotation, Severity
from holdthread.linter.rule import Target
from holdthread.linter.text import LineIndex

META_RULE = "invalid-suppression"
#: ``holdthread: ignore[a, b] reason`` (a colon or ``reason:`` before the reason is fine too).
_MARKER = re.compile(r"holdthread:[ \t]?ignore\[([^\]\n]{0,200})\][ \t]*([^\n]{0,500})", re.IGNORECASE)
_REASON_PREFIX = re.compile(r"^(?:reason\s*[:=]|[-:—–])\s*", re.IGNORECASE)
FIX = "Write `holdthread: ignore[rule-id] why this finding is fine here`, or remove the marker."


@dataclass(frozen=True)
class Suppression:
    """One marker: where it is, the rule ids it names and the reason given."""

    start: int
    end: int
    rules: tuple[str, ...]
    reason: str

    def silences(self, rule_id: str) -> bool:
        """Only a marker with a reason silences anything, and never ``invalid-suppression``."""
        return bool(self.reason) and rule_id in self.rules and rule_id != META_RULE


def find_suppressions(text: str) -> list[Suppression]:
    """Every marker in ``text``, including broken ones (no rule, no reason), in order."""
    found = []
    for match in _MARKER.finditer(text):
        rules = tuple(dict.fromkeys(r.strip().lower() for r in match.group(1).split(",") if r.strip()))
        reason = _REASON_PREFIX.sub("", match.group(2).strip()).strip()
        found.append(Suppression(match.start(), match.end(), rules, reason))
    return found


def apply_suppressions(
    annotations: list[Annotation],
    target: Target,
    *,
    ran: Collection[str],
    known: Collection[str],
    report_as: Severity | None,
) -> list[Annotation]:
    """The annotations no reasoned marker silences, plus one for each wrong or unused marker.

    ``ran`` are the rules that read this note, ``known`` every rule id there is, and
    ``report_as`` the policy's severity for ``invalid-suppression`` on this note (``None`` when
    it is off or does not target this note: markers still apply, nothing is reported).
    Findings inside a marker's own text (its reason) are dropped: the marker is not the note.
    """
    if "holdthread:" not in target.text.lower():
        return annotations
    suppressions = find_suppressions(target.text)
    if not suppressions:
        return annotations
    kept: list[Annotation] = []
    used: set[tuple[int, str]] = set()
    for annotation in annotations:
        if any(s.start <= annotation.start and annotation.end <= s.end for s in suppressions):
            continue
        silencing = [s for s in suppressions if s.silences(annotation.rule)]
        for s in silencing:
            used.add((s.start, annotation.rule))
        if not silencing:
            kept.append(annotation)
    if report_as is None:
        return kept
    index = LineIndex(target.text)
    for s in suppressions:
        for problem in _problems(s, used, ran, known):
            line, column = index.position(s.start)
            kept.append(Annotation(
                rule=META_RULE, severity=report_as, message=problem,
                comment_id=target.comment_id, start=s.start, end=s.end, line=line, column=column,
                text=target.text[s.start:s.end], suggestion=FIX,
            ))
    return kept


def _problems(
    s: Suppression, used: set[tuple[int, str]], ran: Collection[str], known: Collection[str]
) -> Iterator[str]:
    """What is wrong with one marker, each as a message for the agent or QA lead."""
    if not s.rules:
        yield "This suppression names no rule, so it silences nothing: put the rule id in the brackets."
        return
    if not s.reason:
        yield (f"This suppression of {', '.join(s.rules)} has no reason, so it silences nothing: "
               "say after the brackets why the finding is fine here.")
    for rule_id in s.rules:
        if rule_id == META_RULE:
            yield f"{META_RULE} cannot be suppressed: fix or remove the marker it reports instead."
        elif rule_id not in known:
            near = difflib.get_close_matches(rule_id, list(known), n=1)
            hint = f" Did you mean {near[0]!r}?" if near else " `holdthread rules` lists them."
            yield f"This suppression names unknown rule {rule_id!r}, so it silences nothing.{hint}"
        elif not s.reason:
            continue  # already reported: without a reason it silences nothing
        elif rule_id not in ran:
            yield (f"This suppression names {rule_id}, which does not check this note (it is off in the policy, "
                   "or targets other notes), so it silences nothing.")
        elif (s.start, rule_id) not in used:
            yield f"This suppression silences nothing: {rule_id} found no problem in this note any more."
