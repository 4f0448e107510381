"""The generic source: holdthread's own ticket JSON, check requests, JSONL of either, notes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.sources import Record, Source
from holdthread.plugins.inputs import read_path


class GenericSource(Source):
    """Tickets or check requests in holdthread's generic JSON shape (JSON, JSONL), or notes."""

    name = "generic"
    description = "holdthread's generic ticket JSON or check requests (.json, .jsonl), or plain notes (.txt, .md)"

    @classmethod
    def detect(cls, head: bytes, path: Path) -> bool:
        text = head.lstrip()
        return text.startswith(b"{") and (b'"comments"' in head or b'"ticket"' in head)

    def records(self, path: Path) -> Iterator[Record]:
        return read_path(path)


@hookimpl
def holdthread_sources() -> list[type[Source]]:
    return [GenericSource]
