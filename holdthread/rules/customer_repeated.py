"""customer-repeated: the customer had to restate the same problem in later messages."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pydantic import Field
from spacy.lang.en.stop_words import STOP_WORDS

from holdthread.linter.history import HANDOFF_EVENTS, classify, utc
from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Comment, Evidence
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets
from holdthread.rules._shared import regex_sentences

_WORD = re.compile(r"[a-z0-9][a-z0-9_'’-]*[a-z0-9]|[a-z0-9]", re.IGNORECASE)
#: Words of every support message that say nothing about the problem itself.
_FILLER = frozenset({
    "hi", "hello", "hey", "thanks", "thank", "cheers", "regards", "please", "pls", "kind", "best", "dear",
    "team", "support", "still", "again", "already", "just", "help", "issue", "problem", "ticket", "told",
    "said", "explained", "mentioned", "wrote", "asked", "know", "need", "want", "like", "get", "got",
    "time", "times", "today", "yesterday", "week", "day", "days", "hours", "reply", "answer", "update",
    "sorry", "ok", "okay", "yes", "guys", "anyone", "someone", "look", "looking", "happening", "happen",
})
_CUE = re.compile(
    r"\b(?:as\s+i\s+(?:already\s+)?(?:said|mentioned|explained|wrote|told)|like\s+i\s+(?:said|told)|"
    r"(?:i(?:'ve|\s+have)?|we(?:'ve|\s+have)?)\s+already\s+(?:told|explained|said|described|sent|mentioned|wrote)|"
    r"for\s+the\s+(?:second|third|fourth|\d+(?:st|nd|rd|th))\s+time|once\s+again|again[,:]?\s|"
    r"(?:re-?)?explain(?:ing)?\s+(?:this\s+|it\s+)?again|repeat(?:ing)?\s+(?:myself|this|again)|still\s+(?:the\s+same|not|isn|doesn|can))",
    re.IGNORECASE,
)


_QUOTED_REPLY = re.compile(
    r"^[ \t]*>.*$|^[ \t]*On\s.{0,120}\bwrote:[ \t]*$(?s:.*)|^-{2,}[ \t]*Original Message[ \t]*-{2,}(?s:.*)"
    r"|^-- ?$(?s:.*)",
    re.MULTILINE | re.IGNORECASE,
)


def own_words(text: str) -> str:
    """The message without quoted earlier mail ("> ...", "On ... wrote:") or a "-- " signature.

    E-mail replies carry the previous messages below; comparing them would make every reply a
    restatement.
    """
    return _QUOTED_REPLY.sub("", text)


def signature_lines(texts: Sequence[str], tail: int = 6) -> frozenset[str]:
    """Lines that end two or more of the customer's messages verbatim: a signature, not content.

    "Dana Reyes / Head of Finance / Hauptstrasse 5" under every e-mail would otherwise make
    any two messages look alike.
    """
    counts: dict[str, int] = {}
    for text in texts:
        lines = [line.strip() for line in text.splitlines() if line.strip()][1:]
        for line in set(lines[-tail:]):
            counts[line] = counts.get(line, 0) + 1
    return frozenset(line for line, count in counts.items() if count >= 2)


def _without(text: str, lines: frozenset[str]) -> str:
    if not lines:
        return text
    return "\n".join(line for line in text.splitlines() if line.strip() not in lines)


def _stem(word: str) -> str:
    """A crude suffix strip so "exporting", "exports" and "exported" meet; cheap and good enough."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    """The words that carry a message's content: no stop words, no chat filler, stemmed."""
    words = set()
    for match in _WORD.finditer(text.lower()):
        word = match.group(0).replace("’", "'")
        if word in STOP_WORDS or word in _FILLER or (len(word) < 3 and not word.isdigit()):
            continue
        words.add(_stem(word.split("'")[0]))
    return words


def overlap(a: set[str], b: set[str]) -> float:
    """The overlap coefficient: shared words over the smaller set's size (0 when either is empty)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


@dataclass(frozen=True)
class Restatement:
    comment: Comment
    start: int
    end: int
    similarity: float
    after_handoff: bool


class CustomerRepeatedOptions(Options):
    min_restatements: int = Field(
        default=2, ge=1, description="Fire when the customer restated the problem this many times.")
    similarity: float = Field(
        default=0.5, gt=0, le=1,
        description="Overlap of content words (shared / smaller message) that makes a later message a restatement; "
                    "a cue such as \"as I already said\" lowers it by 40%.",
    )
    min_shared_words: int = Field(
        default=4, ge=1, description="Content words a restatement must share with an earlier message.")
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
            0, len(context.text),
            f"The customer restated the same problem {len(restatements)} times{handoff_note}.",
            "Carry the problem statement, what was tried and what the customer gave in every handoff note, "
            "and read the thread before replying after a transfer.",
            [Evidence(comment_id=r.comment.id, start=r.start, end=r.end,
                      text=context.thread_text(r.comment)[r.start:r.end]) for r in restatements],
        )

    def restatements(self, context: RuleContext, options: CustomerRepeatedOptions) -> list[Restatement]:
        """Later customer messages that restate an earlier one, with their best sentence."""
        ticket = context.ticket
        texts = [context.thread_text(c) for c in ticket.comments]
        kinds = classify(ticket, texts, self.settings.history.handoff_window_minutes)
        handoffs = sorted(utc(e.at) for e in ticket.events if e.type in HANDOFF_EVENTS and e.at is not None)
        signature = signature_lines([own_words(t) for c, t in zip(ticket.comments, texts, strict=True)
                                     if c.author.role == "customer"])
        earlier: list[set[str]] = []
        found: list[Restatement] = []
        handed_off = False
        for comment, text, kind in zip(ticket.comments, texts, kinds, strict=True):
            if comment.author.role != "customer":
                handed_off = handed_off or (bool(earlier) and kind in ("handoff", "escalation"))
                continue
            if earlier and comment.created_at is not None:
                handed_off = handed_off or any(h <= utc(comment.created_at) for h in handoffs)
            words = content_words(_without(own_words(text), signature))
            best = max((overlap(words, e) for e in earlier if len(words & e) >= options.min_shared_words), default=0.0)
            threshold = options.similarity * (0.6 if _CUE.search(text) else 1.0)
            if earlier and best >= threshold:
                start, end = best_sentence(text, earlier)
                found.append(Restatement(comment, start, end, best, handed_off))
            earlier.append(words)
        return found


def best_sentence(text: str, earlier: Sequence[set[str]]) -> tuple[int, int]:
    """The span of the sentence sharing the most content words with the earlier messages."""
    seen = set().union(*earlier)
    quoted = [m.span() for m in _QUOTED_REPLY.finditer(text)]
    best, best_span = -1, (0, len(text))
    for start, end in regex_sentences(text):
        if any(q_start <= start < q_end for q_start, q_end in quoted):
            continue
        shared = len(content_words(text[start:end]) & seen)
        if shared > best:
            best, best_span = shared, (start, end)
    start, end = best_span
    while start < end and text[start].isspace():
        start += 1
    return start, end


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [CustomerRepeated]
