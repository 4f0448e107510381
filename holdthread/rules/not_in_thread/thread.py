"""What the thread states: every value of every message and field, read the way facts are compared.

The pool holds each number by value (with the less precise forms of a dotted one: "11.1" also
states "11"), each day and time by calendar and clock (days named relative to a message, "today"
or "Friday", resolved from when it was written, and the day each message was written, which is a
ticket field), each name squashed, and the content words. A note's fact is *stated* when the pool
holds every claim of it.

Which messages count: the customer's, the ticket's fields (subject, requester, tags, attachment
names) and, so that the rule never reports what the agent's side already said, the agents' own
messages. A value only an agent's message holds is not the customer's, but a note that repeats it
is relaying the thread, not inventing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from holdthread.linter.models import Comment, Ticket
from holdthread.linter.rule import RuleContext
from holdthread.rules.not_in_thread.facts import Claim, words_and_pairs
from holdthread.text import ParsedNote
from holdthread.text.datetimes import Day, day_of, relative_days, weekdays_of
from holdthread.text.numbers import prefixes
from holdthread.text.product_names import squash
from holdthread.text.spans import SpanIndex

_APOSTROPHE_YEAR = re.compile(r"['’‘](\d{2})\b")


@dataclass
class ThreadPool:
    """Every value the thread states, by how facts are compared."""

    numbers: set[str] = field(default_factory=set)
    minutes: set[int] = field(default_factory=set)
    days: set[Day] = field(default_factory=set)
    weekdays: set[int] = field(default_factory=set)
    names: list[str] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    terms: set[str] = field(default_factory=set)
    lower: list[str] = field(default_factory=list)
    digits: list[str] = field(default_factory=list)
    joined_names: str = ""
    joined_lower: str = ""
    joined_digits: str = ""

    def add_text(self, note: ParsedNote, written: date | None) -> None:
        """Everything one message or field states."""
        skipped = SpanIndex([*(v.span for v in note.values if v.kind in ("url", "email")), *note.mentions])
        for number in note.numbers:
            if skipped.overlaps(number.start, number.end):
                continue  # "t.co/Pl2Fv4XL", "@115913": no number the customer gave
            self.numbers.update(number.values)
            for value in number.values:
                self.numbers.update(prefixes(value))
        for match in _APOSTROPHE_YEAR.finditer(note.text):  # "member since '98"
            self.numbers.update({f"19{match.group(1)}", f"20{match.group(1)}"})
        self.minutes.update(m for time in note.typed_times for m in time.minutes)
        for mention in note.dates:
            self.days.update(mention.days)
        self.weekdays.update(w.weekday for w in note.weekdays)
        if written is not None:
            self.add_day(written)
            # A customer in the Americas writes "today" on the evening before the UTC date.
            for base in (written, written - timedelta(days=1)):
                for mention in relative_days(note.text, base):
                    self.days.update(mention.days)
        self.names.append(note.squashed)
        words = words_and_pairs(note.text)
        self.words.update(words)
        self.terms.update(squash(w) for w in words)
        self.lower.append(note.lower)
        self.digits.append(re.sub(r"\D", "", note.text))

    def add_day(self, day: date) -> None:
        self.days.add(day_of(day))
        self.weekdays.add(day.weekday())

    def finish(self, year: int) -> None:
        """Weekdays of the explicit days too ("Fri 11/3" is stated by "Nov 3")."""
        self.weekdays.update(weekdays_of(frozenset(self.days), year))
        self.joined_names = "\n".join(self.names)
        self.joined_lower = "\n".join(self.lower)
        self.joined_digits = "\n".join(self.digits)

    def states(self, claim: Claim) -> bool:
        """Whether the thread holds this claim of a note's fact."""
        if claim.type == "number":
            return bool(self.numbers.intersection(claim.values))
        if claim.type == "minutes":
            return bool(self.minutes.intersection(claim.values))
        if claim.type == "days":
            return bool(self.days.intersection(claim.values))
        if claim.type == "weekday":
            return bool(self.weekdays.intersection(claim.values))
        if claim.type == "name":
            return any(str(v) and str(v) in self.joined_names for v in claim.values) or bool(claim.terms & self.terms)
        if claim.type == "email":
            return any(str(v) in self.joined_lower for v in claim.values)
        if claim.type == "phone":
            return any(str(v) in self.joined_digits for v in claim.values)
        pairs = {str(v) for v in claim.values}
        return len(pairs & self.words) * 2 >= len(pairs)


def _fields(ticket: Ticket, comments: Iterable[Comment]) -> list[str]:
    """The ticket's fields as text: subject, requester, tags, and the attachments' names."""
    parts = [ticket.subject, *ticket.tags]
    if ticket.requester is not None:
        parts += [ticket.requester.name or "", ticket.requester.email or ""]
    parts += [a.name for c in comments for a in c.attachments]
    return [p for p in parts if p]


def customer_comments(context: RuleContext) -> list[Comment]:
    """The thread's messages from the customer that say anything."""
    return [c for c in context.thread if c.author.role == "customer" and context.thread_text(c).strip()]


def build_pool(context: RuleContext) -> ThreadPool:
    """The pool of the thread before the target: every message and the ticket's fields."""
    pool = ThreadPool()
    years = []
    for comment in context.thread:
        written = comment.created_at.date() if comment.created_at is not None else None
        if written is not None:
            years.append(written.year)
        pool.add_text(context.thread_note(comment), written)
    for text in _fields(context.ticket, context.thread):
        pool.add_text(ParsedNote(text), None)
    if context.ticket.created_at is not None:
        pool.add_day(context.ticket.created_at.date())
    pool.finish(years[-1] if years else date.today().year)
    return pool
