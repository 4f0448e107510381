"""no-next-step: a handoff must say what happens next, and when (a time or a condition)."""

from __future__ import annotations

import pytest

from holdthread import Linter

RULE = "no-next-step"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter("recommended", select=[RULE])


def messages(linter: Linter, body: str, kind: str = "handoff") -> list[str]:
    return [a.message for a in linter.check({"id": "T-7300"}, {"body": body, "kind": kind}).annotations]


@pytest.mark.parametrize(
    "body",
    [
        "Spoke to Dana, refund was approved by finance. Customer is unhappy about the delay.",
        "Checked the import logs, found 3 rows rejected for bad dates. Told the customer which rows.",
        "Engineering acknowledged the bug last week.",
    ],
)
def test_a_story_without_a_next_step_is_reported(linter: Linter, body: str) -> None:
    assert messages(linter, body) == ["Handoff says what happened but not what happens next."]


@pytest.mark.parametrize(
    "body",
    [
        "I'll follow up with the customer about the invoice.",
        "Handing over: SSO issue for Globex. Lee will check the IdP metadata.",
        "Please chase the carrier about the lost parcel.",
        "Priya will draft the amendment.",
    ],
)
def test_a_next_step_without_a_time_or_condition_is_reported(linter: Linter, body: str) -> None:
    assert messages(linter, body) == ["Next step has no time or condition: the next owner cannot tell when it is due."]


@pytest.mark.parametrize(
    "body",
    [
        "Refund approved. Next: I'll confirm the refund ID to Dana by 15:00 UTC.",
        "Waiting on the fix in PR #4411, then reply to the customer with the release notes.",
        "Lee will check the IdP metadata once Globex sends the new certificate.",
        "I'll call the carrier tomorrow morning and update the customer by noon.",
        "Kofi is going to refund both orders within 24 hours.",
        "Callback scheduled for Monday 10:00 with the store manager.",
        "Pending the hotfix; if it is not out by Friday, Kofi escalates.",
        "Refund issued and confirmed. No further action needed, closing the ticket.",
    ],
)
def test_a_next_step_with_a_time_or_condition_passes(linter: Linter, body: str) -> None:
    assert messages(linter, body) == []


def test_escalations_are_read_only_when_the_policy_targets_them(linter: Linter, tmp_path) -> None:  # type: ignore[no-untyped-def]
    body = "Customer can't export invoices."
    assert messages(linter, body, kind="escalation") == []
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(
        "extends: recommended\nrules:\n  no-next-step:\n    targets: {kinds: [handoff, escalation]}\n", encoding="utf-8"
    )
    assert messages(Linter(policy, select=[RULE]), body, kind="escalation")


def test_require_when_off_accepts_any_next_step(tmp_path) -> None:  # type: ignore[no-untyped-def]
    policy = tmp_path / "holdthread.yaml"
    policy.write_text("extends: recommended\nrules:\n  no-next-step: {require_when: false}\n", encoding="utf-8")
    assert messages(Linter(policy, select=[RULE]), "Priya will draft the amendment.") == []
