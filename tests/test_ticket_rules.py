"""The ticket-level rules owner-bounce and customer-repeated: positives, negatives, options, docs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from holdthread import Linter
from holdthread.linter.docs import rule_markdown
from holdthread.linter.models import Report
from holdthread.linter.registry import default_registry
from holdthread.plugins.zendesk import ZendeskSource

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)


def at(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


def ticket(messages: Sequence[tuple[str, int, bool, str]],
           events: Sequence[tuple[str, int, str | None, str | None]] = ()) -> dict[str, Any]:
    return {
        "id": "T-88", "subject": "Refund not received", "group": "Tier 1",
        "comments": [{"id": f"c{i}", "public": public, "author": {"name": "Dana Reyes", "role": role},
                      "created_at": at(minute), "body": body}
                     for i, (role, minute, public, body) in enumerate(messages, start=1)],
        "events": [{"type": kind, "at": at(minute), "from": old, "to": new} for kind, minute, old, new in events],
    }


def run(rule: str, data: dict[str, Any], **options: Any) -> Report:
    policy = {"extends": "recommended", "rules": {rule: {"severity": "warning", **options}}}
    return Linter(policy, select=[rule]).check(data)


REFUND = "I returned order 77120 on 2 November and the refund of EUR 149 never reached my Visa card."
BOUNCING = [("group_change", 30, "Tier 1", "Tier 2"), ("group_change", 200, "Tier 2", "Billing")]


# --- owner-bounce --------------------------------------------------------------------------------

def test_owner_bounce_fires_on_three_groups_with_the_events_as_evidence() -> None:
    report = run("owner-bounce", ticket([("customer", 0, True, REFUND)], BOUNCING))
    [annotation] = report.annotations
    assert annotation.rule == "owner-bounce" and annotation.comment_id is None
    assert "3 groups (Tier 1 → Tier 2 → Billing)" in annotation.message
    assert [e.text for e in annotation.evidence] == [
        "2026-10-05 08:30 UTC: group Tier 1 → Tier 2", "2026-10-05 11:20 UTC: group Tier 2 → Billing"]


def test_owner_bounce_is_quiet_on_one_clean_escalation_and_on_ping_pong_between_two() -> None:
    one = [("group_change", 30, "Tier 1", "Tier 2"), ("assignee_change", 30, "Sam Ortiz", "Priya Nair")]
    ping_pong = [("group_change", 10, "Tier 1", "Tier 2"), ("group_change", 60, "Tier 2", "Tier 1"),
                 ("assignee_change", 70, "Sam Ortiz", None), ("assignee_change", 80, None, "Sam Ortiz")]
    assert run("owner-bounce", ticket([("customer", 0, True, REFUND)], one)).annotations == []
    assert run("owner-bounce", ticket([("customer", 0, True, REFUND)], ping_pong)).annotations == []


def test_owner_bounce_options_set_the_threshold_and_what_counts() -> None:
    data = ticket([("customer", 0, True, REFUND)], BOUNCING)
    assert run("owner-bounce", data, min_distinct=4).annotations == []
    assert run("owner-bounce", data, count_groups=False).annotations == []
    owners = ticket([("customer", 0, True, REFUND)], [("assignee_change", 5, "Sam Ortiz", "Lee Park")])
    assert len(run("owner-bounce", owners, min_distinct=2).annotations) == 1


def test_owner_bounce_reads_a_zendesk_export_end_to_end() -> None:
    records = list(ZendeskSource().records(ROOT / "tests" / "fixtures" / "exports" / "zendesk_tickets.jsonl"))
    request = records[0].request
    assert request is not None
    fired = Linter("recommended", select=["owner-bounce"]).check(request.ticket).annotations
    assert len(fired) == 1 and len(fired[0].evidence) == 4


# --- customer-repeated ---------------------------------------------------------------------------

RESTATED = [
    ("customer", 0, True, REFUND),
    ("agent", 90, False, "Passing to Payments, Lee Park owns the payout check."),
    ("customer", 300, True, "As I said, I returned order 77120 on 2 November, the EUR 149 refund is not on my Visa."),
    ("customer", 900, True, "For the third time: refund for returned order 77120, EUR 149, still not on my Visa card."),
]


def test_customer_repeated_fires_with_the_restated_sentences_as_evidence() -> None:
    report = run("customer-repeated", ticket(RESTATED, [("group_change", 90, "Tier 1", "Payments")]))
    [annotation] = report.annotations
    assert "restated the same problem 2 times, 2 of them after a handoff" in annotation.message
    assert [e.comment_id for e in annotation.evidence] == ["c3", "c4"]
    bodies = {c["id"]: c["body"] for c in ticket(RESTATED)["comments"]}
    for evidence in annotation.evidence:
        assert bodies[evidence.comment_id][evidence.start:evidence.end] == evidence.text
        assert "77120" in evidence.text


def test_customer_repeated_is_quiet_when_each_message_adds_something_new() -> None:
    answers = [
        ("customer", 0, True, REFUND),
        ("agent", 30, True, "Which day did the courier pick up the parcel?"),
        ("customer", 60, True, "DHL picked it up on 3 November, tracking JD0146000020."),
        ("agent", 90, True, "Thanks. Was the card the one used for the purchase?"),
        ("customer", 120, True, "Yes, the same Visa ending 4410."),
    ]
    assert run("customer-repeated", ticket(answers)).annotations == []


def test_one_restatement_is_not_enough_by_default() -> None:
    assert run("customer-repeated", ticket(RESTATED[:3])).annotations == []
    assert len(run("customer-repeated", ticket(RESTATED[:3]), min_restatements=1).annotations) == 1


def test_after_handoff_only_ignores_restatements_before_any_handoff() -> None:
    no_handoff = [message for message in RESTATED if message[0] == "customer"]
    assert len(run("customer-repeated", ticket(no_handoff)).annotations) == 1
    assert run("customer-repeated", ticket(no_handoff), after_handoff_only=True).annotations == []


def test_quoted_mail_history_and_signatures_are_not_restatements() -> None:
    signature = "\n\nDana Reyes\nHead of Finance, Northwind GmbH\nHauptstrasse 5, 10115 Berlin"
    quoted = f"\n\nOn Mon, 5 Oct 2026 at 09:00, Acme Support wrote:\n> {REFUND}"
    thread = [
        ("customer", 0, True, REFUND + signature),
        ("customer", 60, True, "DHL picked it up on 3 November." + signature + quoted),
        ("customer", 120, True, "The card is the Visa ending 4410." + signature + quoted),
    ]
    assert run("customer-repeated", ticket(thread)).annotations == []


# --- registration, preset, docs, corpus ------------------------------------------------------------

@pytest.mark.parametrize("rule_id", ["owner-bounce", "customer-repeated"])
def test_rules_are_registered_enabled_and_documented(rule_id: str) -> None:
    registry = default_registry()
    rule = registry.rules[rule_id]
    assert rule.scope == "ticket"
    assert rule_id in Linter("recommended").policy.active()
    doc = rule_markdown(rule)
    for heading in ("## What it does", "## Why it matters", "## Example", "## Use instead", "## How to fix",
                    "## Options"):
        assert heading in doc
    assert (ROOT / "docs" / "rules" / f"{rule_id}.md").read_text(encoding="utf-8").strip() == doc.strip()


def test_the_ticket_corpus_is_labelled_for_both_rules_and_about_half_positive() -> None:
    cases = [json.loads(line) for line in (ROOT / "tests" / "corpus" / "tickets.jsonl").read_text().splitlines()]
    for rule_id in ("owner-bounce", "customer-repeated"):
        labels = [case["expect"][rule_id] for case in cases if rule_id in case["expect"]]
        assert len(labels) >= 30
        assert 0.4 <= sum(labels) / len(labels) <= 0.6
