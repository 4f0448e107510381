"""Paths to records: which source reads each file, and the record-level checks of an audit.

The source is detected from each file's first bytes (``Source.detect``, specific helpdesks
before generic JSON, as :func:`holdthread.plugins._export.detect_source` orders them) unless
``--source`` names one. Every record a source yields is counted, and the problems only an audit can see
(a file no source recognises, an empty file, a ticket id seen before, a source that crashed)
become rejected records with a reason, so that ``read = linted + rejected`` always holds.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from holdthread.linter.sources import Record, SeenIds, Source
from holdthread.plugins._export import detect_source


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files in the order given; a directory contributes its files, sorted, recursively."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        else:
            yield path


def _open_source(source: type[Source], max_note_chars: int) -> Source:
    """An instance of the source, given the policy's comment-size limit when it takes one."""
    if "max_note_chars" in inspect.signature(source).parameters:
        return source(max_note_chars=max_note_chars)  # type: ignore[call-arg]
    return source()


def file_records(
    path: Path, sources: Mapping[str, type[Source]], source_name: str | None, max_note_chars: int
) -> Iterator[Record]:
    """Every record of one file, or one rejected record saying why the file cannot be read."""
    where = str(path)
    try:
        with path.open("rb") as stream:
            empty = not stream.read(4096).strip()
    except OSError as exc:
        yield Record(where, None, error=f"cannot read the file: {exc.strerror or exc}")
        return
    if empty:
        yield Record(where, None, error="empty file: there are no tickets to audit in it")
        return
    chosen = sources[source_name] if source_name else detect_source(path, sources.values())
    if chosen is None:
        yield Record(
            where,
            None,
            error="no source recognises this file's format; pass --source NAME "
            f"(installed sources: {', '.join(sorted(sources))})",
        )
        return
    try:
        yield from _open_source(chosen, max_note_chars).records(path)
    except Exception as exc:
        yield Record(
            where,
            None,
            error=f"the {chosen.name} source stopped reading this file "
            f"({type(exc).__name__}: {exc}); the records after this point were not read",
        )


class DuplicateFilter:
    """Rejects a ticket id seen earlier in the audit; the first occurrence is the one linted.

    Export sources already reject a duplicate within one file; this catches the same ticket in
    two files of one audit (overlapping exports), which would otherwise count twice in the QA
    scores. The ids live on disk (:class:`~holdthread.linter.sources.SeenIds`), so memory stays flat.
    """

    def __init__(self) -> None:
        self._seen = SeenIds()

    def check(self, path: Path, record: Record) -> Record:
        if record.request is None:
            return record
        ticket_id = record.request.ticket.id
        first = self._seen.first_seen(ticket_id, f"{path}:{record.line}" if record.line is not None else str(path))
        if first is None:
            return record
        return Record(
            record.source,
            record.line,
            ticket_id=ticket_id,
            path="$.id",
            error=f"duplicate ticket id {ticket_id!r}: already read at {first}; only the first is audited "
            "(export each ticket once, or audit the exports separately)",
        )


def audit_records(
    paths: Iterable[Path], sources: Mapping[str, type[Source]], source_name: str | None, max_note_chars: int
) -> Iterator[tuple[Path, Record]]:
    """Every record of every path with its file, in input order, duplicates turned into rejections."""
    duplicates = DuplicateFilter()
    for path in expand(paths):
        for record in file_records(path, sources, source_name, max_note_chars):
            yield path, duplicates.check(path, record)
