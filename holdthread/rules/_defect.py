"""Is this ticket about a technical defect? One answer for every defect-only rule.

missing-repro-steps and missing-expected-actual both read only bug escalations; they must agree on
what a bug is, so the decision lives here: the policy's ``ticket_kind`` settings first (the
ticket's type or tags), then, when those say neither, the words of the note and the thread.
"""

from __future__ import annotations

from holdthread.linter.policy import TicketKind
from holdthread.linter.rule import RuleContext
from holdthread.rules._shared import PhraseSet, load_data, make_doc


class DefectClassifier:
    """Decides whether a ticket is a technical defect; build once per rule (matchers build here)."""

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
        doc = context.doc if context.doc is not None else make_doc(context.text)
        defect_hits = self.defect_words.count(doc)
        other_hits = self.other_words.count(doc)
        if defect_hits == other_hits == 0:
            recent = " ".join(context.thread_text(c) for c in context.thread[-6:])
            thread = make_doc(recent + " " + context.ticket.subject)
            defect_hits = self.defect_words.count(thread)
            other_hits = self.other_words.count(thread)
        return defect_hits > other_hits
