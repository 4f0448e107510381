"""What every helpdesk export source shares: streaming records, grouping, checks, one Record each.

An export is untrusted and large. This module reads it record by record (one JSON object per
line, or one API page), so memory stays flat however big the file is, and turns every input
record into exactly one :class:`~holdthread.linter.sources.Record`: a request to lint, or the
reason it cannot be linted (a cut-off last line, invalid JSON, non-UTF-8 bytes with their byte
offset, a record of another helpdesk's shape, a duplicate ticket id, a comment over the policy's
size limit). A helpdesk source only says how one of its records becomes holdthread's generic
ticket shape (:meth:`ExportSource.convert`).
"""

from __future__ import annotations

import itertools
import json
import logging
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from pydantic import ValidationError

from holdthread.linter.engine import validation_problems
from holdthread.linter.history import utc
from holdthread.linter.models import CheckRequest, Ticket
from holdthread.linter.policy import Limits
from holdthread.linter.sources import Record, SeenIds, Source
from holdthread.linter.text import plain_text

logger = logging.getLogger("holdthread.sources")

#: A single line (record) larger than this is rejected without being held in memory.
MAX_RECORD_BYTES = 64 * 1024 * 1024
#: A JSON document (one API page, not JSON Lines) is parsed whole, so it has a cap.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
_READ_CHUNK = 1024 * 1024


class RecordError(Exception):
    """A record that cannot become a ticket; ``path`` is a JSON path inside the record."""

    def __init__(self, message: str, path: str | None = None, ticket_id: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.ticket_id = None if ticket_id is None else str(ticket_id)


@dataclass(frozen=True)
class RawRecord:
    """One record as read from the file, before it is converted: JSON data or a read error."""

    line: int | None
    data: Any = None
    error: str | None = None
    #: Where inside a JSON document the record sits (``$.tickets[3]``), if it came from one.
    path: str | None = None


# --- reading lines and JSON records ------------------------------------------------------------


def iter_lines(handle: BinaryIO, max_bytes: int = MAX_RECORD_BYTES) -> Iterator[tuple[int, int, bytes | None, bool]]:
    """``(line number, byte offset, bytes or None if over max_bytes, ends with newline)`` per line.

    An over-long line is skipped chunk by chunk, never held whole in memory.
    """
    number = 0
    offset = 0
    while True:
        raw = handle.readline(max_bytes + 1)
        if not raw:
            return
        number += 1
        start = offset
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            size = len(raw)
            while not raw.endswith(b"\n"):
                raw = handle.readline(_READ_CHUNK)
                if not raw:
                    break
                size += len(raw)
            offset += size
            yield number, start, None, raw.endswith(b"\n")
            continue
        offset += len(raw)
        yield number, start, raw, raw.endswith(b"\n")


def decode_line(raw: bytes, line: int, offset: int) -> tuple[str | None, str | None]:
    """The line as text, or an error naming the first invalid byte and its offset in the file."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, (
            f"line {line} is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte offset {offset + exc.start} "
            "of the file); this line is skipped, the rest is read. Re-export the file as UTF-8"
        )


def _first_meaningful(handle: BinaryIO) -> bytes:
    head = handle.read(4096)
    handle.seek(0)
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")


def _is_jsonl(handle: BinaryIO, suffix: str) -> bool:
    """JSON Lines when the suffix says so or the first line is a whole JSON object on its own."""
    if suffix in (".jsonl", ".ndjson"):
        return True
    first = handle.readline(MAX_RECORD_BYTES)
    handle.seek(0)
    try:
        return isinstance(json.loads(first.decode("utf-8-sig")), dict)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False


def iter_jsonl(handle: BinaryIO) -> Iterator[RawRecord]:
    """One RawRecord per non-blank line; a cut-off last line is called truncated."""
    for number, offset, raw, ended in iter_lines(handle):
        if raw is None:
            yield RawRecord(number, error=f"line {number} is over {MAX_RECORD_BYTES // 1_048_576} MiB; skipped")
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw, offset = raw[3:], offset + 3
        text, error = decode_line(raw, number, offset)
        if text is None:
            yield RawRecord(number, error=error)
            continue
        if not text.strip():
            continue
        try:
            yield RawRecord(number, json.loads(text))
        except json.JSONDecodeError as exc:
            if not ended:
                yield RawRecord(number, error=(
                    f"line {number} is cut off: the file ends in the middle of a record ({exc.msg} at column "
                    f"{exc.colno}; a truncated export?); re-export it, or drop this last line"))
            else:
                yield RawRecord(number, error=f"line {number} is not valid JSON (column {exc.colno}: {exc.msg})")


def iter_document(handle: BinaryIO, list_keys: Iterable[str]) -> Iterator[RawRecord]:
    """Records of one JSON document: a list, a page ``{"tickets": [...]}``, or a single record."""
    data_bytes = handle.read(MAX_DOCUMENT_BYTES + 1)
    if len(data_bytes) > MAX_DOCUMENT_BYTES:
        yield RawRecord(None, error=(
            f"the JSON document is over {MAX_DOCUMENT_BYTES // 1_048_576} MiB; export it as JSON Lines "
            "(one record per line), which is read as a stream"))
        return
    text, error = decode_line(data_bytes.removeprefix(b"\xef\xbb\xbf"), data_bytes.count(b"\n", 0) + 1, 0)
    if text is None:
        try:
            data_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data_bytes.count(b"\n", 0, exc.start) + 1
            error = (f"line {line} is not valid UTF-8 (byte 0x{data_bytes[exc.start]:02x} at byte offset {exc.start}); "
                     "a single JSON document cannot be read around it. Re-export the file as UTF-8")
        yield RawRecord(None, error=error)
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1:
            yield RawRecord(exc.lineno, error="the JSON document is cut off at the end of the file (truncated export?)")
        else:
            yield RawRecord(exc.lineno, error=f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
        return
    if isinstance(data, dict):
        for key in list_keys:
            if isinstance(data.get(key), list):
                for index, item in enumerate(data[key]):
                    yield RawRecord(None, item, path=f"$.{key}[{index}]")
                return
        yield RawRecord(None, data, path="$")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield RawRecord(None, item, path=f"$[{index}]")
    else:
        yield RawRecord(None, error=f"expected a JSON object or list of records, got {type(data).__name__}")


def iter_json_records(path: Path, list_keys: Iterable[str] = ()) -> Iterator[RawRecord]:
    """JSON records from JSON Lines (streamed) or a JSON document; an empty file is one error."""
    with path.open("rb") as handle:
        head = _first_meaningful(handle)
        if not head:
            yield RawRecord(None, error="empty file: it holds no records")
            return
        if path.suffix.lower() in (".jsonl", ".ndjson") or (head.startswith(b"{") and _is_jsonl(handle, "")):
            yield from iter_jsonl(handle)
        else:
            yield from iter_document(handle, list_keys)


# --- grouping records that belong to one ticket -----------------------------------------------


class Spool:
    """Groups records by ticket on disk (SQLite), in order of each ticket's first appearance.

    Exports such as Zendesk's ticket events or a CSV sorted by time interleave tickets; holding
    them all in memory would grow with the export, so they are spooled to a temporary database.
    """

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="holdthread-spool-")
        self._db = sqlite3.connect(Path(self._dir.name) / "spool.sqlite")
        self._db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
            "CREATE TABLE rows (key TEXT, seq INTEGER, line INTEGER, payload TEXT);"
            "CREATE TABLE keys (key TEXT PRIMARY KEY, first INTEGER);"
        )
        self._seq = 0

    def add(self, key: str, line: int | None, payload: Any) -> None:
        self._seq += 1
        self._db.execute("INSERT OR IGNORE INTO keys VALUES (?, ?)", (key, self._seq))
        self._db.execute("INSERT INTO rows VALUES (?, ?, ?, ?)", (key, self._seq, line, json.dumps(payload)))

    def groups(self) -> Iterator[tuple[str, list[tuple[int | None, Any]]]]:
        """``(key, [(line, payload), ...])`` per key, keys by first appearance, rows in order."""
        self._db.execute("CREATE INDEX rows_key ON rows (key, seq)")
        cursor = self._db.execute(
            "SELECT r.key, r.line, r.payload FROM keys k JOIN rows r ON r.key = k.key ORDER BY k.first, r.seq")
        current: str | None = None
        rows: list[tuple[int | None, Any]] = []
        for key, line, payload in cursor:
            if key != current and current is not None:
                yield current, rows
                rows = []
            current = key
            rows.append((line, json.loads(payload)))
        if current is not None:
            yield current, rows

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()


# --- small conversions every helpdesk needs ---------------------------------------------------


def text_id(value: object) -> str | None:
    """Ids as text (helpdesks use numbers); ``None`` and empty strings stay ``None``."""
    if value is None or value == "":
        return None
    return str(value)


def from_unix(value: object, path: str) -> datetime | None:
    """A Unix timestamp (Intercom, Zendesk ``timestamp``) as an aware UTC datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordError(f"expected a Unix timestamp (seconds), got {value!r}", path)
    return datetime.fromtimestamp(value, UTC)


def require_mapping(value: object, path: str, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RecordError(f"expected {what} (a JSON object), got {type(value).__name__}", path)
    return value


def require_list(value: object, path: str, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"expected {what} (a JSON list), got {type(value).__name__}", path)
    return value


def attachments(value: object, path: str, *, name_key: str = "name", size_key: str = "size") -> list[dict[str, Any]]:
    """A message's files in the generic shape ``{name, content_type, size}``, read under the
    helpdesk's own keys (Zendesk's ``file_name``, Intercom's ``filesize``).

    Rules read a file's name and type: a customer who attached a screenshot or a HAR file has
    given it, whatever the message says. URLs are not kept, since nothing downloads a file. A
    value that is not a list, an item that is not an object or a field of the wrong type rejects
    the ticket at its JSON path: dropping the file silently would let ``repeated-ask`` blame an
    agent's reply, or excuse it, on a thread that is not the one the customer saw.
    """
    files: list[dict[str, Any]] = []
    for index, item in enumerate(require_list(value, path, "the message's attachments")):
        where = f"{path}[{index}]"
        item = require_mapping(item, where, "an attachment")
        files.append({
            "name": _typed(item, name_key, str, where) or "",
            "content_type": _typed(item, "content_type", str, where),
            "size": _typed(item, size_key, int, where),
        })
    return files


def _typed(item: Mapping[str, Any], key: str, kind: type, path: str) -> Any:
    """``item[key]`` when it is missing, null or a ``kind``; anything else is a record error at its path."""
    value = item.get(key)
    if value is None or (isinstance(value, kind) and not isinstance(value, bool)):
        return value
    expected = "a JSON string" if kind is str else "a whole number of bytes"
    raise RecordError(f"expected the attachment's {key} ({expected}), got {type(value).__name__}", f"{path}.{key}")


def shape_error(source: str, expected: str, data: object) -> RecordError:
    """A record of another shape: names what was expected and what was found (mixed files)."""
    found = ", ".join(sorted(data)[:8]) if isinstance(data, Mapping) else type(data).__name__
    return RecordError(
        f"not a {source} record: expected {expected}; found {found or 'an empty object'}. "
        "Does the file mix exports of different helpdesks? Split it, or pick the source with --source",
        "$",
    )


# --- the base class ----------------------------------------------------------------------------

#: The warning a ticket gets when its export listed comments out of time order.
OUT_OF_ORDER = "comments or events were out of time order in the export; sorted by time"


class ExportSource(Source):
    """A source that reads an export record by record and checks every ticket the same way.

    Duplicate ticket ids: the first record wins; a later record with the same id is rejected
    with a reason naming the line of the first (linting both would count the ticket twice in
    the QA scores). Comments out of order are sorted by ``created_at`` when every comment has
    one, else kept in file order. A comment whose plain text is over ``max_note_chars`` rejects
    its ticket, with the comment's position.
    """

    #: Lower ranks are asked first by :func:`detect_source` (specific helpdesks before generic).
    detect_rank: ClassVar[int] = 10
    #: Keys under which a JSON document (one API page) lists its records.
    list_keys: ClassVar[tuple[str, ...]] = ()

    def __init__(self, max_note_chars: int | None = None) -> None:
        self.max_note_chars = max_note_chars or Limits().max_note_chars

    # Subclasses implement one of these two.
    def convert(self, data: Any) -> dict[str, Any] | CheckRequest:
        """One record as a generic ticket dict (or a CheckRequest); raise RecordError if it cannot."""
        raise NotImplementedError

    def records(self, path: Path) -> Iterator[Record]:
        seen = SeenIds()
        try:
            for raw in iter_json_records(path, self.list_keys):
                yield self.finish(self.build(raw), seen)
        except OSError as exc:
            yield Record(str(path), None, error=f"cannot read the file: {exc.strerror or exc}")

    def build(self, raw: RawRecord, source: str | None = None) -> Record:
        """A RawRecord converted and validated (but not yet checked for duplicates or sizes)."""
        name = source or self.name
        if raw.error is not None:
            return Record(name, raw.line, error=raw.error, path=raw.path)
        try:
            converted = self.convert(raw.data)
        except RecordError as exc:
            return Record(name, raw.line, error=exc.message, ticket_id=exc.ticket_id, path=_join(raw.path, exc.path))
        return self.validated(converted, raw, name)

    def validated(self, converted: dict[str, Any] | CheckRequest, raw: RawRecord, name: str) -> Record:
        """A converted record validated as a generic ticket, with JSON paths for bad fields."""
        if isinstance(converted, CheckRequest):
            return Record(name, raw.line, request=converted, ticket_id=converted.ticket.id, path=raw.path)
        try:
            ticket = Ticket.model_validate(converted)
        except ValidationError as exc:
            problems = validation_problems(exc, name, raw.line)
            detail = "; ".join(f"{p.path}: {p.message}" for p in problems[:5])
            return Record(name, raw.line, error=f"the converted ticket is invalid: {detail}",
                          ticket_id=text_id(converted.get("id")), path=_join(raw.path, problems[0].path))
        return Record(name, raw.line, request=CheckRequest(ticket=ticket), ticket_id=ticket.id, path=raw.path)

    def finish(self, record: Record, seen: SeenIds) -> Record:
        """Duplicate ids, comment sizes and order: the checks every source's tickets get."""
        if record.request is None:
            return record
        ticket = record.request.ticket
        where = f"line {record.line}" if record.line is not None else (record.path or "?")
        first = seen.first_seen(ticket.id, where)
        if first is not None:
            return Record(record.source, record.line, error=(
                f"duplicate ticket id {ticket.id!r}: already read at {first}; "
                "the first record is linted and this one is skipped. Deduplicate the export"),
                ticket_id=ticket.id, path=record.path)
        for index, comment in enumerate(ticket.comments):
            if len(comment.body) > self.max_note_chars:
                size = len(plain_text(comment.body))
                if size > self.max_note_chars:
                    return Record(record.source, record.line, error=(
                        f"comment {comment.id} is {size:,} characters, over the policy limit of "
                        f"{self.max_note_chars:,} (limits.max_note_chars); the ticket is skipped. Raise the limit "
                        "in the policy if such comments are expected"),
                        ticket_id=ticket.id, path=_join(record.path, f"$.comments[{index}].body"))
        ordered = sort_thread(ticket)
        if ordered is not ticket:
            logger.info("ticket %s (%s): %s", ticket.id, where, OUT_OF_ORDER)
            record = Record(record.source, record.line, request=record.request.model_copy(update={"ticket": ordered}),
                            ticket_id=ticket.id, path=record.path, warnings=(*record.warnings, OUT_OF_ORDER))
        return record


def _join(outer: str | None, inner: str | None) -> str | None:
    if outer is None or outer == "$":
        return inner
    if inner is None:
        return outer
    return outer + inner.removeprefix("$")


def sort_thread(ticket: Ticket) -> Ticket:
    """The ticket with comments and events in time order, or the same object if already so.

    Only sorted when every comment has a timestamp: without one, file order is the best guess
    of when a comment was written, and sorting around it would invent an order.
    """
    comments = ticket.comments
    times = [c.created_at for c in comments]
    update: dict[str, Any] = {}
    if all(t is not None for t in times):
        keys = [utc(t) for t in times if t is not None]
        if any(a > b for a, b in itertools.pairwise(keys)):
            update["comments"] = [c for _, c in sorted(zip(keys, comments, strict=True), key=lambda pair: pair[0])]
    event_keys = [utc(e.at) for e in ticket.events if e.at is not None]
    if len(event_keys) == len(ticket.events) and any(a > b for a, b in itertools.pairwise(event_keys)):
        update["events"] = sorted(ticket.events, key=lambda e: utc(e.at) if e.at else datetime.min.replace(tzinfo=UTC))
    return ticket.model_copy(update=update) if update else ticket


def first_record(head: bytes) -> dict[str, Any] | None:
    """The first record of a JSON Lines head, when its first line is complete; else ``None``.

    Detection looks at the record's keys when it can, and falls back to byte markers for a
    pretty-printed JSON document or a first line longer than the head.
    """
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    first = text.split(b"\n", 1)[0]
    if not first.startswith(b"{"):
        return None
    try:
        data = json.loads(first)
    except (json.JSONDecodeError, UnicodeDecodeError):
        data = _whole_record(text)
    return data if isinstance(data, dict) else None


def _whole_record(text: bytes) -> dict[str, Any] | None:
    """A pretty-printed file that fits in the head, when it is one record (it has a ``ticket`` or an
    ``id``), not a page of records: its keys tell a Zendesk bundle (comments beside the ticket)
    from a generic check request (comments inside it), which byte markers cannot."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) and ("ticket" in data or "id" in data) else None


def detect_source(path: Path, sources: Iterable[type[Source]], head_bytes: int = 65536) -> type[Source] | None:
    """The source that reads ``path``, asking specific helpdesks before generic JSON.

    Each source's ``detect`` sees the file's first bytes; sources with a lower ``detect_rank``
    (helpdesk exports: 10, generic JSON Lines: 40, others: 50) are asked first, because a
    Zendesk record also looks like generic JSON with ``comments``.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(head_bytes)
    except OSError:
        return None
    ordered = sorted(sources, key=lambda s: (getattr(s, "detect_rank", 50), s.name))
    for source in ordered:
        if source.detect(head, path):
            return source
    return None
