"""What the thread states: every value of every message and field, read the way facts are compared.

The pool holds each number by value (with the less precise forms of a dotted one: "11.1" also
states "11"), each day and time by calendar and clock (days named relative to a message, "today"
or "Friday", resolved from when it was written, and the day each message was written, which is a
ticket field), each name squashed, and the words of each message. A note's fact is *stated* when
the pool holds every claim of it.

Which messages count: the customer's, the ticket's fields (subject, requester, tags, attachment
names) and, so that the rule never reports what the agent's side already said, the agents' own
messages. A value only an agent's message holds is not the customer's, but a note that repeats it
is relaying the thread, not inventing it.

Each kind of value is gathered from the whole thread the first time a claim asks for it, and then
looked up in a set: a note of numbers never pays for the thread's names, and checking a note costs
the same whatever the thread's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from holdthread.linter.models import Comment, Ticket
from holdthread.linter.rule import RuleContext
from holdthread.rules.not_in_thread.facts import Claim
from holdthread.rules.not_in_thread.shapes import phone_keys, words_and_pairs
from holdthread.text import ParsedNote
from holdthread.text.datetimes import Day, day_of, relative_days, weekdays_of

_APOSTROPHE_YEAR = re.compile(r"['’‘](\d{2})\b")
#: Up to this many characters of thread, a name is searched in the whole squashed text; beyond,
#: among the runs of words (which cost more to build, and the same per name whatever the length).
NAME_SEARCH_CHARS = 20_000
#: Where the pool keeps each type of claim.
_FACETS = {
    "number": "numbers",
    "minutes": "minutes",
    "days": "days",
    "weekday": "weekdays",
    "email": "emails",
    "phone": "phones",
}


class ThreadPool:
    """Every value the thread states, gathered by kind when first asked for."""

    def __init__(self, texts: list[tuple[ParsedNote, date | None]], year: int) -> None:
        #: Each message or field, with the day it was written when known.
        self.texts = texts
        self.year = year
        self.size = sum(len(note.text) for note, _ in texts)

    @cached_property
    def numbers(self) -> frozenset[str]:
        found: set[str] = set().union(*(note.number_values for note, _ in self.texts))
        for note, _ in self.texts:
            for match in _APOSTROPHE_YEAR.finditer(note.text):  # "member since '98"
                found.update({f"19{match.group(1)}", f"20{match.group(1)}"})
        return frozenset(found)

    @cached_property
    def minutes(self) -> frozenset[int]:
        return frozenset(m for note, _ in self.texts for time in note.typed_times for m in time.minutes)

    @cached_property
    def days(self) -> frozenset[Day]:
        found = {day for note, _ in self.texts for mention in note.dates for day in mention.days}
        for note, written in self.texts:
            if written is None:
                continue
            found.add(day_of(written))
            # A customer in the Americas writes "today" on the evening before the UTC date.
            for base in (written, written - timedelta(days=1)):
                found.update(day for mention in relative_days(note.text, base, note.weekdays) for day in mention.days)
        return frozenset(found)

    @cached_property
    def weekdays(self) -> frozenset[int]:
        """Weekdays named in the thread."""
        return frozenset(w.weekday for note, _ in self.texts for w in note.weekdays)

    @cached_property
    def weekdays_of_days(self) -> frozenset[int]:
        """The weekdays of every day the thread states ("Fri 11/3" is stated by "Nov 3")."""
        return weekdays_of(self.days, self.year)

    @cached_property
    def names_as_text(self) -> str | None:
        """The thread squashed into one text, where a name is found anywhere ("xbox360" in
        "onmyxbox360today"); None once the thread is too long to search again for every name
        (then names are looked up among runs of words, at the same cost per name whatever the
        thread's length)."""
        if self.size > NAME_SEARCH_CHARS:
            return None
        return "\n".join(note.squashed for note, _ in self.texts)

    @cached_property
    def names(self) -> frozenset[str]:
        """Names as runs of up to four words, squashed ("iPhone 7 Plus" -> "iphone7plus")."""
        return frozenset().union(*(note.name_runs for note, _ in self.texts))

    @cached_property
    def words(self) -> frozenset[str]:
        """Words and pairs of neighbouring words, for quotes."""
        return frozenset().union(*(words_and_pairs(note.text) for note, _ in self.texts))

    @cached_property
    def emails(self) -> frozenset[str]:
        return frozenset(v.text.lower() for note, _ in self.texts for v in note.links if v.kind == "email")

    @cached_property
    def phones(self) -> frozenset[str]:
        """The last nine digits of each phone number."""
        return frozenset().union(*(phone_keys(note.text) for note, _ in self.texts))

    def states(self, claim: Claim) -> bool:
        """Whether the thread holds this claim of a note's fact."""
        if claim.type == "words":
            pairs = {str(v) for v in claim.values}
            return len(pairs & self.words) * 2 >= len(pairs)
        if claim.type == "name":
            if self.names_as_text is not None:
                found = any(str(v) in self.names_as_text for v in claim.values)
            else:
                found = bool(self.names.intersection(claim.values))
            return found or bool(claim.terms and self.names.intersection(claim.terms))
        held: frozenset[Any] = getattr(self, _FACETS[claim.type])
        if claim.type == "weekday" and not held.intersection(claim.values):
            held = self.weekdays_of_days
        return bool(held.intersection(claim.values))


#: Where the ticket's fields, parsed once per ticket, sit among the parsed comments (no comment id
#: holds a NUL character).
FIELDS_KEY = "\x00ticket-fields"


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
    texts: list[tuple[ParsedNote, date | None]] = [
        (context.thread_note(c), c.created_at.date() if c.created_at is not None else None) for c in context.thread
    ]
    fields = context.thread_notes.get(FIELDS_KEY)
    if fields is None:
        fields = context.thread_notes[FIELDS_KEY] = ParsedNote("\n".join(_fields(context.ticket, context.thread)))
    texts.append((fields, None))
    if context.ticket.created_at is not None:
        texts.append((ParsedNote(""), context.ticket.created_at.date()))
    years = [written.year for _, written in texts if written is not None]
    return ThreadPool(texts, years[-1] if years else date.today().year)
