"""Freshdesk exports: a ticket with its conversations, as the v2 REST API returns them.

A record is ``GET /api/v2/tickets/{id}?include=conversations`` (the ticket with a
``conversations`` list) or ``{"ticket": {...}, "conversations": [...]}`` where ``conversations``
is ``GET /api/v2/tickets/{id}/conversations``; one per line, or a JSON list of them. Optional
``groups`` / ``agents`` lists give names, and ``activities`` (items of the ticket activities
export, ``{"performed_at", "performer_id", "activity": {"group": ..., "agent_id": ...}}``) give
owner and group changes.

The ticket's ``description`` is the customer's first message (comment id ``description``).
Roles: ``incoming: true`` is the customer; a ``private`` conversation is an agent's note; an
outgoing public reply from the requester (``user_id == requester_id``) is the customer; anyone
else is an agent. Bodies: ``body_text`` when present, else the HTML ``body``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.sources import Source
from holdthread.plugins._export import (
    ExportSource,
    RecordError,
    first_record,
    require_list,
    require_mapping,
    shape_error,
    text_id,
)

STATUSES = {2: "open", 3: "pending", 4: "resolved", 5: "closed"}
PRIORITIES = {1: "low", 2: "medium", 3: "high", 4: "urgent"}


def _names(items: object, path: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for index, item in enumerate(require_list(items, path, "a list of names")):
        item = require_mapping(item, f"{path}[{index}]", "a named object")
        contact = item.get("contact") if isinstance(item.get("contact"), Mapping) else {}
        name = item.get("name") or (contact or {}).get("name")
        if text_id(item.get("id")) is not None and name:
            names[str(item["id"])] = str(name)
    return names


class FreshdeskSource(ExportSource):
    """Freshdesk tickets with their conversations (private notes, incoming customer messages)."""

    name = "freshdesk"
    description = "Freshdesk v2 API: a ticket with its conversations (include=conversations), one per line"
    list_keys: ClassVar[tuple[str, ...]] = ("tickets",)

    @classmethod
    def detect(cls, head: bytes, path: Path) -> bool:
        data = first_record(head)
        if data is not None:
            ticket: dict[str, Any] = data["ticket"] if isinstance(data.get("ticket"), dict) else data
            return ("conversations" in data or "conversations" in ticket) and (
                "description_text" in ticket or "requester_id" in ticket)
        return b'"conversations"' in head and (b'"incoming"' in head or b'"description_text"' in head)

    def convert(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise shape_error("Freshdesk ticket", "a ticket object with conversations", data)
        ticket: Mapping[str, Any] = data["ticket"] if isinstance(data.get("ticket"), Mapping) else data
        prefix = "$.ticket" if ticket is not data else "$"
        path = "$.conversations" if "conversations" in data else f"{prefix}.conversations"
        conversations = data.get("conversations", ticket.get("conversations"))
        if "conversations" not in data and "conversations" not in ticket and "description_text" not in ticket:
            raise shape_error("Freshdesk ticket", "a ticket object with conversations", data)
        if ticket.get("id") is None:
            raise RecordError("the ticket has no id", f"{prefix}.id")
        groups = _names(data.get("groups"), "$.groups")
        agents = _names(data.get("agents"), "$.agents")
        requester = text_id(ticket.get("requester_id"))

        def person(user_id: object) -> dict[str, Any] | None:
            uid = text_id(user_id)
            return None if uid is None else {"id": uid, "name": agents.get(uid)}

        def group(group_id: object) -> str | None:
            gid = text_id(group_id)
            return None if gid is None else groups.get(gid, gid)

        comments: list[dict[str, Any]] = []
        description = ticket.get("description_text") or ticket.get("description")
        if isinstance(description, str) and description.strip():
            comments.append({"id": "description", "author": {"id": requester, "role": "customer"}, "public": True,
                             "created_at": ticket.get("created_at"), "body": description})
        for index, item in enumerate(require_list(conversations, path, "the ticket's conversations")):
            item = require_mapping(item, f"{path}[{index}]", "a conversation")
            body = item.get("body_text") if isinstance(item.get("body_text"), str) else item.get("body")
            if item.get("id") is None or not isinstance(body, str):
                raise RecordError("a conversation has no id or no body / body_text", f"{path}[{index}]")
            private = item.get("private") is True
            from_requester = not private and requester is not None and text_id(item.get("user_id")) == requester
            role = "customer" if item.get("incoming") is True or from_requester else "agent"
            comments.append({"id": item["id"], "author": {**(person(item.get("user_id")) or {}), "role": role},
                             "public": not private, "created_at": item.get("created_at"), "body": body})
        events = []
        last = {"agent_id": text_id(ticket.get("responder_id")), "group": group(ticket.get("group_id"))}
        current: dict[str, str | None] = {"agent_id": None, "group": None}
        for index, item in enumerate(require_list(data.get("activities"), "$.activities", "ticket activities")):
            item = require_mapping(item, f"$.activities[{index}]", "an activity")
            activity = item.get("activity") if isinstance(item.get("activity"), Mapping) else {}
            for key, kind in (("agent_id", "assignee_change"), ("group", "group_change")):
                if key in (activity or {}):
                    value = text_id((activity or {})[key])
                    shown = agents.get(value, value) if key == "agent_id" and value else value
                    events.append({"type": kind, "at": item.get("performed_at"), "from": current[key], "to": shown,
                                   "actor": text_id(item.get("performer_id"))})
                    current[key] = shown
        return {
            "id": ticket["id"],
            "subject": ticket.get("subject") or "",
            "type": ticket.get("type"),
            "priority": PRIORITIES.get(ticket.get("priority", 0), text_id(ticket.get("priority"))),
            "status": STATUSES.get(ticket.get("status", 0), text_id(ticket.get("status"))),
            "tags": [str(t) for t in ticket.get("tags") or []],
            "group": last["group"],
            "created_at": ticket.get("created_at"),
            "requester": person(requester),
            "assignee": person(last["agent_id"]),
            "comments": comments,
            "events": events,
        }


@hookimpl
def holdthread_sources() -> list[type[Source]]:
    return [FreshdeskSource]
