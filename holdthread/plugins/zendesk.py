"""Zendesk exports: tickets with their comments and audits, and the incremental ticket-events export.

Two shapes are read, each as the REST API returns it:

* **ticket bundles**, one per line (or a JSON page ``{"tickets": [...]}``):
  ``{"ticket": {...}, "comments": [...], "audits": [...], "users": [...], "groups": [...]}`` where
  ``comments`` is ``GET /api/v2/tickets/{id}/comments``, ``audits`` is
  ``GET /api/v2/tickets/{id}/audits`` and the optional ``users`` / ``groups`` are sideloads
  (``?include=users,groups``) that give names and roles;
* **incremental ticket events** (``GET /api/v2/incremental/ticket_events?include=comment_events``):
  ``ticket_event`` objects with ``child_events``, either the JSON page or one event per line.
  Events of one ticket are spread over the export, so they are grouped on disk (see
  :class:`~holdthread.plugins._export.Spool`) and each ticket becomes one record.

Owner and group changes come from audit ``Change`` events with ``field_name`` ``assignee_id`` /
``group_id`` (``Event(type="assignee_change" | "group_change", from=previous_value, to=value)``).

Author roles, in this order: the ``users`` sideload (``end-user`` is the customer, ``agent`` and
``admin`` are agents); the ticket's ``requester_id`` is the customer; Zendesk's system user
(``author_id`` -1) and comments made by business rules (``via.channel`` ``rule``) are the system;
anyone else is an agent. Without the sideload a CC'd end user counts as an agent.

Each comment's ``attachments`` (``file_name``, ``content_type``, ``size``) are kept on the generic
comment; ``content_url`` is not, since nothing downloads them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Role
from holdthread.linter.sources import Record, SeenIds, Source
from holdthread.plugins._export import (
    ExportSource,
    RawRecord,
    RecordError,
    Spool,
    attachments,
    first_record,
    from_unix,
    iter_json_records,
    require_list,
    require_mapping,
    shape_error,
    text_id,
)

SYSTEM_USER_ID = "-1"
_FIELD_EVENTS = {"assignee_id": "assignee_change", "group_id": "group_change"}
_USER_ROLES: dict[str, Role] = {"end-user": "customer", "agent": "agent", "admin": "agent"}


class _Directory:
    """Names and roles from the ``users`` / ``groups`` sideloads, when the export has them."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.users: dict[str, Mapping[str, Any]] = {}
        self.groups: dict[str, str] = {}
        for index, user in enumerate(require_list(data.get("users"), "$.users", "the users sideload")):
            user = require_mapping(user, f"$.users[{index}]", "a user")
            if text_id(user.get("id")) is not None:
                self.users[str(user["id"])] = user
        for index, group in enumerate(require_list(data.get("groups"), "$.groups", "the groups sideload")):
            group = require_mapping(group, f"$.groups[{index}]", "a group")
            if text_id(group.get("id")) is not None and group.get("name"):
                self.groups[str(group["id"])] = str(group["name"])

    def person(self, user_id: object) -> dict[str, Any] | None:
        uid = text_id(user_id)
        if uid is None:
            return None
        user = self.users.get(uid, {})
        return {"id": uid, "name": user.get("name"), "email": user.get("email")}

    def group(self, group_id: object) -> str | None:
        gid = text_id(group_id)
        return None if gid is None else self.groups.get(gid, gid)

    def owner(self, field: str, value: object) -> str | None:
        if field == "group_id":
            return self.group(value)
        uid = text_id(value)
        if uid is None:
            return None
        return str(self.users.get(uid, {}).get("name") or uid)

    def role(self, author_id: object, requester_id: str | None, via: object) -> Role:
        uid = text_id(author_id)
        user_role = self.users.get(uid or "", {}).get("role")
        if isinstance(user_role, str) and user_role in _USER_ROLES:
            return _USER_ROLES[user_role]
        if uid is not None and uid == requester_id:
            return "customer"
        channel = via.get("channel") if isinstance(via, Mapping) else None
        if uid == SYSTEM_USER_ID or channel == "rule":
            return "system"
        return "agent"


def _comment(item: Mapping[str, Any], path: str, directory: _Directory, requester: str | None,
             created_at: object = None) -> dict[str, Any]:
    """A Zendesk comment (or a ``Comment`` audit / child event) in the generic shape.

    All three carry ``attachments`` (Zendesk attachment objects: ``file_name``, ``content_type``,
    ``size``, ``content_url``); name, type and size are kept so rules know what the customer sent.
    """
    if item.get("id") is None:
        raise RecordError("a comment has no id", f"{path}.id")
    body = item.get("body")
    if body is None:
        body = item.get("plain_body")
    if body is None:
        body = item.get("html_body")
    if not isinstance(body, str):
        raise RecordError("a comment has no body, plain_body or html_body text", f"{path}.body")
    author = directory.person(item.get("author_id")) or {"id": None}
    author["role"] = directory.role(item.get("author_id"), requester, item.get("via"))
    return {
        "id": item["id"],
        "author": author,
        "public": item.get("public", True) is not False,
        "created_at": item.get("created_at", created_at),
        "body": body,
        "attachments": attachments(item.get("attachments"), f"{path}.attachments", name_key="file_name"),
    }


def _change(event: Mapping[str, Any], at: object, actor: object, directory: _Directory) -> dict[str, Any] | None:
    field = event.get("field_name")
    if field not in _FIELD_EVENTS:
        return None
    return {
        "type": _FIELD_EVENTS[field],
        "at": at,
        "from": directory.owner(str(field), event.get("previous_value")),
        "to": directory.owner(str(field), event.get("value")),
        "actor": text_id(actor),
    }


def _tags(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(t) for t in value]
    if isinstance(value, str):
        return value.split()
    return []


class ZendeskSource(ExportSource):
    """Zendesk tickets with comments and audits, or the incremental ticket-events export."""

    name = "zendesk"
    description = ("Zendesk REST API exports: {ticket, comments, audits} per line, or the incremental "
                   "ticket_events export (with child_events)")
    list_keys: ClassVar[tuple[str, ...]] = ("tickets", "ticket_events")

    @classmethod
    def detect(cls, head: bytes, path: Path) -> bool:
        data = first_record(head)
        if data is not None:
            return ("child_events" in data and "ticket_id" in data) or isinstance(data.get("ticket_events"), list) or (
                isinstance(data.get("ticket"), dict) and ("comments" in data or "audits" in data))
        if b'"child_events"' in head or b'"ticket_events"' in head:
            return True
        return b'"ticket"' in head and (b'"audits"' in head or b'"comments"' in head) and b'"conversations"' not in head

    def records(self, path: Path) -> Iterator[Record]:
        with path.open("rb") as handle:
            head = handle.read(65536)
        if b'"child_events"' in head or b'"ticket_events"' in head:
            seen = SeenIds()
            for record in self._event_records(path):
                yield self.finish(record, seen)
        else:
            yield from super().records(path)

    # --- ticket bundles ----------------------------------------------------------------------

    def convert(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping) or not isinstance(data.get("ticket"), Mapping) or not (
                "comments" in data or "audits" in data):
            raise shape_error("Zendesk ticket", "an object with ticket, comments and audits", data)
        ticket = data["ticket"]
        if ticket.get("id") is None:
            raise RecordError("the ticket has no id", "$.ticket.id")
        directory = _Directory(data)
        requester = text_id(ticket.get("requester_id"))
        comments = [
            _comment(require_mapping(c, f"$.comments[{i}]", "a comment"), f"$.comments[{i}]", directory, requester)
            for i, c in enumerate(require_list(data.get("comments"), "$.comments", "the ticket's comments"))
        ]
        events: list[dict[str, Any]] = []
        audit_comments: list[dict[str, Any]] = []
        for i, audit in enumerate(require_list(data.get("audits"), "$.audits", "the ticket's audits")):
            audit = require_mapping(audit, f"$.audits[{i}]", "an audit")
            for j, event in enumerate(require_list(audit.get("events"), f"$.audits[{i}].events", "audit events")):
                event = require_mapping(event, f"$.audits[{i}].events[{j}]", "an audit event")
                if event.get("type") == "Change":
                    change = _change(event, audit.get("created_at"), audit.get("author_id"), directory)
                    if change is not None:
                        events.append(change)
                elif event.get("type") == "Comment" and not comments:
                    audit_comments.append(_comment(event, f"$.audits[{i}].events[{j}]", directory, requester,
                                                   audit.get("created_at")))
        return self._ticket(ticket, directory, comments or audit_comments, events)

    @staticmethod
    def _ticket(ticket: Mapping[str, Any], directory: _Directory, comments: list[dict[str, Any]],
                events: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "id": ticket["id"],
            "subject": ticket.get("subject") or ticket.get("raw_subject") or "",
            "type": ticket.get("type"),
            "priority": ticket.get("priority"),
            "status": ticket.get("status"),
            "tags": _tags(ticket.get("tags")),
            "group": directory.group(ticket.get("group_id")),
            "created_at": ticket.get("created_at"),
            "requester": directory.person(ticket.get("requester_id")),
            "assignee": directory.person(ticket.get("assignee_id")),
            "comments": comments,
            "events": events,
        }

    # --- incremental ticket events -----------------------------------------------------------

    def _event_records(self, path: Path) -> Iterator[Record]:
        spool = Spool()
        try:
            for number, raw in enumerate(iter_json_records(path, self.list_keys)):
                ticket_id = raw.data.get("ticket_id") if isinstance(raw.data, Mapping) else None
                if raw.error is not None or ticket_id is None:
                    # A record that cannot be grouped keeps its place, as its own rejection.
                    spool.add(f"\x00{number}", raw.line, [raw.line, raw.data, raw.error, raw.path])
                else:
                    spool.add(str(ticket_id), raw.line, [raw.line, raw.data, None, raw.path])
            for key, rows in spool.groups():
                line, data, error, where = rows[0][1]
                if key.startswith("\x00"):
                    if error is None:
                        error = shape_error("Zendesk ticket event", "an object with ticket_id and child_events",
                                            data).message
                    yield Record(self.name, line, error=error, path=where)
                    continue
                raw = RawRecord(line, None, path=where)
                try:
                    converted = self.convert_events([row[1][1] for row in rows])
                except RecordError as exc:
                    yield Record(self.name, line, error=exc.message, ticket_id=key, path=exc.path)
                    continue
                yield self.validated(converted, raw, self.name)
        finally:
            spool.close()

    def convert_events(self, events: list[Any]) -> dict[str, Any]:
        """One ticket from its ``ticket_event`` objects, in export order (``$[i]`` is the i-th event)."""
        directory = _Directory({})
        ticket: dict[str, Any] = {"id": events[0]["ticket_id"], "created_at": events[0].get("created_at")}
        comments: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        requester: str | None = None
        for i, event in enumerate(events):
            at: object = event.get("created_at") or from_unix(event.get("timestamp"), f"$[{i}].timestamp")
            for j, child in enumerate(require_list(event.get("child_events"), f"$[{i}].child_events", "child events")):
                child = require_mapping(child, f"$[{i}].child_events[{j}]", "a child event")
                kind = child.get("event_type") or child.get("type")
                field = child.get("field_name")
                if kind == "Comment":
                    comment = {"author_id": event.get("updater_id"), **child}
                    comments.append(_comment(comment, f"$[{i}].child_events[{j}]", directory, requester, at))
                elif kind not in ("Create", "Change"):
                    continue
                elif field in ("subject", "type", "priority", "status", "tags"):
                    ticket[str(field)] = child.get("value")
                elif field == "requester_id":
                    requester = text_id(child.get("value"))
                    ticket["requester"] = directory.person(requester)
                elif field == "group_id":
                    ticket["group"] = directory.group(child.get("value"))
                elif field == "assignee_id":
                    ticket["assignee"] = directory.person(child.get("value"))
                if kind == "Change" and field in _FIELD_EVENTS:
                    change = _change(child, at, event.get("updater_id"), directory)
                    if change is not None:
                        changes.append(change)
        ticket["tags"] = _tags(ticket.get("tags"))
        ticket["subject"] = ticket.get("subject") or ""
        ticket["comments"] = comments
        ticket["events"] = changes
        return ticket


@hookimpl
def holdthread_sources() -> list[type[Source]]:
    return [ZendeskSource]
