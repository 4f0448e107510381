"""Baselines: record today's findings once, then report only new ones.

A team adopting holdthread on a macro library or a year of tickets has hundreds of findings it
cannot fix at once. ``--write-baseline FILE`` records them; ``--baseline FILE`` hides them on
later runs, so CI and the audit show only what is new (like ruff's and pylint's baselines).

A finding is recognised by a **fingerprint**, not by offsets, line numbers or its message
(:func:`holdthread.linter.findings.identity`), so it survives re-runs, edits elsewhere in the
note and a rule's rewording in an upgrade:

- ``key``: a hash of where (the report's ticket id, which is the file path for a plain note, and
  the comment id), which rule, and the flagged phrase with case, spacing and punctuation folded.
  A finding about the whole note ("no owner", "missing: timeline") has no phrase: its rule and
  place are its key, so rewriting the note's first sentence does not bring it back;
- ``context``: for a phrase, a hash of the few words on either side. It only decides *which* of
  several identical findings is the new one; a finding whose surroundings were edited is still
  hidden while its ``key`` has entries left.

Matching counts: two identical findings need two entries, so a second "ASAP" added to a note is
reported even though the first one is baselined, and a third missing fact in a note that had two
is new. The file is JSON, versioned, sorted, one finding per line (diff-friendly in code review)
and holds hashes only: no note text, which is personal data.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from holdthread import __version__
from holdthread.linter import jsondata
from holdthread.linter.engine import validation_problems
from holdthread.linter.errors import Problem, ProblemsError
from holdthread.linter.findings import digest, identity, is_note_level, words
from holdthread.linter.models import Annotation, CheckRequest, Report
from holdthread.linter.policy import Scoring
from holdthread.linter.scoring import score_for, verdict_for
from holdthread.linter.text import plain_text

#: Version 2 matches note-level findings by rule alone and leaves messages out of fingerprints.
BASELINE_VERSION = 2
#: Words on each side of a finding that make up its context.
CONTEXT_WORDS = 4

#: The texts the engine linted, by comment id (``None``: the draft, or the subject for ticket rules).
Texts = Mapping[str | None, str]


class BaselineError(ProblemsError):
    """A baseline file that cannot be read: missing, not JSON, or not a holdthread baseline."""


class Fingerprint(NamedTuple):
    """What identifies a finding across runs: ``key`` (counted) and ``context`` (tie-breaker)."""

    key: str
    context: str


class BaselineEntry(BaseModel):
    """One recorded finding (``count`` times). ``ticket``, ``comment`` and ``rule`` are for people."""

    model_config = ConfigDict(extra="forbid")

    ticket: str
    comment: str | None = None
    rule: str
    fingerprint: str = Field(pattern=r"^[0-9a-f]{16}$")
    context: str = Field(pattern=r"^[0-9a-f]{16}$")
    count: int = Field(default=1, ge=1)


class BaselineFile(BaseModel):
    """The baseline file: a version, the tool that wrote it, and the findings."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[2]
    generator: str = ""
    findings: list[BaselineEntry] = []


def note_texts(request: CheckRequest) -> dict[str | None, str]:
    """The texts annotations point into, as the engine reads them, for :meth:`Baseline.fingerprint`."""
    texts: dict[str | None, str] = {c.id: plain_text(c.body) for c in request.ticket.comments}
    texts[None] = plain_text(request.draft.body) if request.draft is not None else request.ticket.subject
    return texts


class Baseline:
    """Recorded findings, and a filter that hides them from new reports.

    >>> baseline = Baseline.load("holdthread-baseline.json")        # doctest: +SKIP
    >>> report = baseline.filter(report, texts=note_texts(request))  # doctest: +SKIP
    """

    def __init__(self, entries: Iterable[BaselineEntry] = (), source: str = "<baseline>") -> None:
        self.source = source
        self._counts: dict[str, Counter[str]] = {}
        self._matched: dict[str, Counter[str]] = {}
        for entry in entries:
            self._counts.setdefault(entry.fingerprint, Counter())[entry.context] += entry.count

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        """Read a baseline file; every problem is a :class:`BaselineError` that says what to do."""
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            message = "baseline file not found; create it with --write-baseline FILE"
            raise BaselineError([Problem(source, message)]) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BaselineError([Problem(source, f"cannot read the baseline: {exc}")]) from None
        try:
            data = jsondata.parse(text)
        except json.JSONDecodeError as exc:
            raise BaselineError([Problem(source, f"not valid JSON: {exc.msg}", exc.lineno, exc.colno)]) from None
        if not isinstance(data, dict) or "findings" not in data:
            message = 'not a holdthread baseline (no "findings"); write one with --write-baseline'
            raise BaselineError([Problem(source, message)])
        version = data.get("version")
        if version == 1:
            raise BaselineError(
                [
                    Problem(
                        source,
                        (
                            "this baseline was written by an older holdthread, which recognised findings differently; "
                            "write it again with --write-baseline (the findings it hides today are the ones to record)"
                        ),
                        path="$.version",
                    )
                ]
            )
        if version != BASELINE_VERSION:
            raise BaselineError(
                [
                    Problem(
                        source,
                        (
                            f"baseline version {version!r} is not one this holdthread reads ({BASELINE_VERSION}); "
                            "write a new one with --write-baseline"
                        ),
                        path="$.version",
                    )
                ]
            )
        try:
            parsed = BaselineFile.model_validate(data)
        except ValidationError as exc:
            raise BaselineError(validation_problems(exc, source)) from None
        return cls(parsed.findings, source)

    @staticmethod
    def fingerprint(ticket_id: str, annotation: Annotation, text: str | None = None) -> Fingerprint:
        """A finding's fingerprint; ``text`` is the note it points into (for its context)."""
        key = identity(ticket_id, annotation, text)
        context = ""
        if (
            text is not None
            and not is_note_level(annotation, text)
            and text[annotation.start : annotation.end] == annotation.text
        ):
            before = words(text[max(0, annotation.start - 200) : annotation.start])[-CONTEXT_WORDS:]
            after = words(text[annotation.end : annotation.end + 200])[:CONTEXT_WORDS]
            context = " ".join(before) + "|" + " ".join(after)
        return Fingerprint(key, digest(context))

    def filter(self, report: Report, *, texts: Texts | None = None, scoring: Scoring | None = None) -> Report:
        """The report without the findings this baseline records; verdict (and score) recomputed.

        Give ``texts`` (:func:`note_texts`) when the baseline was written with them, and the
        policy's ``scoring`` to recompute the QA score (otherwise the score is left as it was).
        """
        prints = [
            self.fingerprint(report.ticket_id, a, texts.get(a.comment_id) if texts else None)
            for a in report.annotations
        ]
        left = {fp.key: Counter(self._counts[fp.key]) for fp in prints if fp.key in self._counts}
        hidden = [False] * len(prints)
        # Same finding in the same place first, then the same finding whose surroundings changed.
        for exact in (True, False):
            for index, fp in enumerate(prints):
                bucket = left.get(fp.key)
                if hidden[index] or not bucket:
                    continue
                context = fp.context if exact else next((c for c in sorted(bucket) if bucket[c] > 0), None)
                if context is not None and bucket[context] > 0:
                    bucket[context] -= 1
                    self._matched.setdefault(fp.key, Counter())[context] += 1
                    hidden[index] = True
        kept = [a for a, gone in zip(report.annotations, hidden, strict=True) if not gone]
        score = score_for(kept, scoring) if scoring is not None else report.score
        return report.model_copy(update={"annotations": kept, "verdict": verdict_for(kept), "score": score})

    def __len__(self) -> int:
        return sum(sum(bucket.values()) for bucket in self._counts.values())

    def unmatched(self) -> int:
        """Recorded findings no report matched so far: fixed, or their note is gone."""
        total = 0
        for key, bucket in self._counts.items():
            matched = self._matched.get(key, Counter())
            total += sum(max(0, count - matched[context]) for context, count in bucket.items())
        return total


class BaselineWriter:
    """Collects the findings of a run and writes them as a baseline file."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, str, str, str, str]] = Counter()
        self.reports = 0

    def add(self, report: Report, texts: Texts | None = None) -> None:
        """Record every finding of one report (pass the same ``texts`` the filter will get)."""
        self.reports += 1
        for annotation in report.annotations:
            text = texts.get(annotation.comment_id) if texts else None
            fp = Baseline.fingerprint(report.ticket_id, annotation, text)
            self._counts[(report.ticket_id, annotation.comment_id or "", annotation.rule, fp.key, fp.context)] += 1

    def __len__(self) -> int:
        return sum(self._counts.values())

    def dumps(self) -> str:
        """The baseline as JSON: sorted, one finding per line, stable from run to run."""
        lines = []
        for (ticket, comment, rule, key, context), count in sorted(self._counts.items()):
            entry = BaselineEntry(
                ticket=ticket, comment=comment or None, rule=rule, fingerprint=key, context=context, count=count
            )
            lines.append("    " + json.dumps(entry.model_dump(), ensure_ascii=False))
        findings = "[\n" + ",\n".join(lines) + "\n  ]" if lines else "[]"
        return (
            "{\n"
            f'  "version": {BASELINE_VERSION},\n'
            f'  "generator": {json.dumps(f"holdthread {__version__}")},\n'
            f'  "findings": {findings}\n'
            "}\n"
        )

    def write(self, path: str | Path) -> None:
        """Write the file atomically, so an interrupted run never leaves half a baseline."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(self.dumps())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
