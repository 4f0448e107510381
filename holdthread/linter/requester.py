"""Whose words are the thread's customer's: the person the ticket is for, not anyone else.

On a public issue, a shared social thread or in a support channel, several people may write with
the customer role: the person who asked, and others who add "same here" or answer for them. What
one of them said was not said by the customer the agent is helping, so rules that read what the
customer already gave or already said (repeated-ask, customer-repeated) read only the thread's
customer: the ticket's requester when the helpdesk names one, else the author of the thread's first
customer comment. People are matched by id, else email, else name; a customer written without any
of them is one anonymous customer.
"""

from __future__ import annotations

from collections.abc import Sequence

from holdthread.linter.models import Comment, Person, Ticket


def _same(a: Person, b: Person) -> bool:
    """Whether two people are one, by the first identifier both carry (id, then email, then name)."""
    for field in ("id", "email", "name"):
        left, right = getattr(a, field), getattr(b, field)
        if left and right:
            return str(left).casefold() == str(right).casefold()
    return not any((a.id, a.email, a.name)) and not any((b.id, b.email, b.name))


def thread_customer(ticket: Ticket, comments: Sequence[Comment] | None = None) -> Person | None:
    """The thread's customer: the requester when a customer comment is theirs, else the author of
    the first customer comment (``comments``: the thread as the rule sees it, default the ticket's)."""
    thread = ticket.comments if comments is None else comments
    customers = [c.author for c in thread if c.author.role == "customer"]
    if ticket.requester is not None and any(_same(ticket.requester, author) for author in customers):
        return ticket.requester
    return customers[0] if customers else ticket.requester


def is_thread_customer(comment: Comment, customer: Person | None) -> bool:
    """Whether ``comment`` was written by the thread's customer."""
    return customer is not None and comment.author.role == "customer" and _same(comment.author, customer)
