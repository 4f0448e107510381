"""django-helpdesk: a ticket with its ``followup_set``, as its webhooks and serializers give it.

A record is the webhook payload ``{"ticket": {...}, "queue_slug", "followup_id"}`` or the bare
ticket: ``id, queue, title, description, assigned_to, status, priority, created,
submitter_email, followup_set: [{id, user, title, comment, public, new_status, date}]``.

The ticket's ``description`` is the submitter's first message (comment id ``description``).
Roles: a follow-up with a ``user`` is written by staff (an agent); one without (the public
e-mail or web form) is the customer. A follow-up's optional ``ticketchange_set``
(``[{field, old_value, new_value}]``, django-helpdesk's TicketChange) gives owner changes
(field ``Owner`` / ``assigned_to``) and queue changes (field ``Queue``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.sources import Source
from holdthread.plugins._export import ExportSource, RecordError, require_list, require_mapping, shape_error, text_id

STATUSES = {1: "open", 2: "reopened", 3: "resolved", 4: "closed", 5: "duplicate"}
OWNER_FIELDS = frozenset({"owner", "assigned_to", "assigned to"})
QUEUE_FIELDS = frozenset({"queue"})


def _name(value: object) -> str | None:
    """A queue or user given as text, an id, or a nested object (title, slug, username)."""
    if isinstance(value, Mapping):
        for key in ("title", "name", "username", "slug", "id"):
            if value.get(key) not in (None, ""):
                return str(value[key])
        return None
    return text_id(value)


class DjangoHelpdeskSource(ExportSource):
    """django-helpdesk tickets with their follow-ups."""

    name = "django-helpdesk"
    description = "django-helpdesk tickets with followup_set (webhook payloads or serialized tickets), one per line"
    list_keys: ClassVar[tuple[str, ...]] = ("tickets", "results")

    @classmethod
    def detect(cls, head: bytes, path: Path) -> bool:
        return b'"followup_set"' in head

    def convert(self, data: Any) -> dict[str, Any]:
        ticket = data.get("ticket") if isinstance(data, Mapping) and isinstance(data.get("ticket"), Mapping) else data
        prefix = "$.ticket" if ticket is not data else "$"
        if not isinstance(ticket, Mapping) or "followup_set" not in ticket:
            raise shape_error("django-helpdesk ticket", "a ticket with followup_set", data)
        if ticket.get("id") is None:
            raise RecordError("the ticket has no id", f"{prefix}.id")
        comments: list[dict[str, Any]] = []
        submitter = ticket.get("submitter_email")
        customer = {"email": submitter, "role": "customer"}
        if isinstance(ticket.get("description"), str) and ticket["description"].strip():
            comments.append({"id": "description", "author": customer, "public": True,
                             "created_at": ticket.get("created"), "body": ticket["description"]})
        events: list[dict[str, Any]] = []
        path = f"{prefix}.followup_set"
        for index, item in enumerate(require_list(ticket.get("followup_set"), path, "follow-ups")):
            item = require_mapping(item, f"{path}[{index}]", "a follow-up")
            if item.get("id") is None:
                raise RecordError("a follow-up has no id", f"{path}[{index}].id")
            user = _name(item.get("user"))
            for j, change in enumerate(require_list(item.get("ticketchange_set"), f"{path}[{index}].ticketchange_set",
                                                    "ticket changes")):
                change = require_mapping(change, f"{path}[{index}].ticketchange_set[{j}]", "a ticket change")
                field = str(change.get("field", "")).lower()
                kind = "assignee_change" if field in OWNER_FIELDS else "group_change" if field in QUEUE_FIELDS else None
                if kind is not None:
                    events.append({"type": kind, "at": item.get("date"), "from": _name(change.get("old_value")),
                                   "to": _name(change.get("new_value")), "actor": user})
            body = item.get("comment")
            if not isinstance(body, str) or not body.strip():
                continue
            author = {"name": user, "role": "agent"} if user else customer
            comments.append({"id": item["id"], "author": author, "public": item.get("public", True) is not False,
                             "created_at": item.get("date"), "body": body})
        status = ticket.get("status")
        return {
            "id": ticket["id"],
            "subject": ticket.get("title") or "",
            "priority": text_id(ticket.get("priority")),
            "status": STATUSES.get(status, text_id(status)) if isinstance(status, int) else text_id(status),
            "group": _name(ticket.get("queue")) or (data.get("queue_slug") if isinstance(data, Mapping) else None),
            "created_at": ticket.get("created"),
            "requester": {"email": submitter} if submitter else None,
            "assignee": {"name": _name(ticket.get("assigned_to"))} if _name(ticket.get("assigned_to")) else None,
            "comments": comments,
            "events": events,
        }


@hookimpl
def holdthread_sources() -> list[type[Source]]:
    return [DjangoHelpdeskSource]
