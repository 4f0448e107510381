"""Macro and template libraries kept in git: YAML, JSON (Zendesk-style) or Markdown with front matter.

``holdthread check macros/refund.yaml`` lints a macro's body as the public reply it will become,
with its metadata carried on the ticket so rules can read it: the ticket's ``type`` is ``macro``,
its ``subject`` the macro's title, its ``tags`` ``macro`` plus the macro's own tags, and the
``updated`` date an event of type ``macro.updated`` (stale-macro reads it). The body is padded
with the line breaks of the front matter, so annotation lines match the file's lines.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, get_args

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Author, CheckRequest, Draft, Event, Kind, Ticket
from holdthread.linter.sources import Record, Source

MACRO_TYPE = "macro"
UPDATED_EVENT = "macro.updated"
YAML_SUFFIXES = frozenset({".yaml", ".yml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
#: Keys that hold a macro's text, in order of preference.
BODY_KEYS = ("body", "text", "content", "comment", "template", "reply", "message", "value")
TITLE_KEYS = ("title", "name", "id")
UPDATED_KEYS = ("updated", "updated_at", "last_updated", "last_reviewed", "reviewed")
#: A Zendesk macro sets the reply through an action on this field.
_ZENDESK_COMMENT_FIELDS = ("comment_value", "comment_value_html")


def has_front_matter(text: str) -> bool:
    return text.lstrip("\ufeff").startswith("---") and text.lstrip("\ufeff")[3:4] in ("\n", "\r")


def is_macro_file(text: str, suffix: str) -> bool:
    """Whether ``holdthread check`` should read this file as macros rather than a note or a ticket."""
    return suffix in YAML_SUFFIXES or (suffix in MARKDOWN_SUFFIXES and has_front_matter(text))


def is_macro_data(data: Any) -> bool:
    """Whether parsed JSON is a macro (or a list of macros) rather than a ticket or check request."""
    if isinstance(data, Mapping) and ("macro" in data or "macros" in data):
        return True
    items = data if isinstance(data, list) else [data]
    return bool(items) and all(
        isinstance(item, Mapping) and "ticket" not in item and "comments" not in item
        and ("actions" in item or any(k in item for k in BODY_KEYS[:5]))
        for item in items
    )


def read_macros(text: str, source: str, suffix: str) -> Iterator[Record]:
    """Records for a macro file: one per macro (a YAML or JSON file may hold a list)."""
    if suffix in MARKDOWN_SUFFIXES:
        yield _markdown_macro(text, source)
        return
    if suffix in YAML_SUFFIXES:
        try:
            data = YAML(typ="rt").load(io.StringIO(text))
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            yield Record(source, None, error=f"invalid YAML{where}: {getattr(exc, 'problem', None) or exc}")
            return
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Record(source, exc.lineno, error=f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
            return
    yield from macro_records(data, source, text)


def macro_records(data: Any, source: str, text: str = "") -> Iterator[Record]:
    """Records for parsed macro data: a macro, a list of macros, or ``{macros: [...]}``."""
    if isinstance(data, Mapping) and isinstance(data.get("macros"), list):
        data = data["macros"]
    elif isinstance(data, Mapping) and isinstance(data.get("macro"), Mapping):
        data = data["macro"]
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        name = source if len(items) == 1 else f"{source}[{index}]"
        if not isinstance(item, Mapping):
            got = type(item).__name__
            yield Record(source, None, error=f"{name}: expected a macro (a mapping with a body), got {got}")
            continue
        yield _macro_record(item, name, source, _body_line(item, text))


def _markdown_macro(text: str, source: str) -> Record:
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    end = text.find("\n---", 3)
    if end == -1:
        return Record(source, 1, error="front matter starts with --- but never ends: close it with a --- line")
    header, body = text[4:end], text[end + 4:]
    body = body[body.find("\n") + 1:] if "\n" in body else ""
    try:
        meta = YAML(typ="safe").load(header) or {}
    except YAMLError as exc:
        return Record(source, 1, error=f"invalid YAML in the front matter: {getattr(exc, 'problem', None) or exc}")
    if not isinstance(meta, Mapping):
        return Record(source, 1, error="the front matter must be a mapping of keys (title, updated, tags, ...)")
    padding = "\n" * (text[: end + 4].count("\n") + 1)
    return _macro_record({**meta, "body": body}, source, source, padding=padding)


def _body_line(item: Mapping[str, Any], text: str) -> int:
    """Line breaks before a YAML body, so annotation lines match the file (0 when unknown)."""
    lc = getattr(item, "lc", None)
    for key in BODY_KEYS:
        if key in item and lc is not None:
            line, _column = lc.value(key)
            raw = text.splitlines()[line] if line < len(text.splitlines()) else ""
            block = raw.rstrip().endswith(("|", ">", "|-", ">-", "|+", ">+"))
            return int(line) + (1 if block else 0)
    return 0


def _macro_record(item: Mapping[str, Any], name: str, source: str, line: int = 0, padding: str = "") -> Record:
    body = _body(item)
    if body is None:
        keys = ", ".join(BODY_KEYS)
        why = f"no text under any of {keys} (or a Zendesk comment_value action)"
        return Record(source, None, error=f"{name}: not a macro: {why}")
    title = next((str(item[k]) for k in TITLE_KEYS if item.get(k) is not None), name)
    events = []
    for key in UPDATED_KEYS:
        if item.get(key) is not None:
            updated = _as_datetime(item[key])
            if updated is None:
                return Record(source, None, error=f"{name}: {key}: {item[key]!r} is not a date; write it as YYYY-MM-DD")
            events.append(Event(type=UPDATED_EVENT, at=updated))
            break
    tags = item.get("tags") or []
    tags = [str(t) for t in tags] if isinstance(tags, list) else [str(tags)]
    kind = str(item.get("kind", "reply"))
    if kind not in get_args(Kind):
        return Record(source, None, error=f"{name}: kind: {kind!r} is not one of {', '.join(get_args(Kind))}")
    public = bool(item.get("public", kind == "reply"))
    ticket = Ticket(id=name, subject=title, type=MACRO_TYPE, tags=[MACRO_TYPE, *tags], events=events)
    draft = Draft(body=(padding or "\n" * line) + body, kind=kind, public=public, author=Author(role="agent"))
    return Record(source, None, request=CheckRequest(ticket=ticket, draft=draft), ticket_id=name)


def _body(item: Mapping[str, Any]) -> str | None:
    for key in BODY_KEYS:
        if isinstance(item.get(key), str):
            return str(item[key])
    actions = item.get("actions")
    if isinstance(actions, list):
        for action in actions:
            if isinstance(action, Mapping) and action.get("field") in _ZENDESK_COMMENT_FIELDS:
                value = action.get("value")
                if isinstance(value, list):  # Zendesk: ["channel:all", "text"]
                    value = value[-1] if value else None
                if isinstance(value, str):
                    return value
    return None


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def macro_bodies(directory: Path) -> list[str]:
    """The bodies of every macro file under ``directory`` (for the verbatim-paste check)."""
    bodies = []
    for path in sorted(directory.rglob("*")):
        suffix = path.suffix.lower()
        if not path.is_file() or suffix not in YAML_SUFFIXES | MARKDOWN_SUFFIXES | {".json", ".txt"}:
            continue
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        if suffix == ".txt" or (suffix in MARKDOWN_SUFFIXES and not has_front_matter(text)):
            bodies.append(text)
            continue
        for record in read_macros(text, str(path), suffix):
            if record.request is not None and record.request.draft is not None:
                bodies.append(record.request.draft.body)
    return bodies


class MacroSource(Source):
    """Macro libraries: YAML or JSON macros (Zendesk exports too), Markdown with front matter."""

    name = "macros"
    description = "macro and template files: .yaml/.yml, Zendesk macro .json, Markdown with front matter"

    @classmethod
    def detect(cls, head: bytes, path: Path) -> bool:
        suffix = path.suffix.lower()
        front_matter = head.lstrip(b"\xef\xbb\xbf").startswith(b"---")
        return suffix in YAML_SUFFIXES or (suffix in MARKDOWN_SUFFIXES and front_matter)

    def records(self, path: Path) -> Iterator[Record]:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            yield Record(str(path), None, error=f"cannot read: {exc}")
            return
        yield from read_macros(text, str(path), path.suffix.lower())


@hookimpl
def holdthread_sources() -> list[type[Source]]:
    return [MacroSource]
