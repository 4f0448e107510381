"""Request bodies: content type, a size limit enforced while streaming, JSON with located errors.

Errors are :class:`HTTPProblem` exceptions that the app turns into JSON answers. Pointers are
RFC 6901 JSON pointers into the body the client sent (``/ticket/comments/2/body``), so a helpdesk
admin can find the bad field in their payload. No error message quotes a body.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True)
class Pointed:
    """One problem in a body, at a JSON pointer."""

    pointer: str
    message: str


@dataclass
class HTTPProblem(Exception):
    """An error answer: status, a sentence that says what to do, located problems, headers."""

    status: int
    message: str
    problems: list[Pointed] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        result: dict[str, Any] = {"error": self.message}
        if self.problems:
            result["problems"] = [{"pointer": p.pointer, "message": p.message} for p in self.problems]
        return result


def pointer(location: Iterable[str | int]) -> str:
    """A JSON pointer from a path of keys and indexes, escaping ``~`` and ``/``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in location)


def validation_pointers(error: ValidationError, prefix: Iterable[str | int] = ()) -> list[Pointed]:
    """pydantic errors as pointed problems (the input value is never quoted)."""
    base = tuple(prefix)
    return [Pointed(pointer((*base, *item["loc"])), item["msg"]) for item in error.errors()]


def check_content_type(headers: Mapping[str, str]) -> None:
    """Only JSON bodies (``application/json`` or ``application/*+json``); else 415."""
    media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
        shown = media or "none"
        raise HTTPProblem(415, f"expected Content-Type: application/json, got {shown}")


async def read_limited(headers: Mapping[str, str], chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """The body, refusing with 413 as soon as it passes ``limit`` bytes (before reading the rest)."""
    kib = limit / 1024
    too_large = HTTPProblem(413, f"the request body is over the limit of {limit:,} bytes ({kib:g} KiB); send a "
                                 "shorter thread (the newest comments matter most) or raise --max-body-bytes")
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    buffer = bytearray()
    async for chunk in chunks:
        buffer.extend(chunk)
        if len(buffer) > limit:
            raise too_large
    return bytes(buffer)


def parse_json(raw: bytes) -> Any:
    """The JSON value of the body; 400 with line and column on a syntax or encoding error."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPProblem(400, f"the body is not UTF-8 (invalid byte at offset {exc.start})",
                          [Pointed("", "not UTF-8")]) from None
    if not text.strip():
        raise HTTPProblem(400, "the body is empty; send a JSON object", [Pointed("", "empty body")])
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise HTTPProblem(400, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                          [Pointed("", exc.msg)]) from None
