"""The ``holdthread`` command line: check, rules, policy (audit and serve join as they land).

Exit codes follow ruff: 0 when nothing is at or above ``--fail-on``, 1 when something is, 2 for
usage, policy or input errors.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import click

from holdthread import __version__
from holdthread.audit.command import audit
from holdthread.commands.serve import scores, serve
from holdthread.linter.baseline import Baseline, BaselineWriter, note_texts
from holdthread.linter.docs import rule_markdown
from holdthread.linter.engine import Linter
from holdthread.linter.errors import HoldthreadError
from holdthread.linter.models import SEVERITY_ORDER, Report
from holdthread.linter.policy import TRUST_ENV, dump_policy, find_policy_file, load_policy
from holdthread.linter.registry import default_registry
from holdthread.linter.sources import Record
from holdthread.linter.starter import STARTER_POLICY
from holdthread.plugins.inputs import read_path

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FAIL_ON = click.Choice(["error", "warning", "info", "never"])


def _fail(message: str) -> NoReturn:
    click.echo(f"holdthread: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _split_ids(values: Iterable[str]) -> list[str] | None:
    ids = [part.strip() for value in values for part in value.split(",") if part.strip()]
    return ids or None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="holdthread")
@click.option("--trust-policy", is_flag=True,
              help="Let the policy's extends and path options (macro_dir) read files outside its repository "
                   f"or folder (same as {TRUST_ENV}=1).")
def cli(trust_policy: bool) -> None:
    """holdthread checks support handoffs the way a linter checks code.

    Escalation notes without an owner, bug escalations without steps, replies that ask the
    customer again for what they already gave, vague language: found before the ticket moves.
    """
    if trust_policy:  # through the environment, so audit and service worker processes inherit it
        os.environ[TRUST_ENV] = "1"


policy_option = click.option(
    "--policy", "policy_path", type=click.Path(dir_okay=False, path_type=Path),
    help="Policy file (default: holdthread.yaml or .holdthread.yaml upwards, else the 'recommended' preset).",
)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, path_type=Path))
@policy_option
@click.option("--format", "format_name", default="text", show_default=True,
              help="Output format: text, json, jsonl, sarif, github (and any a plugin adds).")
@click.option("--fail-on", type=FAIL_ON, default=None,
              help="Exit 1 when a finding is at or above this severity (default: the policy's fail_on, else error).")
@click.option("--select", multiple=True, help="Only these rule ids (comma-separated; repeatable).")
@click.option("--ignore", multiple=True, help="Skip these rule ids (comma-separated; repeatable).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Hide the findings recorded in this baseline file; report only new ones.")
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Record every current finding in this file (and report none); later runs use --baseline FILE.")
def check(paths: tuple[Path, ...], policy_path: Path | None, format_name: str, fail_on: str | None,
          select: tuple[str, ...], ignore: tuple[str, ...], baseline_path: Path | None,
          write_baseline: Path | None) -> None:
    """Lint notes (.txt, .md), tickets or check requests (.json, .jsonl), or - for stdin.

    A ticket is linted comment by comment (the comments its rules target); a check request
    lints its draft in the context of the ticket's thread; a note is linted as an internal
    escalation with no thread.
    """
    registry = default_registry()
    if format_name not in registry.formats:
        _fail(f"unknown format {format_name!r}; choose one of: {', '.join(sorted(registry.formats))}")
    if not paths:
        _fail("give one or more files to check, or - to read standard input (see `holdthread check --help`)")
    try:
        linter = Linter(policy_path, select=_split_ids(select), ignore=_split_ids(ignore), registry=registry)
        baseline = Baseline.load(baseline_path) if baseline_path is not None else None
    except HoldthreadError as exc:
        _fail(str(exc))
    writer = BaselineWriter() if write_baseline is not None else None
    threshold = fail_on or linter.policy.fail_on
    formatter = registry.formats[format_name](sys.stdout, registry)
    worst = 0
    had_errors = False
    for record, report in _lint(linter, paths):
        if report is None:
            had_errors = True
            click.echo(f"{record.where}: error: {record.error}", err=True)
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
        click.echo(f"holdthread: {baseline.unmatched()} finding(s) recorded in {baseline_path} no longer occur "
                   f"(fixed, or the note is gone); refresh it with --write-baseline {baseline_path}", err=True)
    if had_errors:
        sys.exit(EXIT_ERROR)
    if threshold != "never" and worst >= SEVERITY_ORDER[threshold]:
        sys.exit(EXIT_FINDINGS)


def _write_baseline(writer: BaselineWriter, path: Path, had_errors: bool) -> NoReturn:
    """Write the baseline ``check --write-baseline`` collected, say what it holds, and exit."""
    try:
        writer.write(path)
    except OSError as exc:
        _fail(f"cannot write the baseline {path}: {exc.strerror or exc}")
    skipped = " (inputs with errors above are not in it)" if had_errors else ""
    click.echo(f"Wrote {path}: {len(writer)} finding(s) in {writer.reports} input(s){skipped}. "
               f"Later runs hide them with: holdthread check --baseline {path} ...", err=True)
    sys.exit(EXIT_ERROR if had_errors else EXIT_CLEAN)


def _lint(linter: Linter, paths: Iterable[Path]) -> Iterator[tuple[Record, Report | None]]:
    """Every input record with its report, or with ``None`` when it could not be linted."""
    for path in paths:
        for record in read_path(path):
            if record.request is None:
                yield record, None
                continue
            try:
                report = next(iter(linter.check_many([record.request])))
            except HoldthreadError as exc:
                yield Record(record.source, record.line, error=str(exc).replace("<input>: ", "")), None
                continue
            yield record, report


@cli.command()
@click.argument("rule_id", required=False)
@click.option("--format", "format_name", type=click.Choice(["text", "json"]), default="text", show_default=True)
@policy_option
def rules(rule_id: str | None, format_name: str, policy_path: Path | None) -> None:
    """List every rule, or show one rule's documentation (like `ruff rule`)."""
    import json

    registry = default_registry()
    try:
        policy = load_policy(policy_path, registry)
    except HoldthreadError as exc:
        _fail(str(exc))
    # Plugins' rules, and the rules the policy itself defines in YAML (kind: existence, ...).
    known = dict(registry.rules)
    for rid, config in policy.rules.items():
        if rid not in known and config.rule_class is not None:
            known[rid] = config.rule_class
    if rule_id is not None:
        if rule_id not in known:
            near = registry.closest(rule_id)
            hint = f"; did you mean {near!r}?" if near else ""
            _fail(f"unknown rule {rule_id!r}{hint} (`holdthread rules` lists them)")
        click.echo(rule_markdown(known[rule_id]))
        return
    rows: list[dict[str, Any]] = []
    for rid, rule in sorted(known.items()):
        active = policy.rules.get(rid)
        plugin = rule.plugin or ("policy" if rid not in registry.rules else "")
        rows.append({"id": rid, "severity": active.severity if active else "off",
                     "default_severity": rule.default_severity, "plugin": plugin, "summary": rule.summary})
    if format_name == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len(r["id"]) for r in rows)
    for row in rows:
        click.echo(f"{row['id']:<{width}}  {row['severity']:<7}  {row['summary']}")
    click.echo(f"\nSeverity is the active policy's ({' <- '.join(reversed(policy.sources))}). "
               "`holdthread rules ID` shows a rule's documentation.")


@cli.group()
def policy() -> None:
    """Validate, create and inspect policy files."""


@policy.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def policy_validate(files: tuple[Path, ...]) -> None:
    """Check policy files; print every problem as file:line:column: key: message.

    Several files may be given (as the pre-commit hook does); the exit code is 2 if any is invalid.
    """
    failed = False
    for file in files:
        try:
            loaded = load_policy(file, default_registry())
        except HoldthreadError as exc:
            click.echo(str(exc), err=True)
            failed = True
            continue
        active = len(loaded.active())
        click.echo(f"{file}: valid policy ({active} rules active, fail_on {loaded.fail_on}).")
    if failed:
        sys.exit(EXIT_ERROR)


@policy.command("init")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=Path("holdthread.yaml"),
              show_default=True, help="Where to write the starter policy; - prints it.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def policy_init(output: Path, force: bool) -> None:
    """Write a commented starter policy that extends the recommended preset."""
    if str(output) == "-":
        click.echo(STARTER_POLICY, nl=False)
        return
    if output.exists() and not force:
        _fail(f"{output} already exists; use --force to overwrite it, or -o to choose another path")
    output.write_text(STARTER_POLICY, encoding="utf-8")
    click.echo(f"Wrote {output}. Check it with: holdthread policy validate {output}")


@policy.command("show")
@policy_option
def policy_show(policy_path: Path | None) -> None:
    """Print the effective policy: every file merged, every rule with its options."""
    try:
        loaded = load_policy(policy_path or find_policy_file(), default_registry())
    except HoldthreadError as exc:
        _fail(str(exc))
    click.echo(dump_policy(loaded), nl=False)


cli.add_command(audit)
cli.add_command(serve)
cli.add_command(scores)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="holdthread")
