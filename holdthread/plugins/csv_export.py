"""CSV exports: one row per comment, grouped into tickets by ``ticket_id``.

Columns (a header row names them; order does not matter, unknown columns are ignored):

``ticket_id`` (required), ``body`` (required), ``comment_id`` (default ``<ticket_id>-<n>``),
``subject``, ``type``, ``status``, ``priority``, ``tags`` (comma-separated), ``group``,
``assignee``, ``requester``, ``author_id``, ``author_name``, ``author_role`` (customer, agent,
system, bot; also end-user / requester = customer, admin / staff = agent; default agent),
``public`` (true/false, yes/no, 1/0, public/internal; default true), ``kind`` (reply, note,
escalation, handoff; default from ``public``), ``created_at`` (ISO 8601).

``group`` and ``assignee`` are read per row as the ticket's team and owner when that comment
was written: a change from one row to the next becomes a ``group_change`` / ``assignee_change``
event at the later row's time, and the last value is the ticket's. Ticket fields (subject, type,
...) come from the first row that has them.

Rows of one ticket need not be next to each other (exports sorted by time interleave tickets):
they are grouped on disk, in order of each ticket's first row, so memory stays flat. A row that
cannot be read (no ticket_id, invalid UTF-8, wrong number of fields) is rejected on its own; a
row with a bad value (an unknown role, a date that is not ISO 8601) rejects its ticket, naming the
line and column.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from holdthread.linter.history import utc
from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Kind, Role
from holdthread.linter.sources import Record, SeenIds, Source
from holdthread.plugins._export import (
    MAX_RECORD_BYTES,
    ExportSource,
    RawRecord,
    RecordError,
    Spool,
    decode_line,
    iter_lines,
)

REQUIRED = ("ticket_id", "body")
COLUMNS = ("ticket_id", "subject", "type", "status", "priority", "tags", "group", "assignee", "requester",
           "comment_id", "author_id", "author_name", "author_role", "public", "kind", "created_at", "body")
TICKET_FIELDS = ("subject", "type", "status", "priority")
ROLES: dict[str, Role] = {
    "customer": "customer", "end-user": "customer", "end_user": "customer", "enduser": "customer",
    "requester": "customer", "user": "customer", "contact": "customer", "agent": "agent", "admin": "agent",
    "staff": "agent", "system": "system", "bot": "bot",
}
BOOLEANS = {"true": True, "yes": True, "1": True, "public": True, "false": False, "no": False, "0": False,
            "internal": False, "private": False}
KINDS: tuple[Kind, ...] = ("reply", "note", "escalation", "handoff")


class _Lines:
    """Decoded physical lines for the csv reader, remembering invalid UTF-8 by byte offset."""

    def __init__(self, handle: BinaryIO) -> None:
        self._lines = iter_lines(handle, MAX_RECORD_BYTES)
        self.problems: list[str] = []
        self.ended_with_newline = True

    def __iter__(self) -> Iterator[str]:
        for number, offset, raw, ended in self._lines:
            self.ended_with_newline = ended
            if raw is None:
                self.problems.append(f"line {number} is over {MAX_RECORD_BYTES // 1_048_576} MiB")
                yield "\n"
                continue
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            text, error = decode_line(raw, number, offset)
            if text is None:
                self.problems.append(error or "")
                text = raw.decode("utf-8", errors="replace")
            yield text


def _cell(row: Mapping[str, str], column: str) -> str:
    return (row.get(column) or "").strip()


class CsvSource(ExportSource):
    """One row per comment (see the module docstring for the columns)."""

    name = "csv"
    description = "CSV, one row per comment: ticket_id, author_role, public, created_at, body, ... (grouped by ticket)"

    @classmethod
    def detect(cls, head: bytes, path: Path) -> bool:
        header = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", errors="replace")
        names = {c.strip().strip('"').lower() for c in header.split(",")}
        return all(column in names for column in REQUIRED)

    def records(self, path: Path) -> Iterator[Record]:
        seen = SeenIds()
        spool = Spool()
        try:
            with path.open("rb") as handle:
                yield from self._spool_rows(handle, spool)
            for key, rows in spool.groups():
                if key.startswith("\x00"):
                    line, error = rows[0][1]
                    yield Record(self.name, line, error=error)
                    continue
                try:
                    ticket = self._ticket(key, rows)
                except RecordError as exc:
                    yield Record(self.name, rows[0][0], error=exc.message, ticket_id=key, path=exc.path)
                    continue
                yield self.finish(self.validated(ticket, RawRecord(rows[0][0]), self.name), seen)
        except OSError as exc:
            yield Record(str(path), None, error=f"cannot read the file: {exc.strerror or exc}")
        finally:
            spool.close()

    def _spool_rows(self, handle: BinaryIO, spool: Spool) -> Iterator[Record]:
        """Put every row in the spool (under its ticket, or as a rejection); yields file-level errors."""
        lines = _Lines(handle)
        csv.field_size_limit(MAX_RECORD_BYTES)
        reader = csv.reader(lines)
        header: list[str] | None = None
        rejected = itertools.count()
        previous_end = 0
        rows = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                spool.add(f"\x00{next(rejected)}", reader.line_num, [reader.line_num, f"line {reader.line_num}: {exc}"])
                previous_end = reader.line_num
                continue
            line, previous_end = previous_end + 1, reader.line_num
            if lines.problems:
                spool.add(f"\x00{next(rejected)}", line, [line, "; ".join(lines.problems)])
                lines.problems.clear()
                continue
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip().lower() for c in cells]
                missing = [c for c in REQUIRED if c not in header]
                if missing:
                    yield Record(self.name, line, error=(
                        f"the CSV header has no {', '.join(missing)} column; expected columns such as "
                        f"{', '.join(COLUMNS)} (see docs/sources.md)"))
                    return
                continue
            rows += 1
            if len(cells) != len(header):
                cut = not lines.ended_with_newline and len(cells) < len(header)
                reason = (f"line {line} is cut off: the file ends in the middle of a row (a truncated export?)" if cut
                          else f"line {line} has {len(cells)} fields, the header has {len(header)}; the row is skipped")
                spool.add(f"\x00{next(rejected)}", line, [line, reason])
                continue
            row = dict(zip(header, cells, strict=True))
            ticket_id = _cell(row, "ticket_id")
            if not ticket_id:
                spool.add(f"\x00{next(rejected)}", line, [line, f"line {line} has no ticket_id; the row is skipped"])
                continue
            spool.add(ticket_id, line, row)
        if header is None:
            yield Record(self.name, None, error="empty file: no CSV header and no rows")
        elif rows == 0:
            yield Record(self.name, None, error="the CSV file has a header but no rows")

    @staticmethod
    def _ticket(ticket_id: str, rows: list[tuple[int | None, Any]]) -> dict[str, Any]:
        ticket: dict[str, Any] = {"id": ticket_id, "tags": [], "comments": [], "events": []}
        state: dict[str, str | None] = {"group": None, "assignee": None}
        for number, (line, row) in enumerate(_in_time_order(rows), start=1):
            def bad(column: str, message: str, line: int | None = line, index: int = number - 1) -> RecordError:
                return RecordError(f"line {line}, column {column}: {message}; the ticket is skipped",
                                   f"$.comments[{index}]", ticket_id)

            for field in TICKET_FIELDS:
                if field not in ticket and _cell(row, field):
                    ticket[field] = _cell(row, field)
            if not ticket["tags"] and _cell(row, "tags"):
                ticket["tags"] = [t.strip() for t in _cell(row, "tags").replace(";", ",").split(",") if t.strip()]
            if "requester" not in ticket and _cell(row, "requester"):
                ticket["requester"] = {"name": _cell(row, "requester")}
            created: datetime | None = None
            if _cell(row, "created_at"):
                try:
                    created = datetime.fromisoformat(_cell(row, "created_at"))
                except ValueError:
                    raise bad("created_at", f"{_cell(row, 'created_at')!r} is not an ISO 8601 date and time") from None
            role_text = _cell(row, "author_role").lower() or "agent"
            if role_text not in ROLES:
                raise bad("author_role", f"unknown role {role_text!r}; use customer, agent, system or bot")
            public_text = _cell(row, "public").lower() or "true"
            if public_text not in BOOLEANS:
                raise bad("public", f"{public_text!r} is not true or false")
            kind = _cell(row, "kind").lower() or None
            if kind is not None and kind not in KINDS:
                raise bad("kind", f"unknown kind {kind!r}; use {', '.join(KINDS)}")
            for column, event in (("group", "group_change"), ("assignee", "assignee_change")):
                value = _cell(row, column) or None
                if value is not None and state[column] is not None and value != state[column]:
                    ticket["events"].append({"type": event, "at": created, "from": state[column], "to": value})
                if value is not None:
                    state[column] = value
            ticket["comments"].append({
                "id": _cell(row, "comment_id") or f"{ticket_id}-{number}",
                "author": {"id": _cell(row, "author_id") or None, "name": _cell(row, "author_name") or None,
                           "role": ROLES[role_text]},
                "public": BOOLEANS[public_text],
                "created_at": created,
                "kind": kind,
                "body": row.get("body", ""),
            })
        ticket["group"] = state["group"]
        ticket["assignee"] = {"name": state["assignee"]} if state["assignee"] else None
        return ticket


def _in_time_order(rows: list[tuple[int | None, Any]]) -> list[tuple[int | None, Any]]:
    """Rows sorted by ``created_at`` when every row has a valid one (so events follow time), else as given."""
    try:
        keys = [utc(datetime.fromisoformat(_cell(row, "created_at"))) for _, row in rows]
    except ValueError:
        return rows
    return [row for _, row in sorted(zip(keys, rows, strict=True), key=lambda pair: pair[0])]


@hookimpl
def holdthread_sources() -> list[type[Source]]:
    return [CsvSource]
