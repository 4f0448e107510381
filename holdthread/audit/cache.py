"""A result cache, so that re-auditing the same export with the same policy skips unchanged tickets.

Keyed by what decides a result: a fingerprint of the installed code (every rule's code and word
lists, plugin versions: :mod:`.code`), a hash of the effective policy and a hash of the ticket's
content. A policy change, an upgrade, a local edit of a rule or word list, or an edited ticket all
miss. SQLite is in the standard library, survives concurrent runs (it locks) and keeps memory flat
(lookups are per chunk).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from holdthread.audit.code import code_fingerprint

SCHEMA = "CREATE TABLE IF NOT EXISTS results (key BLOB PRIMARY KEY, value TEXT NOT NULL)"


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/holdthread``, else ``~/.cache/holdthread``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "holdthread"


class ResultCache:
    """Linted outcomes (as text) by ``(code, policy, ticket content)``."""

    def __init__(self, directory: Path, policy_hash: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "audit-cache.sqlite3"
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(SCHEMA)
        self._prefix = f"{code_fingerprint()}\0{policy_hash}\0".encode()

    def key(self, content: str) -> bytes:
        return hashlib.sha256(self._prefix + content.encode("utf-8")).digest()

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, str]:
        found: dict[bytes, str] = {}
        for start in range(0, len(keys), 500):  # SQLite's bound-parameter limit
            part = keys[start : start + 500]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(f"SELECT key, value FROM results WHERE key IN ({marks})", part)
            found.update((bytes(k), v) for k, v in rows)
        return found

    def put_many(self, items: Sequence[tuple[bytes, str]]) -> None:
        if not items:
            return
        self._db.execute("BEGIN")
        try:
            self._db.executemany("INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)", items)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()
