"""pii-in-note: personal data and secrets in escalations and public replies, shown redacted."""

from __future__ import annotations

import pytest

from holdthread import Linter
from holdthread.linter.models import Report

RULE = "pii-in-note"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter("recommended", select=[RULE])


def lint(linter: Linter, body: str, kind: str = "escalation", public: bool = False) -> Report:
    return linter.check({"id": "T-7200"}, {"body": body, "kind": kind, "public": public})


@pytest.mark.parametrize(
    ("body", "value", "redacted"),
    [
        (
            "Customer dana.lee@northwind.example can't log in. @identity-oncall",
            "dana.lee@northwind.example",
            "d***@northwind.example",
        ),
        ("Please call him back on +44 20 7946 0958 when fixed.", "+44 20 7946 0958", "phone ending 58"),
        ("Text updates to (415) 555-0132 please.", "(415) 555-0132", "phone ending 32"),
        ("Charge failed on card 4242 4242 4242 4242 exp 04/28.", "4242 4242 4242 4242", "card ending 4242"),
        ("Payroll CSV shows SSN 123-45-6789 in the header.", "123-45-6789", "SSN ending 6789"),
        ("NI number QQ 12 34 56 C imported with the wrong tax code.", "QQ 12 34 56 C", "NI number ending 56C"),
        ("They shared the login, password: Tulip!2024 for testing.", "Tulip!2024", "password: [redacted]"),
        ("Temporary password is Wq7#pLm2 so eng can log in.", "Wq7#pLm2", "password: [redacted]"),
        ("Key sk_live_51HxQ2eKz8vYt3mN0pQrSxY gets 401.", "sk_live_51HxQ2eKz8vYt3mN0pQrSxY", "sk_live_…rSxY"),
        (
            "Token xoxb-2211334455-99887766554-AbCdEfGhIjKl stopped posting.",
            "xoxb-2211334455-99887766554-AbCdEfGhIjKl",
            "xoxb-…IjKl",
        ),
        ("AWS key AKIAIOSFODNN7EXAMPLE was pasted by the customer.", "AKIAIOSFODNN7EXAMPLE", "AKIA…MPLE"),
        (
            "ghp_4f8Jk2LmN9pQ3rS7tU1vW5xY0zA6bC8dE2gH fails on deploy.",
            "ghp_4f8Jk2LmN9pQ3rS7tU1vW5xY0zA6bC8dE2gH",
            "ghp_…E2gH",
        ),
    ],
)
def test_personal_data_and_secrets_are_errors_with_the_redacted_form(
    linter: Linter, body: str, value: str, redacted: str
) -> None:
    found = [a for a in lint(linter, body).annotations if a.rule == RULE]
    assert [a.text for a in found] == [value]
    assert found[0].severity == "error"
    assert found[0].suggestion is not None and f"`{redacted}`" in found[0].suggestion


def test_a_jwt_in_a_bearer_header_is_one_finding(linter: Linter) -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
    found = lint(linter, f"Header: Authorization: Bearer {jwt}").annotations
    assert len(found) == 1 and jwt in found[0].text


def test_public_replies_are_read_and_internal_handoffs_are_not(linter: Linter) -> None:
    body = "Hi Dana, we updated the account to dana.lee@northwind.example."
    assert lint(linter, body, kind="reply", public=True).annotations
    assert not lint(linter, body, kind="handoff").annotations


@pytest.mark.parametrize(
    "body",
    [
        "Order 415-555-0132 was charged twice on Nov 20.",  # order number shaped like a phone
        "Order #100-2233-4455 and #100-2233-4456 failed at checkout.",  # order ids
        "App 5.12.1 (build 20261124) crashes at 10:42:07 UTC. Ticket T-2024-11-0042.",  # versions, timestamps, ids
        "Sync ran 2026-11-24 09:00 to 2026-11-24 09:45, 1,204 records, 3 errors.",  # dates and counts
        "Invoice INV-2026-004417 total 1,249.00 EUR.",  # invoice number, amount
        "Tracking number 1Z999AA10123456784 shows delivered.",  # tracking number
        "Card number 4242 4242 4242 4241 fails validation (test value).",  # fails Luhn
        "Customer d***@northwind.example paid with card ending 4242.",  # already masked
        "Reach us at support@acme.example or billing@acme.example.",  # role addresses
        "The password reset link expired; password is incorrect after reset.",  # talks about passwords
        "Customer rotated the key (ending ...9xY), still 401.",  # secret not pasted
    ],
)
def test_numbers_that_are_not_personal_data_pass(linter: Linter, body: str) -> None:
    assert not lint(linter, body).annotations, body


def test_allowed_domains_and_kinds_are_options(tmp_path) -> None:  # type: ignore[no-untyped-def]
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(
        "extends: recommended\nrules:\n  pii-in-note:\n    allow_domains: [acme.example]\n    kinds: [email]\n",
        encoding="utf-8",
    )
    linter = Linter(policy, select=[RULE])
    assert not lint(linter, "Ask lee.park@acme.example (our finance lead); card 4242 4242 4242 4242.").annotations
    assert lint(linter, "Customer is dana@northwind.example.").annotations


def test_allowed_values_such_as_the_support_line_pass(tmp_path) -> None:  # type: ignore[no-untyped-def]
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(
        "extends: recommended\nrules:\n  pii-in-note:\n    allow_values: ['+44 20 7946 0000']\n", encoding="utf-8"
    )
    linter = Linter(policy, select=[RULE])
    assert not lint(
        linter, "Hi Dana, call our support line on +44 (0)20 7946 0000 any time.", kind="reply", public=True
    ).annotations
    assert lint(linter, "Hi Dana, we called you on +44 20 7946 0958.", kind="reply", public=True).annotations
