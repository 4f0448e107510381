"""Is this ticket about a technical defect? One answer for both defect-only rules.

missing-repro-steps and missing-expected-actual read only bug escalations; they must agree on what
a bug is, so the decision lives here (missing-expected-actual imports it): the policy's
``ticket_kind`` settings first (the ticket's type or tags), then, when those say neither, the
words of the note (:attr:`ParsedNote.topic_words`, counted once per note whichever rule asks
first) and, when the note has none, of the recent thread and the subject.
"""

from __future__ import annotations

from holdthread.linter.policy import TicketKind
from holdthread.linter.rule import RuleContext
from holdthread.text.phrases import make_doc
from holdthread.text.topics import topic_words

#: How many of the latest thread comments the word count falls back to.
RECENT_COMMENTS = 6


class DefectClassifier:
    """Decides whether a ticket is a technical defect, per the policy and then its words."""

    def __init__(self, kind: TicketKind) -> None:
        self.kind = kind
        self.defect_values = {v.lower() for v in kind.defect}
        self.other_values = {v.lower() for v in kind.other}

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
        words = context.note.topic_words
        if words.defect == words.other == 0:
            recent = " ".join(context.thread_text(c) for c in context.thread[-RECENT_COMMENTS:])
            words = topic_words(make_doc(recent + " " + context.ticket.subject))
        return words.defect > words.other
