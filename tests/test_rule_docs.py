"""Every rule has a documentation page in ruff's shape, and docs/rules/ID.md matches `holdthread rules ID`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from holdthread.cli import cli
from holdthread.linter.docs import rule_markdown
from holdthread.linter.registry import default_registry

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"
RULES = sorted(default_registry().rules)
SECTIONS = ("## What it does", "## Why it matters", "## Example", "## Use instead", "## Options")


@pytest.mark.parametrize("rule_id", RULES)
def test_rule_doc_has_every_section(rule_id: str) -> None:
    text = rule_markdown(default_registry().rules[rule_id])
    for section in SECTIONS:
        assert section in text, f"{rule_id}: missing {section!r}"


@pytest.mark.parametrize("rule_id", RULES)
def test_docs_page_matches_the_rules_command(rule_id: str) -> None:
    page = DOCS / f"{rule_id.replace('/', '__')}.md"
    assert page.is_file(), f"write it with: holdthread rules {rule_id} > {page.relative_to(DOCS.parent.parent)}"
    shown = CliRunner().invoke(cli, ["rules", rule_id])
    assert shown.exit_code == 0, shown.output
    assert page.read_text(encoding="utf-8") == shown.output


def test_rules_lists_every_rule_with_its_severity() -> None:
    result = CliRunner().invoke(cli, ["rules"])
    assert result.exit_code == 0
    for rule_id in RULES:
        assert rule_id in result.output


def test_unknown_rule_is_a_usage_error_with_a_suggestion() -> None:
    result = CliRunner().invoke(cli, ["rules", "missing-ownr"])
    assert result.exit_code == 2
    assert "missing-owner" in result.output


def test_rules_lists_and_documents_rules_the_policy_defines(tmp_path: Path) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(
        "extends: recommended\n"
        "rules:\n"
        "  refund-needs-approver:\n"
        "    kind: conditional\n"
        "    if: {phrases: [refund]}\n"
        "    then: {patterns: ['approved by @?\\w+']}\n"
        "    message: A refund escalation names who approved it.\n",
        encoding="utf-8",
    )
    listed = CliRunner().invoke(cli, ["rules", "--policy", str(policy)])
    assert listed.exit_code == 0, listed.output
    assert "refund-needs-approver" in listed.output and "names who approved it" in listed.output
    shown = CliRunner().invoke(cli, ["rules", "refund-needs-approver", "--policy", str(policy)])
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("# refund-needs-approver") and "`policy`" in shown.output
