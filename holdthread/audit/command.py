"""The ``holdthread audit`` command: options, the progress bar, the terminal summary and the exit code.

Exit codes, like ``check``'s: 0 the audit ran; 1 a quality gate failed (``--fail-under``,
``--max-rejected``); 2 a usage or policy error, a path that does not exist, or an audit that
linted nothing (every record rejected, or no records at all), which is never a clean run.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from holdthread.audit.inputs import expand
from holdthread.audit.pipeline import AuditOptions, AuditResult, run_audit
from holdthread.commands.common import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, fail
from holdthread.linter.errors import HoldthreadError

LINE_SUFFIXES = frozenset({".jsonl", ".ndjson"})


class RateColumn(ProgressColumn):
    """Tickets per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} tickets/s" if speed else "– tickets/s")


def _estimate_total(paths: Sequence[Path]) -> int | None:
    """Records to expect, for the ETA: the line count of JSONL files (one ticket a line), else unknown."""
    files = list(expand(paths))
    if not files or any(p.suffix.lower() not in LINE_SUFFIXES for p in files):
        return None
    total = 0
    for path in files:
        try:
            with path.open("rb") as stream:
                while chunk := stream.read(1 << 20):
                    total += chunk.count(b"\n")
        except OSError:
            continue
    return total


@contextmanager
def _progress(paths: Sequence[Path]) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar on stderr when both stdout and stderr are terminals; else nothing."""
    if not (sys.stdout.isatty() and sys.stderr.isatty()):
        yield None
        return
    columns: list[str | ProgressColumn] = [
        TextColumn("auditing"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("audit", total=_estimate_total(paths))

        def update(done: int) -> None:
            bar.update(task, completed=done)

        yield update


class Terminated(BaseException):
    """The audit was asked to stop (SIGTERM), as by a service manager or ``kill``.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` on the way (a source
    that turns a crash into a rejected record) can swallow it and carry on.
    """


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into an exception, so an interrupted audit stops its workers and says so.

    By default SIGTERM ends Python at once, with no cleanup: worker processes would be left to
    finish their chunks on their own.
    """

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def exit_code(summary: dict[str, Any], fail_under: float | None, max_rejected: int | None) -> tuple[int, list[str]]:
    """The audit's exit code and why, from its summary (``summary.json``) and the quality gates."""
    counts, mean = summary["counts"], summary["score"]["mean"]
    if not counts["linted"]:
        if counts["read"]:
            why = f"nothing was linted: all {counts['read']:,} record(s) read were rejected (see rejected.jsonl)"
        else:
            why = "nothing was linted: the paths hold no records"
        return EXIT_ERROR, [why]
    reasons = []
    if fail_under is not None and mean is not None and mean < fail_under:
        reasons.append(f"the mean score {mean} is below --fail-under {fail_under:g}")
    if max_rejected is not None and counts["rejected"] > max_rejected:
        reasons.append(f"{counts['rejected']:,} record(s) were rejected, more than --max-rejected {max_rejected:,}")
    return (EXIT_FINDINGS if reasons else EXIT_CLEAN), reasons


def _print_summary(result: AuditResult) -> None:
    data: dict[str, Any] = result.summary_json
    console = Console(highlight=False, soft_wrap=True)  # never break a path across lines
    table = Table(title=f"holdthread audit → {result.out}", title_justify="left")
    table.add_column("Rule")
    table.add_column("Findings", justify="right")
    table.add_column("Tickets", justify="right")
    for rule_id, counts in data["rules"].items():
        table.add_row(rule_id, f"{counts['findings']:,}", f"{counts['tickets']:,}")
    console.print(table)
    score, verdicts, cache = data["score"], data["verdicts"], data["cache"]
    if score["mean"] is not None:
        console.print(
            f"Mean score {score['mean']}, pass rate {round(100 * score['pass_rate'], 1)}%; "
            f"verdicts: {verdicts['block']:,} block, {verdicts['warn']:,} warn, {verdicts['pass']:,} pass."
        )
    if cache["hits"]:
        console.print(f"{cache['hits']:,} tickets unchanged since an earlier audit came from the cache.")
    if result.resumed_at:
        console.print(f"Resumed after {result.resumed_at:,} records done by the interrupted run.")
    if data["counts"]["rejected"]:
        console.print(f"See {result.out / 'rejected.jsonl'} for why each rejected record could not be linted.")
    for warning, count in data["warnings"].items():
        console.print(f"Warning: {count:,} ticket(s): {warning} (summary.json lists the warnings).")
    console.print(f"Report: {result.out / 'report.html'}")
    counts = data["counts"]
    click.echo(f"{counts['read']} read, {counts['linted']} linted, {counts['rejected']} rejected")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for findings.jsonl, scores.csv, summary.json, rejected.jsonl and report.html.",
)
@click.option(
    "--source", default=None, help="Read every file with this source (default: detect from each file's content)."
)
@click.option(
    "--policy",
    "policy_path",
    default=None,
    help="Policy file or preset (default: holdthread.yaml or .holdthread.yaml upwards, else 'recommended').",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: all cores); 1 lints in this process.",
)
@click.option(
    "--resume", is_flag=True, help="Continue an audit that was interrupted, from its last checkpoint in --out."
)
@click.option("--no-cache", is_flag=True, help="Lint every ticket, even those unchanged since an earlier audit.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the result cache lives (default: $XDG_CACHE_HOME/holdthread or ~/.cache/holdthread).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: processes on this machine; dask: a dask.distributed cluster (needs --scheduler).",
)
@click.option("--scheduler", default=None, help="Dask scheduler address for --engine dask, e.g. tcp://10.0.0.5:8786.")
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Hide the findings recorded in this baseline file; findings.jsonl and scores show only new ones.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="After the audit, record every finding in this file; later audits use --baseline FILE.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    default=None,
    metavar="SCORE",
    help="Exit 1 when the mean QA score of the linted tickets is below SCORE (0-100).",
)
@click.option(
    "--max-rejected",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Exit 1 when more than N records were rejected (0: any rejection fails).",
)
def audit(
    paths: tuple[Path, ...],
    out: Path,
    source: str | None,
    policy_path: str | None,
    jobs: int | None,
    resume: bool,
    no_cache: bool,
    cache_dir: Path | None,
    engine: str,
    scheduler: str | None,
    baseline_path: Path | None,
    write_baseline: Path | None,
    fail_under: float | None,
    max_rejected: int | None,
) -> None:
    """Lint every ticket of helpdesk exports; write findings, QA scores and a report to --out.

    Each PATH is an export file or a directory of them. Every record ends up linted
    (findings.jsonl, scores.csv) or rejected with its reason (rejected.jsonl).

    Exit codes: 0 the audit ran; 1 --fail-under or --max-rejected failed; 2 a usage or policy
    error, a missing path, or nothing linted at all.
    """
    if engine == "local" and scheduler:
        raise click.UsageError("--scheduler is for --engine dask")
    options = AuditOptions(
        paths=paths,
        out=out,
        source=source,
        policy=policy_path,
        jobs=jobs or os.cpu_count() or 1,
        resume=resume,
        cache=not no_cache,
        cache_dir=cache_dir,
        engine=engine,
        scheduler=scheduler,
        baseline=baseline_path,
        write_baseline=write_baseline,
    )
    try:
        with _stop_on_sigterm(), _progress(paths) as progress:
            result = run_audit(options, progress)
    except HoldthreadError as exc:
        fail(str(exc))
    except Terminated:
        click.echo(
            f"holdthread: audit stopped (SIGTERM); the same command with --resume continues it from "
            f"its last checkpoint in {out}",
            err=True,
        )
        sys.exit(128 + signal.SIGTERM)
    _print_summary(result)
    code, reasons = exit_code(result.summary_json, fail_under, max_rejected)
    for reason in reasons:
        click.echo(f"holdthread: {'error' if code == EXIT_ERROR else 'failed'}: {reason}", err=True)
    sys.exit(code)
