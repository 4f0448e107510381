"""missing-expected-actual: bug escalations say what was expected and what happened instead."""

from __future__ import annotations

from typing import Any

import pytest

from holdthread import Linter

RULE = "missing-expected-actual"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter("recommended", select=[RULE, "missing-repro-steps"])


def fired(linter: Linter, body: str, rule: str = RULE, **ticket: Any) -> list[str]:
    report = linter.check({"id": "T-7100", "subject": "", **ticket}, {"body": body, "kind": "escalation"})
    return [a.message for a in report.annotations if a.rule == rule]


@pytest.mark.parametrize(
    "body",
    [
        "Invoice PDF shows a different tax line for acme.example since the 4.12 update. @billing-oncall",
        "Dashboard totals are off for Northwind since Monday. Screenshot attached.",
        "Search returns results from archived projects for Contoso admins. Reproduced on staging.",
    ],
)
def test_a_bug_note_without_the_expected_result_is_reported(linter: Linter, body: str) -> None:
    assert fired(linter, body, type="bug") == ["Bug escalation does not say what was expected."]


def test_a_note_with_neither_says_both(linter: Linter) -> None:
    assert fired(linter, "Bug in the avatar widget for Contoso. @widget-oncall", type="bug") == [
        "Bug escalation does not say what was expected and what happened instead."
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Expected: the PDF shows VAT 20%. Actual: the PDF shows VAT 0%.",
        "Export should download a CSV, but it shows a spinner forever.",
        "Search returns archived projects instead of only active ones.",
        "Totals used to include shipping; since Monday they don't.",
        "The import worked fine before the 4.12 release; now it maps Company to Last name.",
        "Per the docs the API only returns the caller's store; /v2/orders returns another store's orders.",
    ],
)
def test_expected_and_actual_in_any_wording_pass(linter: Linter, body: str) -> None:
    assert fired(linter, body, type="bug") == []


@pytest.mark.parametrize("ticket_type", ["question", "billing", "feature"])
def test_non_defect_tickets_are_skipped(linter: Linter, ticket_type: str) -> None:
    assert fired(linter, "Customer wants the totals changed on the March invoice.", type=ticket_type) == []


def test_the_defect_decision_is_shared_with_missing_repro_steps(linter: Linter) -> None:
    """No ticket type: both rules decide from the words, the same way (holdthread.rules.missing_repro_steps.defect)."""
    bug = "The export crashes with an error for Northwind. @data-oncall"
    billing = "Customer asks for a refund of the annual plan. @billing-team"
    assert bool(fired(linter, bug)) == bool(fired(linter, bug, rule="missing-repro-steps")) is True
    assert bool(fired(linter, billing)) == bool(fired(linter, billing, rule="missing-repro-steps")) is False


def test_options_can_drop_one_half(tmp_path) -> None:  # type: ignore[no-untyped-def]
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(
        "extends: recommended\nrules:\n  missing-expected-actual: {require_expected: false}\n", encoding="utf-8"
    )
    linter = Linter(policy, select=[RULE])
    assert fired(linter, "Dashboard totals are off for Northwind since Monday.", type="bug") == []
