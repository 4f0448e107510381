"""repeated-ask: the ways a customer gives something, and the ways they only seem to.

Each "given" case pairs with a near miss that must stay quiet, so the rule learns the shape
(an attachment, a bot intake, a quoted error) and not the words of one ticket.
"""

from __future__ import annotations

from typing import Any

import pytest

from holdthread import Linter

CUSTOMER = {"id": "u1", "name": "Gerald Moss", "role": "customer"}
AGENT = {"id": "a1", "name": "Keisha Ward", "role": "agent"}
BOT = {"id": "b1", "name": "Intake bot", "role": "bot"}


def said(body: str, *, author: dict[str, Any] = CUSTOMER, cid: str = "c1", **extra: Any) -> dict[str, Any]:
    return {"id": cid, "author": author, "public": True, "created_at": "2026-05-04T09:12:00Z", "body": body, **extra}


def asks_again(linter: Linter, thread: list[dict[str, Any]], reply: str) -> list[Any]:
    ticket = {"id": "T-9", "subject": "Help", "comments": thread}
    draft = {"author": AGENT, "public": True, "kind": "reply", "body": reply}
    return [a for a in linter.check(ticket, draft).annotations if a.rule == "repeated-ask"]


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter("recommended")


@pytest.mark.parametrize("attachment", [
    {"file_name": "schedule_error.jpg", "content_type": "image/jpeg", "size": 241337},  # Zendesk
    {"name": "IMG_2231.PNG"},                                                          # Freshdesk / Intercom
    {"name": "capture", "content_type": "image/png"},
])
def test_an_attached_image_is_a_screenshot_given(linter: Linter, attachment: dict[str, Any]) -> None:
    thread = [said("Saving the Saturday class fails.", attachments=[attachment])]
    [found] = asks_again(linter, thread, "Could you send a screenshot of the error?")
    assert found.evidence[0].comment_id == "c1"
    assert found.evidence[0].text.startswith("attachment ")


def test_an_attached_har_is_logs_given_and_a_pdf_is_not_a_screenshot(linter: Linter) -> None:
    thread = [said("Uploads stall at 90%.", attachments=[{"name": "upload.har", "content_type": "application/json"}])]
    assert asks_again(linter, thread, "Could you capture a HAR file while uploading and attach it?")
    thread = [said("Here is my invoice.", attachments=[{"name": "invoice.pdf", "content_type": "application/pdf"}])]
    assert not asks_again(linter, thread, "Could you send a screenshot of the error?")


@pytest.mark.parametrize("reply", [
    "Could you tell me the serial number of your thermostat?",
    "Could you send your player ID so I can look at the ban?",
])
def test_a_bot_intake_records_what_the_customer_gave(linter: Linter, reply: str) -> None:
    intake = ("Thanks! Here is what I collected:\n• Serial: HQ3-0098-1172\n• Player ID: SF-99120-KR\n"
              "• Firmware: 4.2.1")
    thread = [said(intake, author=BOT, cid="bot-1"), said("Yes that's all correct.", cid="c2")]
    [found] = asks_again(linter, thread, reply)
    assert found.evidence[0].comment_id == "bot-1"


def test_a_bot_greeting_is_not_an_intake(linter: Linter) -> None:
    thread = [said("Hi! An agent will be with you shortly. Your ticket is T-9.", author=BOT, cid="bot-1"),
              said("My thermostat shows E7.", cid="c2")]
    assert not asks_again(linter, thread, "Could you tell me the serial number of your thermostat?")


@pytest.mark.parametrize("message", [
    "It pops up 'Payment method declined – code 51' after I press Pay.",
    "Renewal fails with decline code 51.",
])
def test_an_error_given_in_other_words(linter: Linter, message: str) -> None:
    assert asks_again(linter, [said(message)], "What does the error say exactly when you press Pay?")


def test_a_reference_given_with_words_between_label_and_value(linter: Linter) -> None:
    thread = [said("The transaction ID on my bank statement is GG-TX-5520193.")]
    assert asks_again(linter, thread, "Could you share the transaction ID for the donation?")


@pytest.mark.parametrize("message", [
    "I tried to attach a screenshot but the upload failed.",
    "I couldn't attach the screenshot, it is too big.",
    "I will send a screenshot tomorrow.",
])
def test_a_file_only_tried_or_promised_was_not_given(linter: Linter, message: str) -> None:
    assert not asks_again(linter, [said(message)], "Could you try sending the screenshot again?")


def test_a_value_quoted_back_means_another_one_is_asked(linter: Linter) -> None:
    thread = [said("The admin invite went to my manager, tess.h@brightfarm.example, instead of me.")]
    reply = ("I can see the invite sent to tess.h@brightfarm.example. Which email address would you like to sign in "
             "with?")
    assert not asks_again(linter, thread, reply)
    assert asks_again(linter, thread, "Which email address did the invite go to?")


def test_a_browser_named_without_its_version(linter: Linter) -> None:
    thread = [said("When I click a time slot nothing happens. I'm on Chrome.")]
    assert not asks_again(linter, thread, "Which version of Chrome do you have?")
    assert asks_again(linter, thread, "Which browser are you using?")
    assert asks_again(linter, [said("I'm on Chrome 131.")], "Which version of Chrome do you have?")


def test_ids_in_an_html_table_or_list_are_given(linter: Linter) -> None:
    table = ("<p>we were invoiced twice, details:</p><table><tr><th>Invoice</th><th>Date</th></tr>"
             "<tr><td>INV-CW-2291</td><td>2026-02-01</td></tr><tr><td>INV-CW-2304</td><td>2026-02-03</td></tr></table>")
    assert asks_again(linter, [said(table)], "<p>Could you send me the invoice numbers of the two invoices?</p>")
    listed = "<p>Hi, these orders never shipped:</p><ul><li>POD-O-77120</li><li>POD-O-77131</li></ul>"
    [found] = asks_again(linter, [said(listed)], "Which order numbers are affected?")
    assert "POD-O-77120" in found.evidence[0].text


def test_an_abbreviated_reference_is_given(linter: Linter) -> None:
    thread = [said("Reservation conf. 88-4412-KX was charged a no-show fee although the guest checked in.")]
    assert asks_again(linter, thread, "To locate the reservation, please provide the confirmation number.")


def test_each_item_of_a_requested_list_is_an_ask(linter: Linter) -> None:
    thread = [said("Error when printing treatment plan",
                   attachments=[{"name": "IMG_2231.PNG", "content_type": "image/png", "size": 902114}])]
    reply = ("Hi Dr. Brooks,\n\nTo help us investigate, please send:\n1. Your practice ID\n2. The exact error message\n"
             "3. A screenshot of the error\n\nThanks,\nDev")
    [found] = asks_again(linter, thread, reply)
    assert found.text.lower().startswith("screenshot")
    # the same items in a list that does not ask (a summary of what we have) are not asks
    summary = "Hi, here is what we have so far.\n- a screenshot of the error\n- your practice name\nThanks!"
    assert not asks_again(linter, thread, summary)


def test_an_id_in_the_signature_and_attached_photos_are_given(linter: Linter) -> None:
    signed = said("Our last maintenance visit isn't in the service history.\n—\nJ. Park, Facilities\nAcct: HV-20-3391")
    assert asks_again(linter, [signed], "Could you send over your account ID so I can pull up the history?")
    photos = said("Order WC-7781 arrived with 2 broken bottles, photos attached.",
                  attachments=[{"name": "bottles.jpg", "content_type": "image/jpeg", "size": 2210442}])
    assert asks_again(linter, [photos], "Could you send photos of the broken bottles so we can file the claim?")
    assert not asks_again(linter, [said("Order WC-7781 arrived with 2 broken bottles.")],
                          "Could you send photos of the broken bottles so we can file the claim?")


def test_a_har_is_not_a_console_log_and_a_model_is_not_the_device(linter: Linter) -> None:
    logged = said("The dashboard says 'Syncing...' forever. Console log attached.",
                  attachments=[{"name": "console.log", "content_type": "text/plain", "size": 30211}])
    reply = ("Thanks for the console log, Carlos. Could you also record a HAR file while the page loads "
             "(instructions: help.cadenza.example/har) and attach it?")
    assert not asks_again(linter, [logged], reply)
    assert asks_again(linter, [logged], "Could you send the console logs?")
    tablet = said("When I zoom into drawings on the tablet they stay blurry.")
    assert not asks_again(linter, [tablet], "Which tablet model and Android version do you use?")
    assert asks_again(linter, [said("On my Galaxy Tab S9 the drawings stay blurry.")], "Which tablet model do you use?")


def test_an_error_quoted_as_a_blockquote_is_given(linter: Linter) -> None:
    thread = [said("The app says:\n> Upload failed: payload too large (413)\nevery time I attach the photos.")]
    assert asks_again(linter, thread, "Could you please provide the exact error message you are seeing?")
