"""The audit pipeline: records in, chunks out to an engine, outputs and aggregates written in order.

Memory stays flat: records are read as a stream, only a bounded number of chunks is in flight,
outputs are appended as chunks come back, and the aggregates are bounded (:mod:`.summary`).
Every record read ends up in ``findings.jsonl`` + ``scores.csv`` + ``findings.csv`` or in
``rejected.jsonl``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from holdthread.audit.cache import ResultCache, default_cache_dir
from holdthread.audit.engines import make_engine
from holdthread.audit.inputs import audit_records, expand
from holdthread.audit.report import render_report
from holdthread.audit.state import Checkpoint, OutputFiles, fingerprint, load_checkpoint, save_checkpoint
from holdthread.audit.summary import Summary, comment_texts, worst_entry
from holdthread.audit.work import Outcome, policy_key
from holdthread.linter.baseline import Baseline, BaselineWriter, note_texts
from holdthread.linter.errors import HoldthreadError
from holdthread.linter.models import Report
from holdthread.linter.policy import find_policy_file, load_policy
from holdthread.linter.qa import write_findings_csv, write_scores_csv
from holdthread.linter.registry import default_registry
from holdthread.linter.sources import Record
from holdthread.qa.attribution import Rubric, attribute

CHUNK_SIZE = 200
#: Seconds between checkpoints: what a killed run may have to redo.
COMMIT_EVERY = 0.5


@dataclass
class AuditOptions:
    """What ``holdthread audit`` was asked to do."""

    paths: Sequence[Path]
    out: Path
    source: str | None = None
    policy: Path | str | None = None
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    resume: bool = False
    cache: bool = True
    cache_dir: Path | None = None
    engine: str = "local"
    scheduler: str | None = None
    chunk_size: int = CHUNK_SIZE
    #: Hide the findings recorded in this baseline (``--baseline``).
    baseline: Path | None = None
    #: Record every finding of this audit in this baseline file (``--write-baseline``).
    write_baseline: Path | None = None


@dataclass
class AuditResult:
    """The aggregates of a finished audit and where its outputs are."""

    summary: Summary
    summary_json: dict[str, object]
    out: Path
    resumed_at: int = 0


@dataclass
class _Entry:
    """One input record on its way through the pipeline."""

    position: int
    file: Path
    record: Record
    content: str | None = None
    key: bytes | None = None
    outcome: Outcome | None = None
    cached: bool = False


def _rejection(entry: _Entry, reason: str, path: str | None) -> str:
    """A ``rejected.jsonl`` line: the file, the source that read it, where, which ticket, why."""
    record = entry.record
    return (
        json.dumps(
            {
                "file": str(entry.file),
                "source": record.source,
                "line": record.line,
                "ticket_id": record.ticket_id,
                "reason": reason,
                "path": path,
            },
            ensure_ascii=False,
        )
        + "\n"
    )


def _csv_lines(outcomes: list[Outcome]) -> tuple[str, str]:
    """``scores.csv`` and ``findings.csv`` lines of linted outcomes (no header lines)."""
    scores, findings = io.StringIO(), io.StringIO()
    done = [o.attribution for o in outcomes if o.attribution is not None]
    write_scores_csv((row for a in done for row in a.authors), scores, header=False)
    write_findings_csv((row for a in done for row in a.findings), findings, header=False)
    return scores.getvalue(), findings.getvalue()


class Audit:
    """One run of an audit; :func:`run_audit` is the entry point."""

    def __init__(self, options: AuditOptions) -> None:
        self.options = options
        self.registry = default_registry()
        if options.source is not None and options.source not in self.registry.sources:
            raise HoldthreadError(
                f"unknown source {options.source!r}; installed sources: {', '.join(sorted(self.registry.sources))}"
            )
        policy_source = options.policy if options.policy is not None else find_policy_file()
        self.policy = load_policy(policy_source, self.registry)
        self.policy_hash = policy_key(self.policy.data)
        self.rubric = Rubric.from_policy(self.policy)
        self.rule_ids = sorted(self.policy.active())
        self.paths = list(expand(options.paths))
        if options.baseline is not None and options.write_baseline is not None:
            raise HoldthreadError("use --baseline or --write-baseline, not both")
        self.baseline = Baseline.load(options.baseline) if options.baseline is not None else None
        # A resumed audit must hide the same findings as the interrupted one: the baseline's
        # content is part of what the checkpoint was made for.
        baseline_digest = hashlib.sha256(options.baseline.read_bytes()).hexdigest() if options.baseline else ""
        self.fingerprint = fingerprint(self.paths, self.policy_hash + baseline_digest, options.source)
        self.cache: ResultCache | None = None
        if options.cache:
            self.cache = ResultCache(options.cache_dir or default_cache_dir(), self.policy_hash)

    def _start(self) -> tuple[Summary, OutputFiles, int]:
        checkpoint = load_checkpoint(self.options.out) if self.options.resume else None
        if checkpoint is not None and checkpoint.fingerprint != self.fingerprint:
            raise HoldthreadError(
                f"cannot resume the audit in {self.options.out}: the input files, the policy or holdthread changed "
                "since it started; run again without --resume to start over"
            )
        if checkpoint is None:
            files = OutputFiles(self.options.out, None)
            scores, findings = io.StringIO(), io.StringIO()
            write_scores_csv([], scores)
            write_findings_csv([], findings)
            files.write("scores.csv", scores.getvalue())
            files.write("findings.csv", findings.getvalue())
            return Summary(), files, 0
        return (
            Summary.from_state(checkpoint.summary),
            OutputFiles(self.options.out, checkpoint.offsets),
            checkpoint.records_done,
        )

    def _chunks(self, skip: int) -> Iterator[tuple[list[_Entry], list[str]]]:
        """Chunks of entries, with the request texts that still need linting (cache misses)."""
        entries: list[_Entry] = []
        limit = self.policy.settings.limits.max_note_chars
        records = audit_records(self.paths, self.registry.sources, self.options.source, limit)
        for position, (path, record) in enumerate(records):
            if position < skip:
                continue  # done before the interruption (read anyway: duplicate ids must be seen)
            entry = _Entry(position, path, record)
            if record.request is not None:
                entry.content = record.request.model_dump_json()
            entries.append(entry)
            if len(entries) >= self.options.chunk_size:
                yield entries, self._lookup(entries)
                entries = []
        if entries:
            yield entries, self._lookup(entries)

    def _lookup(self, entries: list[_Entry]) -> list[str]:
        to_lint = [e for e in entries if e.content is not None]
        if self.cache is not None and to_lint:
            for entry in to_lint:
                entry.key = self.cache.key(entry.content or "")
            found = self.cache.get_many([e.key for e in to_lint if e.key is not None])
            for entry in to_lint:
                if entry.key in found:
                    entry.outcome = Outcome.from_json(found[entry.key])
                    entry.cached = True
        return [e.content for e in to_lint if e.outcome is None and e.content is not None]

    def _write(self, entries: list[_Entry], outcomes: list[Outcome], files: OutputFiles, summary: Summary) -> None:
        fresh = iter(outcomes)
        new_cache: list[tuple[bytes, str]] = []
        linted: list[Outcome] = []
        for entry in entries:
            if entry.content is not None and entry.outcome is None:
                entry.outcome = next(fresh)
                if entry.key is not None and entry.outcome.line is not None:
                    new_cache.append((entry.key, entry.outcome.to_json()))
            if entry.content is not None and self.cache is not None:
                summary.cache_hits += entry.cached
                summary.cache_misses += not entry.cached
            outcome, record = entry.outcome, entry.record
            summary.add_warnings(record.warnings)
            if self.baseline is not None and outcome is not None:
                outcome = self._without_baselined(outcome, record)
            if outcome is None or outcome.line is None or outcome.attribution is None:
                reason = record.error if outcome is None else outcome.error
                path = record.path if outcome is None else outcome.path
                files.write("rejected.jsonl", _rejection(entry, reason or "unknown error", path))
                summary.add_rejected(reason or "unknown error")
                continue
            files.write("findings.jsonl", outcome.line + "\n")
            linted.append(outcome)
            summary.add_linted(outcome.attribution)
            score = outcome.attribution.ticket.score
            if score < 100 and summary.wants_worst(score, entry.position) and record.request:
                summary.add_worst(
                    score, entry.position, worst_entry(outcome.line, comment_texts(record.request), outcome.attribution)
                )
        if linted:
            scores, findings = _csv_lines(linted)
            files.write("scores.csv", scores)
            files.write("findings.csv", findings)
        if self.cache is not None:
            self.cache.put_many(new_cache)

    def _without_baselined(self, outcome: Outcome, record: Record) -> Outcome:
        """The outcome with the findings the baseline records taken out, and its scores redone.

        Applied after the cache, which keeps whole results, so one cache serves any baseline.
        """
        if outcome.line is None or record.request is None or self.baseline is None:
            return outcome
        report = Report.model_validate_json(outcome.line)
        kept = self.baseline.filter(report, texts=note_texts(record.request), scoring=self.policy.scoring)
        if kept is report or len(kept.annotations) == len(report.annotations):
            return outcome
        attribution = attribute(kept, record.request, outcome.linted, self.rubric)
        return replace(outcome, line=kept.model_dump_json(), attribution=attribution)

    def _write_baseline(self) -> int:
        """Record every finding of ``findings.jsonl`` (read back, so a resumed audit counts all)."""
        assert self.options.write_baseline is not None
        writer = BaselineWriter()
        with (self.options.out / "findings.jsonl").open(encoding="utf-8") as findings:
            for line in findings:
                if line.strip():
                    writer.add(Report.model_validate_json(line))
        writer.write(self.options.write_baseline)
        return len(writer)

    def run(self, progress: Callable[[int], None] | None = None) -> AuditResult:
        summary, files, skip = self._start()
        engine = make_engine(
            self.policy.data, engine=self.options.engine, jobs=self.options.jobs, scheduler=self.options.scheduler
        )
        done = skip
        started = last_commit = time.monotonic()
        try:
            for entries, outcomes in engine.run(self._chunks(skip)):
                self._write(entries, outcomes, files, summary)
                done += len(entries)
                if progress is not None:
                    progress(done)
                if time.monotonic() - last_commit >= COMMIT_EVERY:
                    save_checkpoint(
                        self.options.out, Checkpoint(self.fingerprint, done, files.commit(), summary.to_state())
                    )
                    last_commit = time.monotonic()
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM) or failed: the workers stop now, not after their chunks;
            # the last checkpoint is where --resume carries on.
            engine.close(abort=True)
            raise
        engine.close()
        offsets = files.commit()
        files.close()
        summary_json = summary.as_json(self.rule_ids)
        elapsed = time.monotonic() - started
        summary_json["timing"] = {
            "seconds": round(elapsed, 3),
            "records_per_second": round((done - skip) / elapsed, 1) if elapsed > 0 else None,
        }
        summary_json["policy"] = {
            "sources": self.policy.sources,
            "hash": self.policy_hash,
            "pass_mark": self.policy.scoring.pass_mark,
            # What `holdthread calibrate` re-scores with, so it follows the rubric this audit used.
            "scoring": self.policy.scoring.model_dump(mode="json"),
            "ticket_rules": sorted(self.rubric.ticket_rules),
            "ticket_url": self.rubric.ticket_url,
        }
        if self.options.write_baseline is not None:
            written = self._write_baseline()
            summary_json["baseline_written"] = {"path": str(self.options.write_baseline), "findings": written}
        if self.baseline is not None:
            gone = self.baseline.unmatched()
            summary_json["baseline"] = {"path": str(self.options.baseline), "no_longer_found": gone}
        (self.options.out / "summary.json").write_text(
            json.dumps(summary_json, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (self.options.out / "report.html").write_text(
            render_report(summary_json, summary.worst_tickets(), [str(p) for p in self.paths]), encoding="utf-8"
        )
        save_checkpoint(
            self.options.out, Checkpoint(self.fingerprint, done, offsets, summary.to_state(), complete=True)
        )
        if self.cache is not None:
            self.cache.close()
        return AuditResult(summary, summary_json, self.options.out, resumed_at=skip)


def run_audit(options: AuditOptions, progress: Callable[[int], None] | None = None) -> AuditResult:
    """Audit ``options.paths`` into ``options.out``; ``progress`` gets the count of records done."""
    return Audit(options).run(progress)
