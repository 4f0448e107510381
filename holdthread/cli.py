"""The ``holdthread`` command line: the group, ``rules`` and ``policy``; the other commands are in
:mod:`holdthread.commands` and :mod:`holdthread.audit.command`.

Exit codes follow ruff (:mod:`holdthread.commands.common`): 0 when nothing is at or above
``--fail-on``, 1 when something is, 2 for usage, policy or input errors.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from holdthread import __version__
from holdthread.audit.command import audit
from holdthread.commands.calibrate import calibrate_command
from holdthread.commands.check import check
from holdthread.commands.common import EXIT_ERROR, fail, known_rules, policy_option
from holdthread.commands.feedback import feedback_command
from holdthread.commands.serve import scores, serve
from holdthread.linter.docs import rule_markdown
from holdthread.linter.errors import HoldthreadError
from holdthread.linter.policy import dump_policy, find_policy_file, load_policy
from holdthread.linter.registry import default_registry
from holdthread.linter.starter import STARTER_POLICY


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="holdthread")
def cli() -> None:
    """holdthread checks support handoffs the way a linter checks code.

    Escalation notes without an owner, bug escalations without steps, replies that ask the
    customer again for what they already gave, vague language: found before the ticket moves.
    """


@cli.command()
@click.argument("rule_id", required=False)
@click.option("--format", "format_name", type=click.Choice(["text", "json"]), default="text", show_default=True)
@policy_option
def rules(rule_id: str | None, format_name: str, policy: str | None) -> None:
    """List every rule, or show one rule's documentation (like `ruff rule`)."""
    import json

    registry = default_registry()
    try:
        loaded = load_policy(policy, registry)
    except HoldthreadError as exc:
        fail(str(exc))
    # Plugins' rules, and the rules the policy itself defines in YAML (kind: existence, ...).
    known = known_rules(loaded, registry)
    if rule_id is not None:
        if rule_id not in known:
            near = registry.closest(rule_id)
            hint = f"; did you mean {near!r}?" if near else ""
            fail(f"unknown rule {rule_id!r}{hint} (`holdthread rules` lists them)")
        click.echo(rule_markdown(known[rule_id]))
        return
    rows: list[dict[str, Any]] = []
    for rid, rule in sorted(known.items()):
        active = loaded.rules.get(rid)
        plugin = rule.plugin or ("policy" if rid not in registry.rules else "")
        rows.append(
            {
                "id": rid,
                "severity": active.severity if active else "off",
                "default_severity": rule.default_severity,
                "plugin": plugin,
                "summary": rule.summary,
            }
        )
    if format_name == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len(r["id"]) for r in rows)
    for row in rows:
        click.echo(f"{row['id']:<{width}}  {row['severity']:<7}  {row['summary']}")
    click.echo(
        f"\nSeverity is the active policy's ({' <- '.join(reversed(loaded.sources))}). "
        "`holdthread rules ID` shows a rule's documentation."
    )


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
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("holdthread.yaml"),
    show_default=True,
    help="Where to write the starter policy; - prints it.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def policy_init(output: Path, force: bool) -> None:
    """Write a commented starter policy that extends the recommended preset."""
    if str(output) == "-":
        click.echo(STARTER_POLICY, nl=False)
        return
    if output.exists() and not force:
        fail(f"{output} already exists; use --force to overwrite it, or -o to choose another path")
    output.write_text(STARTER_POLICY, encoding="utf-8")
    click.echo(f"Wrote {output}. Check it with: holdthread policy validate {output}")


@policy.command("show")
@policy_option
def policy_show(policy: str | None) -> None:
    """Print the effective policy: every file merged, every rule with its options."""
    try:
        loaded = load_policy(policy or find_policy_file(), default_registry())
    except HoldthreadError as exc:
        fail(str(exc))
    click.echo(dump_policy(loaded), nl=False)


cli.add_command(check)
cli.add_command(audit)
cli.add_command(serve)
cli.add_command(scores)
cli.add_command(calibrate_command)
cli.add_command(feedback_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="holdthread")
