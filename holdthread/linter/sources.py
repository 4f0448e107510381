"""The source contract: turning input (files, exports, payloads) into check requests.

A source reads one file (or stream) and yields :class:`Record` objects, one per input record,
each either a request to lint or the reason it cannot be linted, so that nothing is lost: an
audit lists every unreadable record in ``rejected.jsonl`` with where and why.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from holdthread.linter.models import CheckRequest


@dataclass(frozen=True)
class Record:
    """One input record: a request to lint, or why it could not be read."""

    source: str
    #: 1-based line (JSONL, CSV) or record number where it came from, if any.
    line: int | None
    request: CheckRequest | None = None
    error: str | None = None
    #: The ticket id when known, even for a rejected record.
    ticket_id: str | None = None
    #: JSON path of the problem inside the record, if any.
    path: str | None = None
    #: What was repaired to lint the record (comments sorted by time, ...): linted, but worth knowing.
    warnings: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


class Source:
    """Base class of input sources (generic JSON/JSONL, Zendesk, Freshdesk, Intercom, CSV, ...)."""

    name: ClassVar[str]
    description: ClassVar[str] = ""

    @classmethod
    def detect(cls, head: bytes, path: Path) -> bool:
        """Whether this source can read a file starting with ``head`` (its first bytes)."""
        return False

    def records(self, path: Path) -> Iterator[Record]:
        raise NotImplementedError


class SeenIds:
    """Ticket ids met so far, and where, for duplicate checks that keep memory flat.

    An export of millions of tickets must not hold every id in memory, so the ids live in a
    private temporary SQLite database on disk (SQLite keeps a bounded page cache), deleted
    when the object goes away.
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect("")  # "": a temporary on-disk database, private to us
        self._db.execute("CREATE TABLE seen (id TEXT PRIMARY KEY, at TEXT NOT NULL)")

    def first_seen(self, ticket_id: str, where: str) -> str | None:
        """Where ``ticket_id`` was met before, or ``None`` (and remember that it is met here)."""
        row = self._db.execute("SELECT at FROM seen WHERE id = ?", (ticket_id,)).fetchone()
        if row is not None:
            return str(row[0])
        self._db.execute("INSERT INTO seen (id, at) VALUES (?, ?)", (ticket_id, where))
        return None

    def close(self) -> None:
        self._db.close()
