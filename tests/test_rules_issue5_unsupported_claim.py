"""unsupported-claim: confident claims need evidence in the note; hedges, quotes and negations are not claims."""

from __future__ import annotations

import pytest

from holdthread import Linter
from holdthread.linter.errors import HoldthreadError
from holdthread.linter.models import Draft, Report, Ticket

RULE = "unsupported-claim"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter("recommended", select=[RULE])


def lint(linter: Linter, body: str, kind: str = "escalation") -> Report:
    return linter.check(Ticket(id="T-7001", subject="Export", type="bug"), Draft(body=body, kind=kind))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("body", "claim", "label"),
    [
        (
            "Checked it: this is definitely a backend bug. Escalating to @api-oncall.",
            "is definitely a backend bug",
            "Root-cause claim",
        ),
        ("Root cause is the cache on their CDN, please purge and close.", "Root cause is", "Root-cause claim"),
        ("The sync problem is fixed now, just confirm with the customer.", "problem is fixed", "Resolution claim"),
        ("Known issue, engineering is aware. Assigning to Priya.", "Known issue", "Status claim"),
        ("Works as designed, the report only counts completed orders.", "Works as designed", "Status claim"),
    ],
)
def test_a_confident_claim_without_evidence_is_reported(linter: Linter, body: str, claim: str, label: str) -> None:
    found = [a for a in lint(linter, body).annotations if a.rule == RULE]
    assert found, body
    first = found[0]
    assert claim.lower() in first.text.lower()
    assert first.message.startswith(label)
    assert "no log line, error text or code, link" in first.message
    assert first.suggestion


def test_handoffs_are_read_and_each_claim_is_reported(linter: Linter) -> None:
    body = "It's resolved, nothing to do. Also a known issue, so no need to escalate."
    found = [a.text for a in lint(linter, body, kind="handoff").annotations]
    assert len(found) == 2


@pytest.mark.parametrize(
    "body",
    [
        "Definitely a backend bug: POST /api/v2/exports returns 502, request_id=9c1e77ab. @api-oncall",  # log line
        "Known issue ENG-4411, linked this ticket to it.",  # ticket id
        "Works as designed per https://help.acme.example/articles/rounding.",  # link
        "Fixed in PR #4411, customer confirmed.",  # PR id
        "The sync is working again since 09:12 UTC.",  # time in the sentence
        "Root cause is the cache: 40 of 40 requests missed.",  # measured number
        'Customer got "Export failed (E1042)". This is clearly a backend bug.',  # error text elsewhere
    ],
)
def test_evidence_in_the_note_backs_the_claim(linter: Linter, body: str) -> None:
    assert not lint(linter, body).annotations


@pytest.mark.parametrize(
    "body",
    [
        "Might be a backend bug, not sure yet. @api-oncall please look.",  # hedged
        "Is this a known issue? Customer sees a blank dashboard.",  # question
        "Not fixed yet: the import still fails. Waiting on Lee.",  # negated
        "Customer says it's fixed now but wants us to check March.",  # reported speech
        'Customer wrote "this is definitely a bug on your side".',  # quoted
        "Still investigating, no root cause yet.",  # no claim
    ],
)
def test_hedges_questions_negations_and_customer_words_are_not_claims(linter: Linter, body: str) -> None:
    assert not lint(linter, body).annotations


def test_replies_are_not_read_by_default(linter: Linter) -> None:
    draft = Draft(body="Good news, it's fixed now!", kind="reply", public=True)
    assert not linter.check(Ticket(id="T-7002"), draft).annotations


def test_options_narrow_categories_and_evidence(tmp_path) -> None:  # type: ignore[no-untyped-def]
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(
        "extends: recommended\nrules:\n  unsupported-claim:\n    categories: [status]\n"
        '    evidence: [link, id]\n    extra_phrases: ["it\'s a Stripe thing"]\n',
        encoding="utf-8",
    )
    linter = Linter(policy, select=[RULE])
    assert not lint(linter, "This is definitely a backend bug.").annotations  # root_cause is off
    assert lint(linter, "Known issue since 10:42 UTC.").annotations  # a time no longer counts
    assert lint(linter, "Payout delay: it's a Stripe thing.").annotations  # team phrase


def test_an_unknown_category_is_a_policy_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    policy = tmp_path / "holdthread.yaml"
    policy.write_text("rules:\n  unsupported-claim:\n    categories: [blame]\n", encoding="utf-8")
    with pytest.raises(HoldthreadError, match="blame"):
        Linter(policy)
