"""The shipped examples: what the README quick start runs right after install.

Each sample is a realistic input; these tests pin the verdict and exit code a new user sees.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from core_helpers import EXAMPLES, holdthread, rules_fired


@pytest.fixture(autouse=True)
def _no_policy_upwards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty folder, so the default (recommended) policy applies, not a stray file."""
    monkeypatch.chdir(tmp_path)


def test_vague_escalation_blocks_with_exit_1() -> None:
    run = holdthread("check", "--format", "json", EXAMPLES / "escalation-vague.md")
    assert run.exit_code == 1
    report = run.json()
    assert report["verdict"] == "block"
    assert {"missing-owner", "vague-language"} <= rules_fired(report)
    owner = next(a for a in report["annotations"] if a["rule"] == "missing-owner")
    assert owner["severity"] == "error"
    vague = {a["text"].lower() for a in report["annotations"] if a["rule"] == "vague-language"}
    assert {"doesn't work", "some users", "asap"} <= vague
    assert report["score"] < 80


def test_good_escalation_passes_with_exit_0() -> None:
    run = holdthread("check", "--format", "json", EXAMPLES / "escalation-good.md")
    assert run.exit_code == 0, run.stdout
    report = run.json()
    assert report["verdict"] == "pass"
    assert report["annotations"] == []
    assert report["score"] == 100


def test_good_escalation_text_output_says_all_clear() -> None:
    run = holdthread("check", EXAMPLES / "escalation-good.md")
    assert run.exit_code == 0
    assert "All clear: 1 input(s) checked" in run.stdout


def test_ticket_reply_asking_again_for_the_order_number() -> None:
    run = holdthread("check", "--format", "json", EXAMPLES / "ticket.json")
    # repeated-ask is a warning in the recommended policy: shown, but exit 0 (fail_on error).
    assert run.exit_code == 0
    report = run.json()
    assert report["ticket_id"] == "T-1042"
    assert report["verdict"] == "warn"
    [ask] = [a for a in report["annotations"] if a["rule"] == "repeated-ask"]
    assert ask["comment_id"] == "c3"
    assert "order number" in ask["text"].lower()
    [evidence] = ask["evidence"]
    assert evidence["comment_id"] == "c1"
    assert "88412" in evidence["text"]
    # The internal handoff names its new owner and is concrete: nothing to report on it.
    assert not [a for a in report["annotations"] if a["comment_id"] == "c2"]


def test_ticket_fails_at_warning_threshold() -> None:
    assert holdthread("check", "--fail-on", "warning", EXAMPLES / "ticket.json").exit_code == 1


def test_check_request_lints_the_draft() -> None:
    run = holdthread("check", "--format", "json", EXAMPLES / "check-request.json")
    assert run.exit_code == 1
    report = run.json()
    assert report["ticket_id"] == "T-2077"
    assert "missing-owner" in rules_fired(report)
    # Only the draft is linted in a check request: every annotation is on it.
    assert {a["comment_id"] for a in report["annotations"]} == {None}


def test_jsonl_of_three_tickets() -> None:
    run = holdthread("check", "--format", "jsonl", EXAMPLES / "tickets.jsonl")
    assert run.exit_code == 1
    reports = {r["ticket_id"]: r for r in run.jsonl()}
    assert list(reports) == ["T-1042", "T-2101", "T-2150"]
    assert reports["T-2101"]["verdict"] == "pass"
    assert reports["T-1042"]["verdict"] == "warn"
    assert reports["T-2150"]["verdict"] == "block"
    assert "missing-owner" in rules_fired(reports["T-2150"])


def test_team_policy_example_validates_and_changes_the_outcome() -> None:
    policy = EXAMPLES / "holdthread.yaml"
    validated = holdthread("policy", "validate", policy)
    assert validated.exit_code == 0, validated.stderr
    assert "valid policy" in validated.stdout

    run = holdthread("check", "--policy", policy, "--format", "jsonl",
                     EXAMPLES / "check-request.json", EXAMPLES / "ticket.json")
    draft, ticket = run.jsonl()
    # "billing engineering" is in the team's owner directory (@billing-eng-oncall): an owner.
    assert "missing-owner" not in rules_fired(draft)
    # The team raised repeated-ask to an error, so the same ticket now blocks and fails.
    assert ticket["verdict"] == "block"
    assert {a["severity"] for a in ticket["annotations"] if a["rule"] == "repeated-ask"} == {"error"}
    assert run.exit_code == 1


def test_team_policy_is_discovered_from_its_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES)
    shown = holdthread("policy", "show")
    assert shown.exit_code == 0
    assert str(EXAMPLES / "holdthread.yaml") in shown.stdout.splitlines()[0]
    assert "@payments-oncall" in shown.stdout
