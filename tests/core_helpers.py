"""Shared helpers for the core test files (``test_core_*.py``): the CLI runner and sample paths.

Not a test module itself; the core tests import it (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from holdthread.cli import cli

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
#: A policy that defines a rule of its own (docs/policy-rules.md's first example, in flow style).
REFUND_POLICY = (
    "extends: recommended\n"
    "rules:\n"
    "  refund-needs-approver: {kind: conditional, if: {phrases: [refund]}, then: {patterns: ['approved by @?\\w+']},\n"
    "                          message: A refund escalation names who approved it.}\n"
)


@dataclass
class Run:
    """What one ``holdthread`` invocation printed and how it exited."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def jsonl(self) -> list[Any]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


def holdthread(*args: str | Path, stdin: str | bytes | None = None) -> Run:
    """Run the ``holdthread`` command line in-process, as a user would type it."""
    result = CliRunner().invoke(cli, [str(a) for a in args], input=stdin, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def rules_fired(report: dict[str, Any]) -> set[str]:
    return {a["rule"] for a in report["annotations"]}
