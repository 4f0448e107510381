"""What the customer already holds: their own address and number, given back to them in a reply.

A reply goes to the ticket's requester. Writing their own email address or phone number back to
them ("we sent the link to dana@...") tells them nothing they do not know and reaches no one
else, so it is not a leak by itself. Their own values are the requester's address on the ticket
and every address or number the thread's customer wrote in an earlier comment. Only the thread's
customer counts: another user in a public thread, or an agent, gives no one leave to repeat a
value.

Where this is still a risk the rule says so: on a channel that publishes replies to everyone (a
social post, a public forum or issue), repeating the address republishes it, and on an
escalation it leaves support; neither is exempt. A card number, government id, password or key
is never given back, whoever wrote it first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from holdthread.linter.models import Author, Comment
from holdthread.linter.rule import RuleContext
from holdthread.rules.pii_in_note.phones import digits_key, phone_numbers


@dataclass
class OwnValues:
    """The customer's own email addresses (lower case) and phone numbers (last nine digits)."""

    emails: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)

    def has(self, kind: str, value: str) -> bool:
        """Whether ``value`` (an ``email`` or a ``phone``) is one of the customer's own."""
        return value.lower() in self.emails if kind == "email" else digits_key(value) in self.numbers


def _same_person(author: Author, other: Author) -> bool:
    if author.id and other.id:
        return author.id == other.id
    if author.email and other.email:
        return author.email.lower() == other.email.lower()
    return bool(author.name) and author.name == other.name


def thread_customer_comments(context: RuleContext) -> list[Comment]:
    """The earlier comments written by the thread's customer: the requester when the ticket
    names one, else the author of the first customer comment."""
    customers = [c for c in context.thread if c.author.role == "customer"]
    requester = context.ticket.requester
    if requester is not None and (requester.id or requester.email or requester.name):
        person = Author(id=requester.id, name=requester.name, email=requester.email, role="customer")
    elif customers:
        person = customers[0].author
    else:
        return []
    return [c for c in customers if _same_person(c.author, person)]


def own_values(context: RuleContext) -> OwnValues:
    """The requester's address and what the thread's customer wrote earlier."""
    own = OwnValues()
    requester = context.ticket.requester
    if requester is not None and requester.email:
        own.emails.add(requester.email.lower())
    for comment in thread_customer_comments(context):
        note = context.thread_note(comment)
        own.emails.update(v.text.lower() for v in note.links if v.kind == "email")
        own.numbers.update(digits_key(p.text) for p in phone_numbers(note, need_cue=False))
    return own
