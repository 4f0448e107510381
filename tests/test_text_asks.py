"""The parsed note's asks, attempts, phone numbers and platforms, and whose words are the customer's.

Each feature is read once for every rule, so each principle is pinned here with a case on each
side: what an ask asks for (and what only looks like an ask), what counts as an attempt, what is a
phone number, an OS release or a device model.
"""

from __future__ import annotations

import pytest

from holdthread.linter.models import Author, Comment, Person, Ticket
from holdthread.linter.requester import is_thread_customer, thread_customer
from holdthread.text import ParsedNote
from holdthread.text.asks import asks_for_the_problem, is_terse
from holdthread.text.content import content_words, with_fixes_named_one_way


def asked(text: str) -> list[list[str]]:
    """What each ask of ``text`` asks for, as the words of its spans."""
    note = ParsedNote(text)
    return [[text[s:e].strip() for s, e in ask.what] for ask in note.asks]


def tried(text: str) -> list[str]:
    note = ParsedNote(text)
    return [text[a.tried[0] : a.tried[1]] for a in note.asks if a.tried is not None]


def test_every_ask_of_a_sentence_is_read() -> None:
    asks = asked("Which model do you have and is iOS 11.1 installed on it? Any steps tried so far?")
    assert asks == [["Which model do you have"], ["is iOS 11.1 installed on it?"], ["Any steps tried so far?"]]


def test_a_clause_that_goes_on_from_an_ask_is_part_of_it_but_its_purpose_is_not() -> None:
    [spans] = asked("Please DM us your email address so we can look into this, and the OS of your computer.")
    assert spans == ["your email address", "and the OS of your computer."]


@pytest.mark.parametrize(
    "text",
    [
        "Please do not share your order number here.",
        "For your privacy, please delete that tweet, it has your email in it.",
        "Try the steps in this article: https://help.example/a",
        "Please troubleshoot error NW-31700-4 with our guide.",
        "Restart the router and wait two minutes.",
    ],
)
def test_prohibitions_removals_and_instructions_ask_for_nothing(text: str) -> None:
    assert ParsedNote(text).asks == []


def test_a_request_to_write_to_us_names_a_channel_not_what_is_asked() -> None:
    assert asked("Please send us an email at https://acme.example/contact and we will sort it out.") == [
        ["and we will sort it out."]
    ]
    assert asked("Email us at help@acme.example with your order number.") == [["with your order number."]]


def test_do_not_hesitate_is_no_prohibition() -> None:
    assert asked("Don't hesitate to send us your order number.") == [["send us your order number."]]


def test_what_follows_an_ask_that_points_on_is_asked_for() -> None:
    assert asked("To help us, please send:\n1. Your practice ID\n2. The exact error message\nThanks") == [
        ["please send:", "1. Your practice ID", "2. The exact error message"]
    ]
    assert asked("kim, pastebin this for me? lsb_release -a; uname -r") == [
        ["pastebin this for me?", "lsb_release -a; uname -r"]
    ]


def test_chat_asks_without_their_question_mark_or_by_nick_alone() -> None:
    assert asked("Orbo: did you edit the sources file") == [["did you edit the sources file"]]
    assert asked("rajiv ask the problem buddy") == [["rajiv ask the problem buddy"]]
    assert asked("we send updates every week") == []
    note = ParsedNote("zipper_: release?")
    assert is_terse(note.text, note.asks[0])
    assert not is_terse(note.text, ParsedNote("Which browser and which version are you using today?").asks[0])


def test_what_they_are_asked_to_have_tried() -> None:
    assert tried("Have you tried clearing the cache?") == ["clearing the cache"]
    assert tried("Could you try resetting the preferences & let us know if it helps") == ["resetting the preferences"]
    assert tried("Please try reinstalling the game and let us know the result.") == ["reinstalling the game"]
    assert tried("Could you power cycle the modem and let us know if it helps?") == ["power cycle the modem"]
    assert tried("What driver did you install?") == []
    assert tried("Could you send the logs?") == []


def test_an_open_question_about_the_problem_and_one_for_more() -> None:
    assert asks_for_the_problem("Hi Sam. How can I help?")
    assert asks_for_the_problem("i still dont understand what the issue is")
    assert not asks_for_the_problem("What exactly is going on with the app?")
    assert not asks_for_the_problem("Is there anything else we can help with?")


@pytest.mark.parametrize(
    ("text", "attempt"),
    [
        ("Videos won't play. I already cleared the cache.", True),
        ("Reinstalled it twice, no luck.", True),
        ("The reset didn't help.", True),
        ("I haven't tried restarting yet.", False),
        ("I can't reinstall it, no admin rights.", False),
        ("The app is slow.", False),
    ],
)
def test_attempts(text: str, attempt: bool) -> None:
    assert bool(ParsedNote(text).attempts) is attempt


def test_a_known_fix_is_one_word_however_it_is_said() -> None:
    rebooted = content_words(with_fixes_named_one_way("I rebooted the modem, then power cycled it"))
    assert "restart" in rebooted and "reboot" not in rebooted


@pytest.mark.parametrize(
    ("text", "phones"),
    [
        ("call me on (555) 123-4567 or +44 7700 900123", ["(555) 123-4567", "+44 7700 900123"]),
        ("my number: 00447900248601", ["00447900248601"]),
        ("Latency jumps between 50-450 ms all evening.", []),
        ("between 2017 2018 it worked", []),
        ("order 55-1209 and #1234-5678", []),
        ("see https://shop.example/orders/555-123-4567", []),
    ],
)
def test_phone_numbers(text: str, phones: list[str]) -> None:
    assert [v.text for v in ParsedNote(text).values if v.kind == "phone"] == phones


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("standby fails with ubuntu9.04", [("os", "ubuntu9.04", True)]),
        ("After update #ios1103 the lock screen changed", [("os", "ios1103", True)]),
        ("wifi does not work on 10.10", [("os", "10.10", True)]),
        ("version 10.10 of the app", []),
        ("it was fine on win7", [("os", "win7", True)]),
        ("I win every time", []),
        ("wifi chip set = AR9285", [("device", "AR9285", True)]),
        ("my card is an ATI Radeon 9600", [("device", "ATI Radeon 9600", True)]),
        ("On my Galaxy Tab S9", [("device", "Galaxy Tab S9", True)]),
        ("the camera on my iPhone", [("device", "iPhone", False)]),
    ],
)
def test_platforms(text: str, found: list[tuple[str, str, bool]]) -> None:
    assert [(p.kind, p.text, p.versioned) for p in ParsedNote(text).platforms] == found


def _comment(cid: str, author: Author) -> Comment:
    return Comment(id=cid, author=author, body="x")


def test_the_thread_customer_is_the_requester_else_the_first_customer() -> None:
    first, other = Author(id="u1", role="customer"), Author(id="u2", role="customer")
    thread = [_comment("c1", first), _comment("c2", other)]
    assert thread_customer(Ticket(id="T", comments=thread)) == first
    assert thread_customer(Ticket(id="T", requester=Person(id="u2"), comments=thread)) == Person(id="u2")
    # A requester no comment is by (another id scheme) does not hide the customer.
    assert thread_customer(Ticket(id="T", requester=Person(email="a@b.example"), comments=thread)) == first
    customer = thread_customer(Ticket(id="T", comments=thread))
    assert is_thread_customer(thread[0], customer) and not is_thread_customer(thread[1], customer)


def test_customers_without_ids_are_one_customer() -> None:
    anonymous = [_comment("c1", Author(role="customer")), _comment("c2", Author(role="customer"))]
    customer = thread_customer(Ticket(id="T", comments=anonymous))
    assert all(is_thread_customer(c, customer) for c in anonymous)
