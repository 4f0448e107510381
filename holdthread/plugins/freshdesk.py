"""Freshdesk exports: a ticket with its conversations, as the v2 REST API returns them.

Documented in the Freshdesk API v2 reference (https://developers.freshdesk.com/api/): the ticket
(``GET /api/v2/tickets/{id}``: ``id``, ``subject``, ``description`` / ``description_text``,
``status``, ``priority``, ``type``, ``tags``, ``requester_id``, ``responder_id``, ``group_id``,
``created_at``), its conversations (embedded by ``?include=conversations``, which returns at most
ten, or ``GET /api/v2/tickets/{id}/conversations``: ``id``, ``body`` / ``body_text``, ``incoming``,
``private``, ``user_id``, ``created_at``), agents (``id``, ``contact.name``) and groups (``id``,
``name``).

A record is the ticket with a ``conversations`` list, or ``{"ticket": {...}, "conversations": [...]}``;
one per line, or a JSON list of them. That bundling, and the optional ``groups`` / ``agents`` /
``activities`` lists beside the ticket, are holdthread's, not Freshdesk's.

Inferred, not documented: ``activities``. The API reference does not describe the ticket
activities export (``GET /api/v2/export/ticket_activities``, a daily file of
``{"metadata", "activities_data": [...]}``). Its items are read in the shape that the public
consumers of that export agree on (singer-io/tap-freshdesk, airbytehq/airbyte source-freshdesk):
``{"ticket_id", "performer_type", "performer_id", "performed_at": "18-11-2026 09:41:00 +0000",
"activity": {"group": <group name>, "agent_id": <agent id>, ...}}``; ``performed_at`` in ISO 8601,
as those connectors rewrite it, is read too.

Roles: a private conversation is an agent's (private notes are for collaboration between agents);
else ``incoming: true`` or a message from the requester (``user_id == requester_id``: customers
may add public notes) is the customer's; anyone else's is an agent's. Bodies: ``body_text`` when
present, else the HTML ``body``.

Attachments: the ticket's own ``attachments`` (what the customer sent with the first message) go
on the description comment, each conversation's on its comment. Of Freshdesk's attachment object
(``name``, ``content_type``, ``size``, ``attachment_url``, ...) the name, type and size are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Role
from holdthread.linter.sources import Source
from holdthread.plugins._export import (
    ExportSource,
    RecordError,
    attachments,
    first_record,
    require_list,
    require_mapping,
    shape_error,
    text_id,
)

STATUSES = {2: "open", 3: "pending", 4: "resolved", 5: "closed"}
PRIORITIES = {1: "low", 2: "medium", 3: "high", 4: "urgent"}
#: ``performed_at`` as the ticket activities export writes it: day first, with an offset.
EXPORT_TIME_FORMAT = "%d-%m-%Y %H:%M:%S %z"
#: The activity properties that move a ticket, and the event each change becomes.
_ACTIVITY_CHANGES = (("agent_id", "assignee_change"), ("group", "group_change"))


def conversation_role(*, private: bool, incoming: bool, user_id: object, requester_id: object) -> Role:
    """Who wrote a conversation, from its documented flags.

    Private notes are between agents, so a private conversation is an agent's whatever
    ``incoming`` says. ``incoming`` only means "created from outside", and customers may also
    add public notes through the portal, so a public conversation by the requester is the
    customer's too. Shared with the app payload converter, so both read a thread the same way.
    """
    if private:
        return "agent"
    requester = text_id(requester_id)
    if incoming or (requester is not None and text_id(user_id) == requester):
        return "customer"
    return "agent"


def performed_at(value: object, path: str) -> datetime | None:
    """When an activity happened: the export's ``21-04-2017 09:33:38 +0000``, or ISO 8601.

    Day-first and ISO 8601 cannot be mistaken for each other; anything else is rejected rather
    than guessed, since a wrong time would misplace the change among the notes.
    """
    if value is None or value == "":
        return None
    parsed = _parse_time(value) if isinstance(value, str) else None
    if parsed is None:
        raise RecordError(f"performed_at {value!r} is neither the ticket activities export's time "
                          "('21-04-2017 09:33:38 +0000') nor ISO 8601", path)
    return parsed


def _parse_time(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, EXPORT_TIME_FORMAT)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    # Freshdesk reads a time without an offset as UTC.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _names(items: object, path: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for index, item in enumerate(require_list(items, path, "a list of names")):
        item = require_mapping(item, f"{path}[{index}]", "a named object")
        contact = item.get("contact") if isinstance(item.get("contact"), Mapping) else {}
        name = item.get("name") or (contact or {}).get("name")
        if text_id(item.get("id")) is not None and name:
            names[str(item["id"])] = str(name)
    return names


def _ticket_of(data: Any) -> tuple[Mapping[str, Any], str]:
    """The ticket object of a record and its JSON path, or why the record is not a Freshdesk one."""
    if not isinstance(data, Mapping):
        raise shape_error("Freshdesk ticket", "a ticket object with conversations", data)
    ticket: Mapping[str, Any] = data["ticket"] if isinstance(data.get("ticket"), Mapping) else data
    if "conversations" not in data and "conversations" not in ticket and "description_text" not in ticket:
        raise shape_error("Freshdesk ticket", "a ticket object with conversations", data)
    prefix = "$.ticket" if ticket is not data else "$"
    if ticket.get("id") is None:
        raise RecordError("the ticket has no id", f"{prefix}.id")
    return ticket, prefix


def _description(ticket: Mapping[str, Any], prefix: str, requester: str | None) -> list[dict[str, Any]]:
    """The customer's first message (``description_text``, else the HTML ``description``), with
    the ticket's attachments: a ticket opened with only a screenshot still gave the screenshot."""
    text = ticket.get("description_text") or ticket.get("description")
    files = attachments(ticket.get("attachments"), f"{prefix}.attachments")
    if not isinstance(text, str) or not text.strip():
        if not files:
            return []
        text = ""
    return [{"id": "description", "author": {"id": requester, "role": "customer"}, "public": True,
             "created_at": ticket.get("created_at"), "body": text, "attachments": files}]


def _conversation(item: object, path: str, requester: str | None, agents: Mapping[str, str]) -> dict[str, Any]:
    item = require_mapping(item, path, "a conversation")
    body = item.get("body_text") if isinstance(item.get("body_text"), str) else item.get("body")
    if item.get("id") is None or not isinstance(body, str):
        raise RecordError("a conversation has no id or no body / body_text", path)
    private = item.get("private") is True
    role = conversation_role(private=private, incoming=item.get("incoming") is True,
                             user_id=item.get("user_id"), requester_id=requester)
    uid = text_id(item.get("user_id"))
    author = {"id": uid, "name": agents.get(uid) if uid else None, "role": role}
    return {"id": item["id"], "author": author, "public": not private, "created_at": item.get("created_at"),
            "body": body, "attachments": attachments(item.get("attachments"), f"{path}.attachments")}


def _activity(item: object, path: str, ticket_id: str) -> tuple[Mapping[str, Any], datetime | None, str | None]:
    """One item of the activities export: its changed properties, when and by whom; for this ticket.

    The export covers every ticket of the account, so an item of another ticket means the record
    was bundled wrong: it is rejected rather than read as this ticket's history.
    """
    item = require_mapping(item, path, "an item of the ticket activities export")
    owner = text_id(item.get("ticket_id"))
    if owner is not None and owner != ticket_id:
        raise RecordError(f"this activity is ticket {owner}'s, not ticket {ticket_id}'s: bundle each ticket "
                          "with only its own items of the export's activities_data", f"{path}.ticket_id", ticket_id)
    changes = require_mapping(item.get("activity"), f"{path}.activity", "the activity's changed properties")
    return changes, performed_at(item.get("performed_at"), f"{path}.performed_at"), text_id(item.get("performer_id"))


def activity_events(data: Mapping[str, Any], ticket_id: str, agents: Mapping[str, str]) -> list[dict[str, Any]]:
    """Owner and group changes from the record's ``activities`` (items of the activities export).

    ``agent_id`` is an agent id (named from ``agents``), ``group`` the group's name. An activity
    that sets the value the ticket already has (a new ticket lists all its properties) is no change.
    """
    events: list[dict[str, Any]] = []
    current: dict[str, str | None] = {"agent_id": None, "group": None}
    for index, raw in enumerate(require_list(data.get("activities"), "$.activities", "ticket activities")):
        changes, at, actor = _activity(raw, f"$.activities[{index}]", ticket_id)
        for key, kind in _ACTIVITY_CHANGES:
            if key not in changes:
                continue
            value = text_id(changes[key])
            shown = agents.get(value, value) if key == "agent_id" and value else value
            if shown != current[key]:
                events.append({"type": kind, "at": at, "from": current[key], "to": shown, "actor": actor})
                current[key] = shown
    return events


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
        ticket, prefix = _ticket_of(data)
        ticket_id = str(ticket["id"])
        path = "$.conversations" if "conversations" in data else f"{prefix}.conversations"
        conversations = data.get("conversations", ticket.get("conversations"))
        groups = _names(data.get("groups"), "$.groups")
        agents = _names(data.get("agents"), "$.agents")
        requester = text_id(ticket.get("requester_id"))
        comments = _description(ticket, prefix, requester) + [
            _conversation(item, f"{path}[{index}]", requester, agents)
            for index, item in enumerate(require_list(conversations, path, "the ticket's conversations"))]
        assignee = text_id(ticket.get("responder_id"))
        group = text_id(ticket.get("group_id"))
        return {
            "id": ticket["id"],
            "subject": ticket.get("subject") or "",
            "type": ticket.get("type"),
            "priority": PRIORITIES.get(ticket.get("priority", 0), text_id(ticket.get("priority"))),
            "status": STATUSES.get(ticket.get("status", 0), text_id(ticket.get("status"))),
            "tags": [str(t) for t in ticket.get("tags") or []],
            "group": None if group is None else groups.get(group, group),
            "created_at": ticket.get("created_at"),
            "requester": None if requester is None else {"id": requester, "name": agents.get(requester)},
            "assignee": None if assignee is None else {"id": assignee, "name": agents.get(assignee)},
            "comments": comments,
            "events": activity_events(data, ticket_id, agents),
        }


@hookimpl
def holdthread_sources() -> list[type[Source]]:
    return [FreshdeskSource]
