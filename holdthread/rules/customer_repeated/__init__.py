"""customer-repeated: the customer had to restate the same problem in later messages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import Field

from holdthread.linter.history import HANDOFF_EVENTS, classify, utc
from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Comment, Evidence
from holdthread.linter.requester import thread_customer
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
from holdthread.rules.customer_repeated.turns import customer_turns


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
    burst_minutes: int = Field(
        default=10,
        ge=0,
        description="Consecutive messages of the customer this close together (or without times, as in chat logs) "
        "are one statement: chat splits a statement over several lines.",
    )


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
        Compares each turn of the thread's customer with their earlier ones and fires when the
        customer restated the same problem in at least `min_restatements` later turns. A later
        turn is a restatement when it shares at least `min_shared_words` content words with an
        earlier turn and the overlap (shared words over the smaller turn's words) reaches
        `similarity`; a cue such as "as I already said", "again", "to repeat" or "for the third
        time" lowers the bar. Content words leave out stop words, chat filler ("hi", "thanks",
        "still"), links and the nick a chat line is addressed to. The evidence is the sentence
        of each restatement that overlaps most, and the message says how many came after a
        handoff.

        What a restatement is:
        - Only the thread's customer restates: the ticket's requester, else the author of the
          first customer message. Other users who say "same here" on a public issue or in a
          channel are not the customer telling it again.
        - A turn is the customer's consecutive messages written close together (within
          `burst_minutes`, or without times, as chat logs are): chat spreads one statement over
          several short lines, and the second half of a statement is not a restatement of the
          first. A line of the burst posted again nearly word for word is a re-post, and counts.
        - A reply to someone's question or suggestion ("does it happen in private mode?", "try
          renaming the file") moves the thread on; it counts only when it tells the problem
          again nearly in full. A reply to an agent who asked for the problem itself ("what
          seems to be the issue?") retells it, and counts.
        - A turn made mostly of new words adds details; it does not restate. "Any update?" and
          other chases say nothing about the problem and never count.

        ## Where it is weak
        It compares words: a restatement in other words (a phone that "shuts down as soon as
        it opens" after "crashes on launch") passes, and on chat a customer who asks the channel
        again in new words after helpers answered passes too. Without times, consecutive
        messages are read as one turn, so a helpdesk export without times under-counts.

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
        """Later turns of the thread's customer that restate an earlier one, with their best sentence."""
        ticket = context.ticket
        texts = {c.id: context.thread_text(c) for c in ticket.comments}
        kinds = dict(
            zip(
                (c.id for c in ticket.comments),
                classify(ticket, list(texts.values()), self.settings.history.handoff_window_minutes),
                strict=True,
            )
        )
        handoffs = sorted(utc(e.at) for e in ticket.events if e.type in HANDOFF_EVENTS and e.at is not None)
        customer = thread_customer(ticket)
        turns = list(customer_turns(ticket.comments, customer, context, options.burst_minutes))
        signature = signature_lines([own_words(texts[c.id]) for turn in turns for c in turn.comments])
        earlier: list[set[str]] = []
        found: list[Restatement] = []
        handed_off = False
        for turn in turns:
            handed_off = handed_off or (
                bool(earlier) and any(kinds[c.id] in ("handoff", "escalation") for c in turn.before)
            )
            first = turn.comments[0]
            if earlier and first.created_at is not None:
                handed_off = handed_off or any(h <= utc(first.created_at) for h in handoffs)
            lines = [content_words(without_lines(own_words(texts[c.id]), signature)) for c in turn.comments]
            words = set().union(*lines)
            text = "\n".join(texts[c.id] for c in turn.comments)
            bar = _ANSWER_BAR if turn.answers else 1.0
            restating = bool(earlier) and self._restates(words, earlier, text, options, bar)
            # A line of the burst posted again nearly word for word is a re-post, whatever came before.
            restated = [c for i, c in enumerate(turn.comments) if i and _reposts(lines[i], lines[:i], options)]
            if restating:
                best = self._best_comment(turn.comments, earlier, context)
                restated = [best, *(c for c in restated if c is not best)]
            for comment in restated:
                start, end = best_sentence(context.thread_note(comment), earlier or lines)
                found.append(Restatement(comment, start, end, 1.0, handed_off))
            earlier.append(words)
        return found

    @staticmethod
    def _restates(
        words: set[str], earlier: list[set[str]], text: str, options: CustomerRepeatedOptions, bar: float
    ) -> bool:
        """Whether a turn shares enough content words with an earlier one: ``similarity`` times
        ``bar`` (less with a cue such as "as I said")."""
        cue = CUE.search(text) is not None
        best = max((overlap(words, e) for e in earlier if len(words & e) >= options.min_shared_words), default=0.0)
        if best < bar * options.similarity * (0.6 if cue else 1.0):
            return False
        # Mostly new words is an elaboration ("I have the ISO and want to boot it from the disk"),
        # not the same problem again, unless the customer says they are repeating themselves.
        new = len(words - set().union(*earlier))
        return cue or new <= _MOSTLY_NEW * len(words)

    @staticmethod
    def _best_comment(comments: list[Comment], earlier: list[set[str]], context: RuleContext) -> Comment:
        """The message of a turn that shares the most content words with what came before."""
        seen = set().union(*earlier)
        return max(comments, key=lambda c: len(content_words(context.thread_text(c)) & seen))


#: A reply to someone's question or suggestion counts only when it tells the problem again nearly in
#: full (half as much overlap again as other messages need): "still the same, it hangs at boot"
#: reports on the suggestion, it does not restate the problem.
_ANSWER_BAR = 1.5
#: A turn whose words are more than this share new adds to the problem rather than restating it.
_MOSTLY_NEW = 0.5
#: How alike a line must be to an earlier line of the same burst to be a re-post of it, and how
#: many new words it may add (a line that adds more refines the statement: "... instead of a CD").
_REPOST = 0.8
_REPOST_NEW_WORDS = 1


def _reposts(line: set[str], before: list[set[str]], options: CustomerRepeatedOptions) -> bool:
    """Whether a line repeats an earlier line of its burst nearly word for word."""
    return len(line) >= options.min_shared_words and any(
        len(line & e) >= options.min_shared_words and overlap(line, e) >= _REPOST and len(line - e) <= _REPOST_NEW_WORDS
        for e in before
    )


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [CustomerRepeated]
