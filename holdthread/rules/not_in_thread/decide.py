"""The decision for one fact: stated, contradicted (with the customer's value) or never stated.

A fact the thread states is fine. One it does not state is *contradicted* when a customer message
gives another value of the same kind for the same thing: the same unit or noun ("$3" against the
note's "$5", "3 phones" against "2 phones"), the same product line ("Xbox One" against "Xbox 360"),
the same software ("InDesign 13.0"), a code of the same shape ("DL4047" against "DL4074"), or any
time or day against a time or day. Otherwise it is *unstated*. The customer's most similar value
wins, and among equals the latest (a correction comes after what it corrects).
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from weakref import WeakKeyDictionary

from holdthread.linter.models import Comment
from holdthread.linter.rule import RuleContext
from holdthread.rules.not_in_thread.facts import Fact, FactReader
from holdthread.text import ParsedNote


@dataclass(frozen=True)
class Rival:
    """The customer's value that contradicts a note's fact, and where it is."""

    comment: Comment
    fact: Fact


def _same_thing(note_fact: Fact, thread_fact: Fact) -> bool:
    if note_fact.kind != thread_fact.kind or note_fact.unit != thread_fact.unit:
        return False
    if note_fact.unit == "code":
        a, b = (sum(c.isdigit() for c in f.text) for f in (note_fact, thread_fact))
        return abs(a - b) <= 1 and _similarity(note_fact, thread_fact) >= 0.5
    if (note_fact.unit or "").startswith("short:"):
        return True  # the same letters and as many digits: "B43" against "B44"
    if note_fact.unit == "path":
        return False  # a path names one file; another path is not its other value
    if note_fact.kind == "date":
        return {c.type for c in note_fact.claims} == {c.type for c in thread_fact.claims}
    return note_fact.unit is not None


def _similarity(a: Fact, b: Fact) -> float:
    return SequenceMatcher(None, a.text.lower(), b.text.lower()).ratio()


#: The facts of each earlier message, by kind, kept while its parse lives (one ticket): every
#: note of the ticket that needs them reads them once.
_THREAD_FACTS: WeakKeyDictionary[ParsedNote, dict[str, list[Fact]]] = WeakKeyDictionary()


def thread_facts(note: ParsedNote, kind: str) -> list[Fact]:
    """The facts of one kind in an earlier message of the thread (its times read as typed)."""
    by_kind = _THREAD_FACTS.setdefault(note, {})
    if kind not in by_kind:
        by_kind[kind] = FactReader(note, as_typed=True).facts((kind,))
    return by_kind[kind]


#: How many of the customer's latest values of one kind and unit are weighed against a note's
#: fact (bounded, so that a thread of thousands of values costs the same per fact).
CANDIDATES = 20


class RivalFinder:
    """Finds the customer's value that contradicts a note's fact; reads the customer's messages'
    facts once, and only when a fact is not stated."""

    def __init__(self, context: RuleContext, comments: list[Comment]) -> None:
        self.context = context
        self.comments = comments
        #: The customer's facts by kind and unit, read for one kind when a fact of it is not stated.
        self._index: dict[tuple[str, str | None], list[tuple[int, Comment, Fact]]] = {}
        self._read: set[str] = set()

    def _candidates(self, fact: Fact) -> list[tuple[int, Comment, Fact]]:
        if fact.kind not in self._read:
            self._read.add(fact.kind)
            for order, comment in enumerate(self.comments):
                for found in thread_facts(self.context.thread_note(comment), fact.kind):
                    self._index.setdefault((found.kind, found.unit), []).append((order, comment, found))
        return self._index.get((fact.kind, fact.unit), [])[-CANDIDATES:]

    def rival(self, fact: Fact) -> Rival | None:
        best: tuple[float, int] | None = None
        found: Rival | None = None
        for order, comment, candidate in self._candidates(fact):
            if candidate.text.lower() == fact.text.lower() or not _same_thing(fact, candidate):
                continue
            key = (_similarity(fact, candidate), order)
            if best is None or key >= best:
                best, found = key, Rival(comment, candidate)
        return found
