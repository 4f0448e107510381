"""pii-in-note's principles, one at a time: what makes a digit group a card, an address a role
mailbox, a number a service line or one offered as the organisation's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from holdthread import Linter
from holdthread.linter.errors import PolicyError
from holdthread.rules.pii_in_note.cards import in_card_grouping, issued_by_a_network, luhn
from holdthread.rules.pii_in_note.contact_points import is_role_mailbox, is_service_number, offered_as_ours

REGIONS = ["US", "GB", "CA", "AU", "JP", "IN", "IE", "DE", "FR"]


@pytest.mark.parametrize(
    ("value", "grouped"),
    [
        ("4111111111111111", True),
        ("4111 1111 1111 1111", True),
        ("3782-822463-10005", True),
        ("4111 1111-1111 1111", False),  # two kinds of separator
        ("41 1111 11111 11111", False),  # a grouping no network prints
    ],
)
def test_card_grouping(value: str, grouped: bool) -> None:
    assert in_card_grouping(value) is grouped


@pytest.mark.parametrize(
    ("digits", "issued"),
    [("4111111111111111", True), ("2223003122003222", True), ("378282246310005", True), ("20200401225851", False)],
)
def test_a_card_starts_with_a_networks_range(digits: str, issued: bool) -> None:
    assert issued_by_a_network(digits) is issued


def test_luhn() -> None:
    assert luhn("4111111111111111") and not luhn("4111111111111112")


@pytest.mark.parametrize(
    ("local", "role"),
    [
        ("support", True),
        ("reportphish", True),
        ("customer.care", True),
        ("no-reply", True),
        ("help24", True),
        ("privacy+gdpr", True),
        ("dana.lee", False),
        ("support.dana", False),  # a person's name in it: a person's mailbox
        ("devon", False),
        ("carey", False),
    ],
)
def test_a_role_mailbox_is_made_only_of_function_words(local: str, role: bool) -> None:
    assert is_role_mailbox(local) is role


@pytest.mark.parametrize(
    ("number", "service"),
    [
        ("800-222-2377", True),  # US toll-free
        ("1-888-555-0123", True),
        ("0344 556 5650", True),  # UK universal access
        ("0800 123 4567", True),
        ("1800 123 456", True),  # read in Australia, the first region where it is valid
        ("+1 800 555 0199", True),
        ("(415) 555-0132", False),
        ("+44 20 7946 0958", False),
        ("0151 496 0000", False),  # a British geographic line, not another country's service number
        ("07946 095888", False),  # a British mobile
    ],
)
def test_service_numbers_by_the_numbering_plan(number: str, service: bool) -> None:
    assert is_service_number(number, REGIONS) is service


@pytest.mark.parametrize(
    ("before", "ours"),
    [
        ("Please contact our Aftersales team on ", True),
        ("Our customer service reps at ", True),
        ("Reach out to us by calling ", True),
        ("Our team called you on ", False),
        ("Let us know your number ", False),
        ("Call our customer Dana's line at ", False),
        ("Thanks for contacting us. The caller's number is ", False),  # the cue is in another sentence
    ],
)
def test_a_number_offered_as_the_organisations_own(before: str, ours: bool) -> None:
    assert offered_as_ours(before, len(before)) is ours


def test_phone_regions_are_checked(tmp_path: Path) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text("extends: recommended\nrules:\n  pii-in-note:\n    phone_regions: [GB, XX]\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="phone_regions"):
        Linter(policy, select=["pii-in-note"])


def test_phone_regions_decide_where_a_bare_number_is_read(tmp_path: Path) -> None:
    body = "Hi Dana, please call 0120 123 456 for the recall."
    assert (
        not Linter("recommended", select=["pii-in-note"])
        .check({"id": "T"}, {"body": body, "kind": "reply"})
        .annotations
    )
    policy = tmp_path / "holdthread.yaml"
    policy.write_text("extends: recommended\nrules:\n  pii-in-note:\n    phone_regions: [FR]\n", encoding="utf-8")
    report = Linter(policy, select=["pii-in-note"]).check({"id": "T"}, {"body": body, "kind": "reply"})
    assert [a.text for a in report.annotations] == ["0120 123 456"]
