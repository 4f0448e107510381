"""Intercom exports: conversations with their conversation parts, as the REST API returns them.

A record is a conversation (``GET /conversations/{id}``): its ``source`` is the first message,
``conversation_parts.conversation_parts[]`` the rest, ``created_at`` Unix seconds. Part types:
``comment`` is a public message, ``note`` an internal note, ``assignment`` (and Intercom's
automatic ``default_assignment`` / ``away_mode_assignment``) moves the conversation to the admin
or team in ``assigned_to``: an ``assignee_change`` (admin) or ``group_change`` (team) event, and
an internal note when the assignment carries a body. Other parts (open, close, snoozed) are kept
only when they carry a message.

Roles from ``author.type``: ``user``, ``lead`` and ``contact`` are the customer, ``admin`` and
``team`` are agents, ``bot`` is a bot. Names of admins and teams come from the parts' authors and
from optional ``admins`` / ``teams`` lists in the record.

The source and every part carry ``attachments`` (``name``, ``content_type``, ``filesize``, ``url``,
...); name, type and size are kept on the comment. A message with attachments but no text (a
customer who only sends a screenshot) becomes a comment with an empty body, so the file is not
lost: the engine does not lint an empty body, but rules reading the thread see what was sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Role
from holdthread.linter.sources import Source
from holdthread.plugins._export import (
    ExportSource,
    RecordError,
    attachments,
    from_unix,
    require_list,
    require_mapping,
    shape_error,
    text_id,
)

ROLES: dict[str, Role] = {"user": "customer", "lead": "customer", "contact": "customer", "admin": "agent",
                          "team": "agent", "bot": "bot"}
ASSIGNMENTS = frozenset({"assignment", "default_assignment", "away_mode_assignment", "assign_and_unsnooze"})
PUBLIC_PARTS = frozenset({"comment", "open", "close", "snoozed", "assign_and_reopen", "quick_reply"})


def _text(body: object) -> str:
    """A message's body; a message without one (only attachments, or an event part) has ``""``."""
    return body if isinstance(body, str) else ""


def _files(part: Mapping[str, Any], path: str) -> list[dict[str, Any]]:
    """A source's or part's attachments, with Intercom's ``filesize`` read as the size."""
    return attachments(part.get("attachments"), f"{path}.attachments", size_key="filesize")


class IntercomSource(ExportSource):
    """Intercom conversations: comments, internal notes and assignments."""

    name = "intercom"
    description = "Intercom conversations with conversation_parts (comment, note, assignment), one per line"
    list_keys: ClassVar[tuple[str, ...]] = ("conversations",)

    @classmethod
    def detect(cls, head: bytes, path: Path) -> bool:
        return b'"conversation_parts"' in head

    def convert(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping) or not isinstance(data.get("conversation_parts"), Mapping):
            raise shape_error("Intercom conversation", "a conversation with conversation_parts", data)
        if data.get("id") is None:
            raise RecordError("the conversation has no id", "$.id")
        parts = [require_mapping(p, f"$.conversation_parts.conversation_parts[{i}]", "a conversation part")
                 for i, p in enumerate(require_list(data["conversation_parts"].get("conversation_parts"),
                                                    "$.conversation_parts.conversation_parts", "conversation parts"))]
        source: Mapping[str, Any] = data["source"] if isinstance(data.get("source"), Mapping) else {}
        names: dict[tuple[str, str], str] = {}
        for kind, key in (("admin", "admins"), ("team", "teams")):
            for i, item in enumerate(require_list(data.get(key), f"$.{key}", f"the {key} list")):
                item = require_mapping(item, f"$.{key}[{i}]", "a named object")
                if text_id(item.get("id")) and item.get("name"):
                    names[(kind, str(item["id"]))] = str(item["name"])
        for part in [source or {}, *parts]:
            author = part.get("author")
            if isinstance(author, Mapping) and author.get("name") and text_id(author.get("id")):
                names.setdefault((str(author.get("type")), str(author["id"])), str(author["name"]))

        def author_of(part: Mapping[str, Any], path: str) -> dict[str, Any]:
            author = part.get("author")
            if not isinstance(author, Mapping):
                raise RecordError("a message has no author", f"{path}.author")
            role = ROLES.get(str(author.get("type")), "agent")
            return {"id": text_id(author.get("id")), "name": author.get("name") or None,
                    "email": author.get("email") or None, "role": role}

        comments: list[dict[str, Any]] = []
        opening, opening_files = _text(source.get("body")), _files(source, "$.source")
        if opening.strip() or opening_files:
            comments.append({"id": source.get("id") or f"{data['id']}-source", "author": author_of(source, "$.source"),
                             "public": True, "created_at": from_unix(data.get("created_at"), "$.created_at"),
                             "body": opening, "attachments": opening_files})
        events: list[dict[str, Any]] = []
        current: dict[str, str | None] = {"admin": None, "team": None}
        for i, part in enumerate(parts):
            path = f"$.conversation_parts.conversation_parts[{i}]"
            part_type = str(part.get("part_type"))
            at = from_unix(part.get("created_at"), f"{path}.created_at")
            body, files = _text(part.get("body")), _files(part, path)
            assigned = part.get("assigned_to")
            if part_type in ASSIGNMENTS and isinstance(assigned, Mapping):
                kind = "team" if assigned.get("type") == "team" else "admin"
                aid = text_id(assigned.get("id"))
                nobody = assigned.get("type") == "nobody_admin" or aid in (None, "0")
                to = None if nobody or aid is None else names.get((kind, aid), aid)
                events.append({"type": "group_change" if kind == "team" else "assignee_change", "at": at,
                               "from": current[kind], "to": to, "actor": text_id((part.get("author") or {}).get("id"))})
                current[kind] = to
            if not body.strip() and not files:
                continue
            if part.get("id") is None:
                raise RecordError("a conversation part has no id", f"{path}.id")
            if part_type == "note" or part_type in ASSIGNMENTS:
                public = False
            elif part_type in PUBLIC_PARTS:
                public = True
            else:
                continue
            comments.append({"id": part["id"], "author": author_of(part, path), "public": public,
                             "created_at": at, "body": body, "attachments": files})
        tags = data.get("tags", {}).get("tags", []) if isinstance(data.get("tags"), Mapping) else []
        admin = text_id(data.get("admin_assignee_id"))
        team = text_id(data.get("team_assignee_id"))
        contacts = data.get("contacts", {}).get("contacts", []) if isinstance(data.get("contacts"), Mapping) else []
        requester = contacts[0] if contacts and isinstance(contacts[0], Mapping) else None
        return {
            "id": data["id"],
            "subject": data.get("title") or (source or {}).get("subject") or "",
            "priority": "high" if data.get("priority") == "priority" else None,
            "status": data.get("state"),
            "tags": [str(t.get("name")) for t in tags if isinstance(t, Mapping) and t.get("name")],
            "group": names.get(("team", team), team) if team else None,
            "created_at": from_unix(data.get("created_at"), "$.created_at"),
            "requester": {"id": text_id(requester.get("id"))} if requester else None,
            "assignee": {"id": admin, "name": names.get(("admin", admin))} if admin else None,
            "comments": comments,
            "events": events,
        }


@hookimpl
def holdthread_sources() -> list[type[Source]]:
    return [IntercomSource]
