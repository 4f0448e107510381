"""Reading what ``holdthread check`` is given: notes, tickets, check requests, JSONL of either,
and macro files. It is the generic source's reader (:mod:`holdthread.plugins.generic`), so it
lives with the plugins: the engine in ``holdthread.linter`` knows no input format.

Each input becomes a :class:`~holdthread.linter.sources.Record`; bad input becomes a record with
a located error (``file:line:column`` for JSON syntax, a JSON path for schema errors) instead of
an exception, so one bad file does not hide the findings of the others.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from holdthread.linter.engine import validation_problems
from holdthread.linter.models import CheckRequest, Draft, Kind, Ticket
from holdthread.linter.sources import Record
from holdthread.plugins.macros import is_macro_data, is_macro_file, macro_records, read_macros

NOTE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".note"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
#: Bytes read to decide whether a file is binary.
SNIFF_BYTES = 8192
#: How standard input is named in messages and reports.
STDIN = "<stdin>"


def decode(data: bytes, source: str) -> tuple[str | None, str | None]:
    """UTF-8 text, or an error naming the line and byte of the first invalid sequence."""
    if b"\x00" in data[:SNIFF_BYTES]:
        return None, "binary file (it contains NUL bytes), not a note or JSON; skipped"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        return None, f"line {line}: not valid UTF-8 (byte 0x{byte:02x} at offset {exc.start}); save the file as UTF-8"


def request_from_json(data: Any, source: str, line: int | None) -> Record:
    """A check request (``{"ticket", "draft"}``) or a bare ticket, validated with JSON paths."""
    if not isinstance(data, dict):
        got = type(data).__name__
        return Record(source, line, error=f"expected a JSON object (a ticket or a check request), got {got}", path="$")
    ticket_id = data.get("ticket", {}).get("id") if isinstance(data.get("ticket"), dict) else data.get("id")
    try:
        if "ticket" in data:
            request = CheckRequest.model_validate(data)
        else:
            request = CheckRequest(ticket=Ticket.model_validate(data))
    except ValidationError as exc:
        problems = validation_problems(exc, source, line)
        detail = "; ".join(f"{p.path}: {p.message}" for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        known_id = None if ticket_id is None else str(ticket_id)
        return Record(source, line, error=detail + more, ticket_id=known_id, path=problems[0].path)
    return Record(source, line, request=request, ticket_id=request.ticket.id)


def note_record(text: str, source: str, kind: Kind = "escalation") -> Record:
    """A plain text or markdown note, linted as a draft of ``kind`` with no thread.

    A ``reply`` is public (what the customer will read); every other kind is an internal note.
    """
    if not text.strip():
        return Record(source, None, error="empty note: there is nothing to lint")
    request = CheckRequest(ticket=Ticket(id=source), draft=Draft(body=text, kind=kind, public=kind == "reply"))
    return Record(source, None, request=request, ticket_id=source)


def _json_error(exc: json.JSONDecodeError, source: str, line_offset: int = 0) -> Record:
    line = exc.lineno + line_offset
    return Record(source, line, error=f"invalid JSON at line {line}, column {exc.colno}: {exc.msg}")


def records_from_text(text: str, source: str, suffix: str, note_kind: Kind = "escalation") -> Iterator[Record]:
    """Records from decoded text, by file suffix, or by content when the suffix says nothing.

    ``note_kind`` is what a plain note is linted as (``holdthread check --kind``).
    """
    if is_macro_file(text, suffix):  # .yaml/.yml, or Markdown with front matter: a macro library
        yield from read_macros(text, source, suffix)
        return
    stripped = text.lstrip()
    if suffix in JSONL_SUFFIXES or (suffix not in NOTE_SUFFIXES | JSON_SUFFIXES and _looks_like_jsonl(stripped)):
        yield from _jsonl_records(text, source)
    elif suffix in JSON_SUFFIXES or (suffix not in NOTE_SUFFIXES and stripped.startswith(("{", "["))):
        if not stripped:
            yield Record(source, None, error="empty file: expected a JSON ticket or check request")
            return
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield _json_error(exc, source)
            return
        if is_macro_data(data):  # a Zendesk-style macro export, not a ticket
            yield from macro_records(data, source, text)
            return
        items = data if isinstance(data, list) else [data]
        for index, item in enumerate(items):
            record = request_from_json(item, source, None)
            if isinstance(data, list) and record.error is not None:
                # Paths inside a JSON array start at the item: $[3].ticket.comments[0].body
                record = dataclasses.replace(record, error=record.error.replace("$", f"$[{index}]"))
            yield record
    else:
        yield note_record(text, source, note_kind)


def _looks_like_jsonl(text: str) -> bool:
    first, _, rest = text.partition("\n")
    return first.startswith("{") and first.rstrip().endswith("}") and rest.lstrip().startswith("{")


def _jsonl_records(text: str, source: str) -> Iterator[Record]:
    seen_any = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        seen_any = True
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _json_error(exc, source, number - 1)
            continue
        yield request_from_json(data, source, number)
    if not seen_any:
        yield Record(source, None, error="empty file: expected one JSON ticket or check request per line")


def read_path(path: Path | str, note_kind: Kind = "escalation") -> Iterator[Record]:
    """Records from a file, or from standard input when ``path`` is ``-``."""
    if str(path) == "-":
        yield from read_bytes(sys.stdin.buffer.read(), STDIN, "", note_kind)
        return
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Record(str(path), None, error=f"cannot read: {exc.strerror or exc}")
        return
    yield from read_bytes(data, str(path), path.suffix.lower(), note_kind)


def read_bytes(data: bytes, source: str, suffix: str, note_kind: Kind = "escalation") -> Iterator[Record]:
    """Records from the bytes of a file (or of standard input) named ``source``."""
    text, error = decode(data, source)
    if error is not None or text is None:
        yield Record(source, None, error=error)
        return
    yield from records_from_text(text, source, suffix, note_kind)
