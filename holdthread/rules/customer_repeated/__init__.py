"""customer-repeated: the customer had to restate the same problem in later messages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import Field

from holdthread.linter.history import HANDOFF_EVENTS, classify, utc
from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Comment, Evidence
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets
from holdthread.rules.customer_repeated.restatements import (
    CUE,
    best_sentence,
    content_words,
    overlap,
    own_words,
    signature_lines,
    without_lines,
)


@dataclass(frozen=True)
class Restatement:
    comment: Comment
    start: int
    end: int
    similarity: float
    after_handoff: bool


class CustomerRepeatedOptions(Options):
    min_restatements: int = Field(
        default=2, ge=1, description="Fire when the customer restated the problem this many times."
    )
    similarity: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="Overlap of content words (shared / smaller message) that makes a later message a restatement; "
        'a cue such as "as I already said" lowers it by 40%.',
    )
    min_shared_words: int = Field(
        default=4, ge=1, description="Content words a restatement must share with an earlier message."
    )
    after_handoff_only: bool = Field(default=False, description="Only count restatements made after a handoff.")


class CustomerRepeated(Rule[CustomerRepeatedOptions]):
    id = "customer-repeated"
    summary = "The customer restated the same problem in two or more later messages (the thread was lost)."
    default_severity = "warning"
    needs = frozenset()
    scope = "ticket"
    targets = Targets(authors=["agent", "customer", "system", "bot"])
    Options = CustomerRepeatedOptions
    doc = """
        ## What it does
        Compares each of the customer's messages with their earlier ones and fires when the
        customer restated the same problem in at least `min_restatements` later messages. A
        later message is a restatement when it shares at least `min_shared_words` content
        words with an earlier customer message and the overlap (shared words over the
        smaller message's words) reaches `similarity`; a cue such as "as I already said",
        "again" or "for the third time" lowers the bar. Content words leave out stop words and
        chat filler ("hi", "thanks", "still"). The evidence is the sentence of each restatement
        that overlaps most, and the message says how many came after a handoff.

        ## Why it matters
        A customer who explains the problem again is a customer whose context was lost, most
        often at a handoff: the new owner did not read (or was not given) the thread. It is the
        strongest predictor of a bad satisfaction score that a transcript shows.

        ## Example
        ```text
        Customer: Invoice export to CSV hangs at 90% and then fails with E1042 for March.
        (handoff to Tier 2)
        Customer: As I said, the CSV invoice export hangs at 90% and fails with E1042, March.
        (handoff to Billing)
        Customer: Again: exporting March invoices to CSV fails with error E1042 at 90%.
        ```

        ## Use instead
        ```text
        Tier 2 (internal): Summary for Billing: March invoice CSV export hangs at 90%, E1042,
        HAR attached, customer already tried Chrome and Firefox. Owner: @billing-oncall.
        ```

        ## How to fix
        Write handoff notes that carry the problem statement, what was tried and what the
        customer already gave, and read the thread before replying after a transfer. Use
        `after_handoff_only: true` to count only the restatements that follow a handoff.
    """

    def check(self, context: RuleContext) -> Iterator[Finding]:
        options = self.options
        restatements = self.restatements(context, options)
        if options.after_handoff_only:
            restatements = [r for r in restatements if r.after_handoff]
        if len(restatements) < options.min_restatements:
            return
        after = sum(r.after_handoff for r in restatements)
        handoff_note = f", {after} of them after a handoff" if after else ""
        yield Finding(
            0,
            len(context.text),
            f"The customer restated the same problem {len(restatements)} times{handoff_note}.",
            "Carry the problem statement, what was tried and what the customer gave in every handoff note, "
            "and read the thread before replying after a transfer.",
            [
                Evidence(
                    comment_id=r.comment.id,
                    start=r.start,
                    end=r.end,
                    text=context.thread_text(r.comment)[r.start : r.end],
                )
                for r in restatements
            ],
        )

    def restatements(self, context: RuleContext, options: CustomerRepeatedOptions) -> list[Restatement]:
        """Later customer messages that restate an earlier one, with their best sentence."""
        ticket = context.ticket
        texts = [context.thread_text(c) for c in ticket.comments]
        kinds = classify(ticket, texts, self.settings.history.handoff_window_minutes)
        handoffs = sorted(utc(e.at) for e in ticket.events if e.type in HANDOFF_EVENTS and e.at is not None)
        signature = signature_lines(
            [own_words(t) for c, t in zip(ticket.comments, texts, strict=True) if c.author.role == "customer"]
        )
        earlier: list[set[str]] = []
        found: list[Restatement] = []
        handed_off = False
        for comment, text, kind in zip(ticket.comments, texts, kinds, strict=True):
            if comment.author.role != "customer":
                handed_off = handed_off or (bool(earlier) and kind in ("handoff", "escalation"))
                continue
            if earlier and comment.created_at is not None:
                handed_off = handed_off or any(h <= utc(comment.created_at) for h in handoffs)
            words = content_words(without_lines(own_words(text), signature))
            best = max((overlap(words, e) for e in earlier if len(words & e) >= options.min_shared_words), default=0.0)
            threshold = options.similarity * (0.6 if CUE.search(text) else 1.0)
            if earlier and best >= threshold:
                start, end = best_sentence(context.thread_note(comment), earlier)
                found.append(Restatement(comment, start, end, best, handed_off))
            earlier.append(words)
        return found


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [CustomerRepeated]
