"""The output files of an audit, written in committed chunks, and the checkpoint that resumes them.

After each commit the files are flushed and synced, then ``.holdthread-audit/state.json`` is
replaced atomically with the number of records done, the byte length of each output file and the
running aggregates. A killed run leaves at most one uncommitted tail per file: ``--resume``
truncates it, skips the records done and carries on, so the output equals an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from holdthread.audit.code import code_fingerprint

STATE_DIR = ".holdthread-audit"
STATE_FILE = "state.json"
STREAMS = ("findings.jsonl", "scores.csv", "findings.csv", "rejected.jsonl")
FINGERPRINT_BYTES = 65536


def fingerprint(paths: Iterable[Path], policy_hash: str, source: str | None) -> str:
    """What must not change between a run and its resume: inputs (size, mtime, ends), policy, code."""
    digest = hashlib.sha256(f"{code_fingerprint()}\0{policy_hash}\0{source}".encode())
    for path in paths:
        digest.update(str(path.resolve()).encode())
        try:
            stat = path.stat()
            digest.update(f"\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
            with path.open("rb") as stream:
                digest.update(stream.read(FINGERPRINT_BYTES))
                stream.seek(max(0, stat.st_size - FINGERPRINT_BYTES))
                digest.update(stream.read(FINGERPRINT_BYTES))
        except OSError as exc:
            digest.update(f"\0unreadable:{exc.errno}".encode())
    return digest.hexdigest()


@dataclass
class Checkpoint:
    """What a resumed run needs: where the outputs end and what the aggregates were."""

    fingerprint: str
    records_done: int
    offsets: dict[str, int]
    summary: dict[str, Any]
    complete: bool = False


def state_path(out: Path) -> Path:
    return out / STATE_DIR / STATE_FILE


def load_checkpoint(out: Path) -> Checkpoint | None:
    path = state_path(out)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Checkpoint(**data)
    except FileNotFoundError:
        return None
    except (ValueError, TypeError):
        return None  # a checkpoint from another version or a broken one: start over


def save_checkpoint(out: Path, checkpoint: Checkpoint) -> None:
    path = state_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as stream:
        json.dump(vars(checkpoint), stream)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(tmp, path)


class OutputFiles:
    """findings.jsonl, scores.csv, findings.csv and rejected.jsonl, appended to and committed together."""

    def __init__(self, out: Path, offsets: dict[str, int] | None) -> None:
        """Open fresh files, or (resuming) reopen them cut back to the committed ``offsets``."""
        out.mkdir(parents=True, exist_ok=True)
        self.streams: dict[str, BinaryIO] = {}
        for name in STREAMS:
            path = out / name
            stream: BinaryIO
            if offsets is None:
                stream = path.open("wb")
            else:
                stream = path.open("r+b") if path.exists() else path.open("w+b")
                stream.truncate(offsets.get(name, 0))
                stream.seek(0, os.SEEK_END)
            self.streams[name] = stream

    def write(self, name: str, text: str) -> None:
        self.streams[name].write(text.encode("utf-8"))

    def commit(self) -> dict[str, int]:
        """Flush and sync every file; the byte offsets to record in the checkpoint."""
        offsets = {}
        for name, stream in self.streams.items():
            stream.flush()
            os.fsync(stream.fileno())
            offsets[name] = stream.tell()
        return offsets

    def close(self) -> None:
        for stream in self.streams.values():
            stream.close()
