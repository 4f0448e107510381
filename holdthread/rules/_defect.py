"""Is this ticket about a technical defect? One answer for every defect-only rule.

missing-repro-steps and missing-expected-actual both read only bug escalations; they must agree on
what a bug is, so the decision lives here: the policy's ``ticket_kind`` settings first (the
ticket's type or tags), then, when those say neither, the words of the note and the thread.
"""

from __future__ import annotations

from typing import ClassVar

from spacy.tokens import Doc

from holdthread.linter.policy import TicketKind
from holdthread.linter.rule import RuleContext
from holdthread.rules._shared import PhraseSet, load_data, make_doc


class DefectClassifier:
    """Decides whether a ticket is a technical defect; build once per rule (matchers build here)."""

    #: The last note's Doc and its counts (word lists are the same data for every instance).
    _last: ClassVar[tuple[Doc, int, int] | None] = None

    def __init__(self, kind: TicketKind) -> None:
        self.kind = kind
        self.defect_values = {v.lower() for v in kind.defect}
        self.other_values = {v.lower() for v in kind.other}
        words = load_data("ticket_kinds")
        self.defect_words = PhraseSet({"defect": words["defect"]})
        self.other_words = PhraseSet({"other": words["other"]})

    def is_defect(self, context: RuleContext) -> bool:
        """Whether the ticket is about a technical defect, per the policy and then content."""
        kind = self.kind
        values = [context.ticket.type or ""] if kind.field == "type" else context.ticket.tags
        values = [v.lower() for v in values if v]
        if any(v in self.defect_values for v in values):
            return True
        if any(v in self.other_values for v in values):
            return False
        if not kind.content_fallback:
            return False
        defect_hits, other_hits = self._counts(context)
        if defect_hits == other_hits == 0:
            recent = " ".join(context.thread_text(c) for c in context.thread[-6:])
            thread = make_doc(recent + " " + context.ticket.subject)
            defect_hits = self.defect_words.count(thread)
            other_hits = self.other_words.count(thread)
        return defect_hits > other_hits

    def _counts(self, context: RuleContext) -> tuple[int, int]:
        """Defect and other words in the note. Rules of one note share its Doc, so the last
        answer is kept: the second defect-only rule on the same note gets it for free."""
        doc = context.doc if context.doc is not None else make_doc(context.text)
        last = DefectClassifier._last
        if last is not None and last[0] is doc:
            return last[1], last[2]
        counts = (self.defect_words.count(doc), self.other_words.count(doc))
        DefectClassifier._last = (doc, *counts)
        return counts
