"""What the commands share: exit codes, how a usage error is said, and the options they all take.

Exit codes follow ruff: 0 when nothing is at or above ``--fail-on``, 1 when something is (or, for
``audit``, when a quality gate such as ``--fail-under`` fails), 2 for usage, policy or input errors.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, NoReturn

import click

from holdthread.linter.formats import printable

if TYPE_CHECKING:
    from holdthread.linter.policy import Policy
    from holdthread.linter.registry import Registry
    from holdthread.linter.rule import Rule

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FAIL_ON = click.Choice(["error", "warning", "info", "never"])
KINDS = click.Choice(["escalation", "handoff", "reply", "note"])

policy_option = click.option(
    "--policy",
    "policy",
    metavar="FILE|PRESET",
    help="Policy file or preset name such as 'strict' (default: holdthread.yaml or .holdthread.yaml upwards, "
    "else the 'recommended' preset).",
)


def fail(message: str) -> NoReturn:
    """Say a usage, policy or input error on standard error and exit 2."""
    click.echo(f"holdthread: error: {printable(message)}", err=True)
    sys.exit(EXIT_ERROR)


def split_ids(values: Iterable[str]) -> list[str] | None:
    """Rule ids from repeatable, comma-separated options (``--select a,b --select c``)."""
    ids = [part.strip() for value in values for part in value.split(",") if part.strip()]
    return ids or None


def known_rules(policy: Policy, registry: Registry) -> dict[str, type[Rule]]:
    """Every rule that can fire under ``policy``: the plugins' rules and those the policy defines."""
    known = dict(registry.rules)
    for rule_id, config in policy.rules.items():
        if rule_id not in known and config.rule_class is not None:
            known[rule_id] = config.rule_class
    return known
