"""What ``holdthread check`` reads: files, folders and standard input, through the audit's sources.

``check`` and ``audit`` must never disagree about what a file is: a Zendesk ticket bundle or a
CSV export is linted ticket by ticket by both, with the same findings. So a file goes through
the same detection (:func:`holdthread.plugins._export.detect_source`) and the same reader
(:func:`holdthread.audit.inputs.file_records`) as in an audit. What only ``check`` does:

- a file that no source recognises is a plain note when its name says so (``.md``, ``.txt``,
  ...) or says nothing, read as JSON by the generic reader when it is ``.json``/``.jsonl``, and
  refused (exit 2) when it is another data format (``.csv`` without the columns of a CSV export)
  named on the command line; found by walking a folder, such a file is skipped with a notice on
  standard error, as ruff and pre-commit pass over files they do not lint (a folder of examples
  may hold a QA review export or a spreadsheet beside the tickets);
- a plain note is linted as the kind ``--kind`` or the policy's ``kinds`` globs give it;
- a ticket with no comments and no draft is refused: it has nothing to lint, and passing it would
  hide an export that was misread;
- folders are walked for the file types ``check`` reads, and standard input is kept in a
  temporary file so that every source can read it.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import click
from wcmatch import glob

from holdthread.audit.inputs import file_records
from holdthread.linter.formats import printable
from holdthread.linter.models import Kind
from holdthread.linter.policy import POLICY_FILENAMES, Policy
from holdthread.linter.sources import Record, Source
from holdthread.plugins._export import detect_source
from holdthread.plugins.generic import GenericSource
from holdthread.plugins.inputs import JSON_SUFFIXES, JSONL_SUFFIXES, NOTE_SUFFIXES, STDIN, read_bytes
from holdthread.plugins.macros import YAML_SUFFIXES

DEFAULT_KIND: Kind = "escalation"
#: Suffixes of data formats: such a file is never read as a plain note.
DATA_SUFFIXES = JSON_SUFFIXES | JSONL_SUFFIXES | frozenset({".csv", ".tsv", ".xml", ".xls", ".xlsx"})
#: The files a folder given to ``check`` contributes.
FOLDER_SUFFIXES = NOTE_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | YAML_SUFFIXES | frozenset({".csv"})
#: Configuration in a folder is not a note or a macro (the pre-commit hooks exclude it too).
CONFIG_NAMES = frozenset(
    {*POLICY_FILENAMES, "holdthread.yml", ".holdthread.yml", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml"}
)
_GLOB_FLAGS = glob.GLOBSTAR | glob.MATCHBASE


def folder_files(folder: Path) -> Iterator[Path]:
    """The files ``check`` reads under ``folder``, sorted; hidden files and folders are skipped."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative) or path.name in CONFIG_NAMES:
            continue
        if path.suffix.lower() in FOLDER_SUFFIXES and path.is_file():
            yield path


@dataclass(frozen=True)
class NoteKinds:
    """Which kind a plain note file is: ``--kind``, else the policy's ``kinds`` globs, else escalation.

    Globs are matched against the file's path relative to ``root`` (the folder of the policy
    file), ``**`` spans folders, and a glob without ``/`` matches the file name anywhere, as in
    ruff's per-file settings. When several globs match, the last one written wins (as in
    ``.gitattributes``), so a team policy's entries override those of the file it extends.
    """

    forced: Kind | None = None
    globs: Mapping[str, Kind] = dataclasses.field(default_factory=dict)
    root: Path = Path()

    @classmethod
    def from_policy(cls, policy: Policy, forced: Kind | None) -> NoteKinds:
        own_file = policy.sources[-1] if policy.sources else "<policy>"
        root = Path.cwd() if own_file.startswith("<") else Path(own_file).parent
        return cls(forced, dict(policy.kinds), root.resolve())

    def of(self, path: Path | None) -> Kind:
        if self.forced is not None:
            return self.forced
        if path is None or not self.globs:
            return DEFAULT_KIND
        relative = Path(os.path.relpath(path.resolve(), self.root)).as_posix()
        kind = DEFAULT_KIND
        for pattern, value in self.globs.items():
            if glob.globmatch(relative, pattern, flags=_GLOB_FLAGS):
                kind = value
        return kind


@dataclass(frozen=True)
class CheckInputs:
    """Turns the paths given to ``check`` into records, each named by the path the user gave."""

    sources: Mapping[str, type[Source]]
    kinds: NoteKinds
    max_note_chars: int
    #: ``--source``: read every file with this source instead of detecting it.
    source_name: str | None = None

    def records(self, paths: Iterable[Path]) -> Iterator[Record]:
        for path in paths:
            if str(path) == "-":
                yield from self._stdin()
            elif path.is_dir():
                yield from self._folder(path)
            elif not path.exists():
                yield Record(str(path), None, error="cannot read: no such file or folder")
            else:
                yield from self._file(path, str(path))

    def _folder(self, folder: Path) -> Iterator[Record]:
        empty = True
        for file in folder_files(folder):
            empty = False
            yield from self._file(file, str(file), walked=True)
        if empty:
            reads = ", ".join(sorted(FOLDER_SUFFIXES))
            yield Record(str(folder), None, error=f"no file in this folder is one holdthread check reads ({reads})")

    def _file(self, path: Path, name: str, data: bytes | None = None, *, walked: bool = False) -> Iterator[Record]:
        chosen = self.sources[self.source_name] if self.source_name else detect_source(path, self.sources.values())
        if chosen is None or chosen is GenericSource:
            records = self._generic(path, name, chosen is not None, data, walked)
        else:
            records = file_records(path, self.sources, chosen.name, self.max_note_chars)
        for record in records:
            yield _nothing_to_lint(dataclasses.replace(record, source=name))

    def _generic(self, path: Path, name: str, detected: bool, data: bytes | None, walked: bool) -> Iterator[Record]:
        """holdthread's own JSON and notes; a data file that no source recognised is refused when
        it was named, and skipped with a notice when a folder walk found it."""
        suffix = path.suffix.lower() if name != STDIN else ""
        if not detected and suffix in DATA_SUFFIXES - JSON_SUFFIXES - JSONL_SUFFIXES:
            if walked:
                click.echo(
                    f"{printable(name)}: skipped: no source recognises this {suffix.lstrip('.').upper()} file "
                    "(name it on the command line, with --source NAME, to check it)",
                    err=True,
                )
                return
            yield Record(
                name,
                None,
                error=(
                    f"no source recognises this {suffix.lstrip('.').upper()} file, so it is not checked. A CSV export "
                    "needs a header row with ticket_id and body columns (see docs/sources.md); "
                    f"--source NAME reads it with one of: {', '.join(sorted(self.sources))}"
                ),
            )
            return
        try:
            content = path.read_bytes() if data is None else data
        except OSError as exc:
            yield Record(name, None, error=f"cannot read: {exc.strerror or exc}")
            return
        yield from read_bytes(content, name, suffix, self.kinds.of(None if name == STDIN else path))

    def _stdin(self) -> Iterator[Record]:
        """Standard input, kept in a temporary file while it is read, so any source can read it."""
        import sys

        data = sys.stdin.buffer.read()
        with tempfile.TemporaryDirectory(prefix="holdthread-stdin-") as folder:
            spooled = Path(folder) / "stdin"
            spooled.write_bytes(data)
            yield from self._file(spooled, STDIN, data)


def _nothing_to_lint(record: Record) -> Record:
    """A ticket with no comments and no draft is an input error, never a silent pass."""
    request = record.request
    if request is None or request.draft is not None or request.ticket.comments:
        return record
    return Record(
        record.source,
        record.line,
        ticket_id=record.ticket_id,
        path="$",
        error=(
            f"ticket {request.ticket.id!r} has no comments and no draft: there is nothing to lint. If this is a "
            "helpdesk export, check that the file is complete, or name its format with --source (docs/sources.md)"
        ),
    )
