"""missing-context: one annotation per fact the escalation lacks; policy-defined facts use RE2 patterns."""

from __future__ import annotations

from pathlib import Path

import pytest

from holdthread import Linter
from holdthread.linter.errors import HoldthreadError, PolicyError

RULE = "missing-context"
COMPLETE = (
    "Invoice export fails with E1042 for 3 admins on acme.example (Enterprise), Reports > Invoices, "
    "Chrome 131. Since Nov 24 ~09:00 UTC, after the 4.12 release. Tried: cache clear, Firefox, "
    "incognito: same error. @billing-oncall"
)


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter("recommended", select=[RULE])


def missing(linter: Linter, body: str) -> list[str]:
    return [a.message for a in linter.check_text(body).annotations if a.rule == RULE]


def test_a_complete_escalation_passes(linter: Linter) -> None:
    assert missing(linter, COMPLETE) == []


def test_a_symptom_only_escalation_misses_all_four_facts(linter: Linter) -> None:
    messages = missing(linter, "Customer can't export invoices, getting an error. Please take a look @billing-oncall.")
    assert len(messages) == 4
    for fact in ("impact", "environment", "timeline", "what was already tried"):
        assert any(fact in m for m in messages), fact


@pytest.mark.parametrize(
    ("body", "fact"),
    [
        (
            "3 admins on acme.example can't open Reports > Invoices in Chrome 131 since 09:00 UTC. @reports-oncall",
            "tried",
        ),
        (
            "All 12 stores see duplicate orders in the Shopify integration (v4.2). Tried re-syncing, same result.",
            "timeline",
        ),
        (
            "Checkout page in the iOS app 5.3.1 crashes since yesterday. Cleared cache and reinstalled, no change.",
            "impact",
        ),
        ("Two customers can't receive reset emails since Monday. Resent twice, checked spam.", "environment"),
        ("Calls drop after 30 seconds in the desktop app 4.1 since Monday. Restarted, no change.", "impact"),
    ],
)
def test_exactly_the_missing_fact_is_reported(linter: Linter, body: str, fact: str) -> None:
    messages = missing(linter, body)
    assert len(messages) == 1, messages
    assert fact in messages[0]


def test_only_escalations_are_read(linter: Linter) -> None:
    report = linter.check({"id": "T-1"}, {"body": "Customer can't export.", "kind": "handoff"})
    assert not report.annotations


def test_policy_facts_replace_the_default_list(tmp_path: Path) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(
        "extends: recommended\n"
        "rules:\n"
        "  missing-context:\n"
        "    facts:\n"
        "      - timeline\n"
        "      - name: plan\n"
        "        label: the customer's plan\n"
        "        phrases: [free plan, pro plan, enterprise]\n"
        "      - name: order\n"
        "        patterns: ['\\border\\s+#?\\d{4,}']\n",
        encoding="utf-8",
    )
    linter = Linter(policy, select=[RULE])
    messages = missing(linter, "Customer can't export invoices since Monday.")
    assert messages == ["Escalation is missing a fact: the customer's plan.", "Escalation is missing a fact: order."]
    assert missing(linter, "Pro plan customer, order #55120 stuck since Monday.") == []


def test_a_policy_pattern_runs_on_re2_so_a_hostile_pattern_stays_linear(tmp_path: Path) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(
        "rules:\n  missing-context:\n    facts:\n      - name: evil\n        patterns: ['(a+)+$']\n", encoding="utf-8"
    )
    linter = Linter(policy, select=[RULE])
    # Catastrophic for a backtracking engine; RE2 answers at once.
    assert len(missing(linter, "a" * 50_000 + "!")) == 1


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        ("facts: [{name: plan}]", "give it `phrases` or `patterns`"),
        ("facts: [{name: x, patterns: ['(a)\\1']}]", "RE2 syntax"),
        ("facts: [impcat]", "impcat"),
    ],
)
def test_bad_facts_are_policy_errors_that_say_what_to_do(tmp_path: Path, yaml: str, expected: str) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(f"rules:\n  missing-context:\n    {yaml}\n", encoding="utf-8")
    with pytest.raises(HoldthreadError, match=expected.replace("`", ".").replace("(", ".").replace(")", ".")):
        Linter(policy)


def test_a_bad_fact_is_reported_once_at_the_keys_the_author_wrote(tmp_path: Path) -> None:
    """No pydantic internals in the path ("function-after[...]"), no "Value error," prefix, and not
    also "Input should be a valid string" from the other member of the name-or-mapping union."""
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(
        "rules:\n  missing-context:\n    facts:\n      - name: impact\n        patterns: ['\\d{,3} customers']\n"
        "      - name: plan\n",
        encoding="utf-8",
    )
    with pytest.raises(PolicyError) as caught:
        Linter(policy)
    assert [str(p) for p in caught.value.problems] == [
        f"{policy}:5:19: rules.missing-context.facts[0].patterns: pattern '\\\\d{{,3}} customers': `{{,3}}` at "
        "character 3 is literal text in RE2, not a repeat; write `{0,3}` for 0 to 3 repeats (or `\\{,3}` to match "
        "the text)",
        f"{policy}:6:9: rules.missing-context.facts[1]: fact 'plan' is not built in (impact, environment, timeline, "
        "tried); give it `phrases` or `patterns`",
    ]
