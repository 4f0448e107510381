"""Generic JSON Lines, streamed: one holdthread ticket (or check request) per line.

``holdthread check`` reads small files through :mod:`holdthread.plugins.generic`; audits of large
exports need a stream and the per-ticket checks every export source gets (duplicate ids, sizes,
order), so this source reuses the generic reader's record validation line by line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import CheckRequest
from holdthread.linter.sources import Source
from holdthread.plugins._export import ExportSource, RecordError, first_record
from holdthread.plugins.inputs import request_from_json

#: Keys that mark a helpdesk's own record shape; such records are left to that helpdesk's source.
HELPDESK_KEYS = frozenset({"audits", "via", "child_events", "ticket_events", "conversations", "conversation_parts",
                           "followup_set", "requester_id", "description_text"})


def is_generic(data: dict[str, Any]) -> bool:
    """Whether a record is holdthread's generic ticket (or check request), not a helpdesk's shape.

    The generic shape keeps comments inside the ticket, each with an ``author`` object; a Zendesk
    bundle keeps them beside it, and the other helpdesks have keys of their own.
    """
    ticket = data.get("ticket", data)
    if not isinstance(ticket, dict) or "id" not in ticket or HELPDESK_KEYS & (set(data) | set(ticket)):
        return False
    comments = ticket.get("comments", [])
    return isinstance(comments, list) and all(isinstance(c, dict) and isinstance(c.get("author"), dict)
                                              for c in comments[:20])


class JsonlSource(ExportSource):
    """holdthread's generic ticket JSON, one ticket or check request per line (streamed)."""

    name = "jsonl"
    description = "holdthread's generic tickets or check requests, one JSON object per line (.jsonl), streamed"
    detect_rank: ClassVar[int] = 40
    list_keys: ClassVar[tuple[str, ...]] = ("tickets",)

    @classmethod
    def detect(cls, head: bytes, path: Path) -> bool:
        data = first_record(head)
        if data is not None:
            return is_generic(data)
        # A first line longer than the head: trust the suffix, unless a helpdesk's keys show.
        markers = [f'"{key}"'.encode() for key in HELPDESK_KEYS]
        return (path.suffix.lower() in (".jsonl", ".ndjson") and b'"comments"' in head
                and not any(m in head for m in markers))

    def convert(self, data: Any) -> dict[str, Any] | CheckRequest:
        record = request_from_json(data, self.name, None)
        if record.request is None:
            raise RecordError(record.error or "invalid ticket", record.path, record.ticket_id)
        return record.request


@hookimpl
def holdthread_sources() -> list[type[Source]]:
    return [JsonlSource]
