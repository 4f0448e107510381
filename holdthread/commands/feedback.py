"""``holdthread feedback``: what agents said about each rule's findings, and which rules to quiet."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from holdthread.commands.serve import parse_since
from holdthread.linter.errors import HoldthreadError
from holdthread.linter.policy import FeedbackSettings, load_policy
from holdthread.linter.registry import default_registry
from holdthread.qa.feedback import RuleFeedback, report, tally
from holdthread.qa.printable import console as report_console
from holdthread.qa.printable import printable

REASONS_SHOWN = 3


def _print(data: dict[str, Any], rules: dict[str, RuleFeedback], since: str) -> None:
    console = report_console()
    if not rules:
        console.print(
            f"No finding was recorded since {since}: the service records the findings it shows "
            "(`holdthread serve --store` must be this store)."
        )
        return
    table = Table(title=f"Agents' feedback since {since}", title_justify="left")
    table.add_column("Rule", no_wrap=True)
    for name in ("Findings", "False alarms", "Useful", "Overrides", "False-alarm rate"):
        table.add_column(name, justify="right")
    for rule, feedback in rules.items():
        rate = feedback.rate
        table.add_row(
            rule,
            str(len(feedback.findings)),
            str(feedback.false_alarms),
            str(feedback.useful),
            str(len(feedback.overridden)),
            "–" if rate is None else f"{100 * rate:.1f}%",
        )
    console.print(table)
    noisy = data["noisy"]
    if not noisy:
        console.print(
            f"No rule is above the false-alarm rate of {100 * data['max_false_alarm_rate']:g}% "
            f"(rules with at least {data['min_findings']} findings are judged)."
        )
    for item in noisy:
        console.print(
            f"\n{item['rule']}: {100 * item['false_alarm_rate']:.1f}% false alarms, above the policy's "
            f"feedback.max_false_alarm_rate; {item['why']}. This policy change would quiet it:"
        )
        console.print(item["policy_yaml"], end="")
        for reason in rules[item["rule"]].reasons[-REASONS_SHOWN:]:
            console.print(f"  agent said: {printable(reason)}")


@click.command("feedback")
@click.option("--store", required=True, help="SQLAlchemy URL of the findings store the service writes.")
@click.option(
    "--since", default="30d", show_default=True, help="Only findings and feedback since: 30d, 12h, or an ISO date."
)
@click.option(
    "--policy",
    "policy",
    help="Policy whose rules and feedback.max_false_alarm_rate to judge by "
    "(default: holdthread.yaml upwards, else 'recommended').",
)
@click.option("--format", "format_name", type=click.Choice(["text", "json"]), default="text", show_default=True)
def feedback_command(store: str, since: str, policy: str | Path | None, format_name: str) -> None:
    """Per rule: findings shown to agents, false alarms, useful marks, overrides and the false-alarm rate.

    Names the rules above the policy's feedback.max_false_alarm_rate with the policy change that
    would quiet them (narrower targets or a lower severity). Nothing is changed.
    """
    from holdthread.server.feedback_store import FeedbackStore
    from holdthread.server.store import FindingsStore

    cutoff = parse_since(since)
    try:
        loaded = load_policy(policy, default_registry())
    except HoldthreadError as exc:
        click.echo(f"holdthread: error: {exc}", err=True)
        sys.exit(2)
    settings = FeedbackSettings.model_validate(loaded.data.get("feedback") or {})
    try:
        feedback_store = FeedbackStore(FindingsStore(store).engine)
        rules = tally(feedback_store.findings_since(cutoff), feedback_store.feedback_since(cutoff))
    except Exception as exc:
        click.echo(
            f"holdthread: error: cannot read the findings store {store.split('@')[-1]}: {type(exc).__name__}: {exc}",
            err=True,
        )
        sys.exit(2)
    data = report(rules, loaded, settings)
    if format_name == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    _print(data, rules, cutoff.isoformat(timespec="minutes"))
