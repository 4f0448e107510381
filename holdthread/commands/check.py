"""``holdthread check``: lint notes, tickets, check requests, macros and helpdesk exports.

What a file is comes from the same detection ``holdthread audit`` uses
(:mod:`holdthread.commands.check_inputs`), so the two commands never disagree about a file.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NoReturn

import click

from holdthread.commands.check_inputs import CheckInputs, NoteKinds
from holdthread.commands.common import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    FAIL_ON,
    KINDS,
    fail,
    known_rules,
    policy_option,
    split_ids,
)
from holdthread.linter.baseline import Baseline, BaselineWriter, note_texts
from holdthread.linter.engine import Linter
from holdthread.linter.errors import HoldthreadError
from holdthread.linter.formats import Formatter, printable
from holdthread.linter.models import SEVERITY_ORDER, Kind, Report
from holdthread.linter.registry import Registry, default_registry
from holdthread.linter.sources import Record
from holdthread.plugins.formats import StatisticsFormatter


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, path_type=Path))
@policy_option
@click.option(
    "--output-format",
    "--format",
    "format_name",
    metavar="NAME",
    default="text",
    show_default=True,
    help="text, concise (one line per finding), json, jsonl, sarif, github (and any a plugin adds).",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print how many findings each rule has instead of the findings (JSON with --output-format json).",
)
@click.option(
    "--fail-on",
    type=FAIL_ON,
    default=None,
    help="Exit 1 when a finding is at or above this severity (default: the policy's fail_on, else error).",
)
@click.option(
    "--kind",
    type=KINDS,
    default=None,
    help="What a plain note file is linted as (default: the policy's `kinds` globs, else escalation).",
)
@click.option(
    "--source",
    "source_name",
    metavar="NAME",
    default=None,
    help="Read every file with this source instead of detecting it (zendesk, csv, ...; as in audit).",
)
@click.option("--select", multiple=True, help="Only these rule ids (comma-separated; repeatable).")
@click.option("--ignore", multiple=True, help="Skip these rule ids (comma-separated; repeatable).")
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Hide the findings recorded in this baseline file; report only new ones.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record every current finding in this file (and report none); later runs use --baseline FILE.",
)
def check(
    paths: tuple[Path, ...],
    policy: str | None,
    format_name: str,
    statistics: bool,
    fail_on: str | None,
    kind: Kind | None,
    source_name: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    baseline_path: Path | None,
    write_baseline: Path | None,
) -> None:
    """Lint notes, tickets, check requests, macros and helpdesk exports; - reads standard input.

    A folder is read recursively (.md, .txt, .json, .jsonl, .csv, .yaml and the other types
    below; hidden files and policy files are skipped). Each file is read as `holdthread audit`
    would read it: Zendesk, Freshdesk, Intercom, django-helpdesk and CSV exports are detected
    from their content, and each of their tickets is linted comment by comment. A check request
    lints its draft in the context of the ticket's thread; a plain note (.md, .txt) is linted
    as an internal escalation with no thread, unless --kind or the policy's `kinds` say otherwise.
    A file that cannot be read as what it claims to be is an error (exit 2), never a pass.
    """
    registry = default_registry()
    if format_name not in registry.formats:
        fail(f"unknown format {format_name!r}; choose one of: {', '.join(sorted(registry.formats))}")
    if source_name is not None and source_name not in registry.sources:
        fail(f"unknown source {source_name!r}; installed sources: {', '.join(sorted(registry.sources))}")
    if not paths:
        fail("give one or more files or folders to check, or - to read standard input (see `holdthread check --help`)")
    try:
        linter = Linter(policy, select=split_ids(select), ignore=split_ids(ignore), registry=registry)
        baseline = Baseline.load(baseline_path) if baseline_path is not None else None
    except HoldthreadError as exc:
        fail(str(exc))
    inputs = CheckInputs(
        registry.sources,
        NoteKinds.from_policy(linter.policy, kind),
        linter.policy.settings.limits.max_note_chars,
        source_name,
    )
    formatter = _formatter(registry, linter, format_name, statistics)
    writer = BaselineWriter() if write_baseline is not None else None
    threshold = fail_on or linter.policy.fail_on
    worst = 0
    had_errors = False
    for record, report in _lint(linter, inputs.records(paths)):
        if report is None:
            had_errors = True
            click.echo(printable(f"{record.where}: error: {record.error}"), err=True)
            formatter.error(record)
            continue
        texts = note_texts(record.request) if record.request is not None else None
        if writer is not None:
            writer.add(report, texts)
            continue
        if baseline is not None:
            report = baseline.filter(report, texts=texts, scoring=linter.policy.scoring)
        formatter.report(report, record)
        worst = max([worst, *(SEVERITY_ORDER[a.severity] for a in report.annotations)])
    if writer is not None and write_baseline is not None:
        _write_baseline(writer, write_baseline, had_errors)
    formatter.finish()
    if baseline is not None and baseline.unmatched():
        click.echo(
            f"holdthread: {baseline.unmatched()} finding(s) recorded in {baseline_path} no longer occur "
            f"(fixed, or the note is gone); refresh it with --write-baseline {baseline_path}",
            err=True,
        )
    if had_errors:
        sys.exit(EXIT_ERROR)
    if threshold != "never" and worst >= SEVERITY_ORDER[threshold]:
        sys.exit(EXIT_FINDINGS)


def _formatter(registry: Registry, linter: Linter, format_name: str, statistics: bool) -> Formatter:
    """The output format, told every rule that can fire (the policy's own rules too, for SARIF)."""
    rules = known_rules(linter.policy, registry)
    if statistics:
        return StatisticsFormatter(sys.stdout, registry, rules=rules, as_json=format_name in ("json", "jsonl"))
    return registry.formats[format_name](sys.stdout, registry, rules=rules)


def _write_baseline(writer: BaselineWriter, path: Path, had_errors: bool) -> NoReturn:
    """Write the baseline ``check --write-baseline`` collected, say what it holds, and exit."""
    try:
        writer.write(path)
    except OSError as exc:
        fail(f"cannot write the baseline {path}: {exc.strerror or exc}")
    skipped = " (inputs with errors above are not in it)" if had_errors else ""
    click.echo(
        f"Wrote {path}: {len(writer)} finding(s) in {writer.reports} input(s){skipped}. "
        f"Later runs hide them with: holdthread check --baseline {path} ...",
        err=True,
    )
    sys.exit(EXIT_ERROR if had_errors else EXIT_CLEAN)


def _lint(linter: Linter, records: Iterable[Record]) -> Iterator[tuple[Record, Report | None]]:
    """Every input record with its report, or with ``None`` when it could not be linted."""
    for record in records:
        if record.request is None:
            yield record, None
            continue
        try:
            report = next(iter(linter.check_many([record.request])))
        except HoldthreadError as exc:
            yield Record(record.source, record.line, error=str(exc).replace("<input>: ", "")), None
            continue
        yield record, report
