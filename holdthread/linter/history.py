"""Which comments of a ticket's history are escalations and handoffs.

Helpdesks rarely label a note "escalation" or "handoff". What marks one is what happened around
it: an agent wrote an internal note when the ticket changed owner or group, or the note itself
says it escalates. Audits of past tickets lint those notes as handoffs, so this decides, once per
ticket, the kind each comment is linted as:

1. the comment's own ``kind``, when the source gave one;
2. ``escalation`` for an internal agent note that says "escalating to" / "escalated to";
3. ``handoff`` for an internal agent note written within ``history.handoff_window_minutes``
   (policy setting, default 30) of an owner or group change (``assignee_change`` /
   ``group_change`` events);
4. otherwise ``reply`` for a public comment and ``note`` for an internal one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from holdthread.linter.models import Comment, Event, Kind, Ticket

#: Event types that move a ticket to another owner or team.
HANDOFF_EVENTS = frozenset({"assignee_change", "group_change"})

_ESCALATES = re.compile(
    r"\bescalat(?:ing|ed|e)\b(?:\s+(?:this|it|the\s+(?:ticket|case|issue)))?\s+(?:up\s+)?to\b",
    re.IGNORECASE,
)


_HANDS_OFF = re.compile(
    r"\b(?:hand(?:ing|ed|s)?\s+(?:this\s+|it\s+|the\s+ticket\s+)?(?:off|over)|passing\s+(?:this\s+|it\s+)?(?:on\s+)?to"
    r"|over\s+to\b|re-?assign(?:ing|ed)?|transferr?(?:ing|ed)\s+(?:this\s+|it\s+)?to|shift\s+change"
    r"|going\s+off\s+shift|hand-?off|handover)\b",
    re.IGNORECASE,
)


#: A note that asks someone else to act ("pls check", "can you look", "@lee.park") passes the
#: work on: in a helpdesk without an escalation flag, that is what an escalation looks like.
_ASKS_SOMEONE = re.compile(
    r"\b(?:pls|please|plz|can\s+(?:you|someone|anyone|somebody)|could\s+(?:you|someone|anyone|somebody)"
    r"|need\s+(?:someone|somebody|help|eyes)|take\s+a\s+look|look\s+into|looking\s+into|check\s+(?:this|it|asap)"
    r"|for\s+(?:review|investigation)|fyi)\b|(?<![\w.+-])@[A-Za-z]",
    re.IGNORECASE,
)


def utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken to be UTC (exports rarely say otherwise)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def says_escalation(text: str) -> bool:
    """Whether a note's text says it escalates ("escalating to", "escalated this to")."""
    return _ESCALATES.search(text) is not None


def draft_kind(text: str, *, public: bool, reassigned: bool = False) -> Kind:
    """What a helpdesk draft is, when the helpdesk does not say (Zendesk and Freshdesk have no
    "escalation" flag): a public reply, an escalation or handoff by its words or by the new owner
    set with it, or else an ordinary internal note, which the handoff rules leave alone."""
    if public:
        return "reply"
    if says_escalation(text):
        return "escalation"
    if reassigned or _HANDS_OFF.search(text) is not None:
        return "handoff"
    if _ASKS_SOMEONE.search(text) is not None:
        return "escalation"
    return "note"


def handoff_times(events: Sequence[Event]) -> list[datetime]:
    """Sorted times of the owner and group changes that have a timestamp."""
    return sorted(utc(e.at) for e in events if e.type in HANDOFF_EVENTS and e.at is not None)


def near(moment: datetime, times: Sequence[datetime], window: timedelta) -> bool:
    """Whether ``moment`` is within ``window`` of one of the sorted ``times``."""
    index = bisect.bisect_left(times, moment)
    return any(abs(times[i] - moment) <= window for i in (index - 1, index) if 0 <= i < len(times))


def comment_kind(comment: Comment, text: str, times: Sequence[datetime], window: timedelta) -> Kind:
    """The kind one comment is linted as (see the module docstring for the order of the rules)."""
    if comment.kind is not None:
        return comment.kind
    if comment.public or comment.author.role != "agent":
        return comment.effective_kind
    if says_escalation(text):
        return "escalation"
    if comment.created_at is not None and times and near(utc(comment.created_at), times, window):
        return "handoff"
    return "note"


def classify(ticket: Ticket, texts: Sequence[str], window_minutes: int) -> list[Kind]:
    """The kind of every comment of ``ticket``, aligned with ``ticket.comments``.

    ``texts`` are the comments' plain texts (the engine converts HTML once and passes them in).
    """
    times = handoff_times(ticket.events)
    window = timedelta(minutes=window_minutes)
    return [comment_kind(c, text, times, window) for c, text in zip(ticket.comments, texts, strict=True)]
