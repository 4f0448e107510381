"""Helpdesk export sources: each reads its documented API shape into generic tickets."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from holdthread import Linter
from holdthread.linter.models import Ticket
from holdthread.linter.registry import default_registry
from holdthread.linter.sources import Record
from holdthread.plugins._export import detect_source
from holdthread.plugins.csv_export import CsvSource
from holdthread.plugins.django_helpdesk import DjangoHelpdeskSource
from holdthread.plugins.freshdesk import FreshdeskSource
from holdthread.plugins.intercom import IntercomSource
from holdthread.plugins.jsonl import JsonlSource
from holdthread.plugins.zendesk import ZendeskSource

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def tickets(records: list[Record]) -> dict[str, Ticket]:
    assert [r.error for r in records if r.request is None] == []
    return {r.request.ticket.id: r.request.ticket for r in records if r.request is not None}


def changes(ticket: Ticket, kind: str) -> list[tuple[str | None, str | None]]:
    return [(e.from_, e.to) for e in ticket.events if e.type == kind]


def test_every_source_is_registered_through_the_plugin_hook() -> None:
    sources = default_registry().sources
    for name in ("jsonl", "zendesk", "freshdesk", "intercom", "django-helpdesk", "csv"):
        assert name in sources


@pytest.mark.parametrize(("fixture", "expected"), [
    ("zendesk_tickets.jsonl", "zendesk"),
    ("zendesk_ticket_events.json", "zendesk"),
    ("zendesk_ticket_events.jsonl", "zendesk"),
    ("freshdesk_tickets.jsonl", "freshdesk"),
    ("intercom_conversations.jsonl", "intercom"),
    ("django_helpdesk.jsonl", "django-helpdesk"),
    ("comments.csv", "csv"),
])
def test_the_source_is_detected_from_the_content(fixture: str, expected: str, tmp_path: Path) -> None:
    # The suffix does not decide: a copy named .dat is detected the same way.
    copy = tmp_path / "export.dat"
    copy.write_bytes((EXPORTS / fixture).read_bytes())
    source = detect_source(copy, default_registry().sources.values())
    assert source is not None and source.name == expected


def test_generic_jsonl_is_detected_after_the_helpdesks(tmp_path: Path) -> None:
    path = tmp_path / "tickets.jsonl"
    ticket = {"id": "T-9", "subject": "Login loop", "comments": [
        {"id": "c1", "author": {"role": "customer"}, "body": "The login page reloads forever."}]}
    path.write_text(json.dumps(ticket) + "\n" + json.dumps({**ticket, "id": "T-10"}) + "\n")
    source = detect_source(path, default_registry().sources.values())
    assert source is JsonlSource
    assert list(tickets(list(JsonlSource().records(path)))) == ["T-9", "T-10"]


def test_zendesk_bundle_maps_roles_owners_and_groups_from_audits_and_sideloads() -> None:
    found = tickets(list(ZendeskSource().records(EXPORTS / "zendesk_tickets.jsonl")))
    ticket = found["48213"]
    assert ticket.group == "Billing" and ticket.assignee is not None and ticket.assignee.name == "Marco Bianchi"
    assert changes(ticket, "group_change") == [("Tier 1", "Tier 2"), ("Tier 2", "Billing")]
    assert changes(ticket, "assignee_change") == [("Sam Ortiz", "Priya Nair"), ("Priya Nair", "Marco Bianchi")]
    roles = {c.id: c.author.role for c in ticket.comments}
    assert roles == {"5101": "customer", "5102": "agent", "5103": "agent", "5104": "customer", "5105": "agent",
                     "5106": "agent"}
    assert [c.public for c in ticket.comments] == [True, True, False, True, False, True]
    # Without a users sideload: the requester is the customer, the system user and triggers are the system.
    plain = found["48377"]
    assert [c.author.role for c in plain.comments] == ["customer", "agent", "system"]
    assert changes(plain, "group_change") == [("360001", "360002")]


def test_zendesk_ticket_events_are_grouped_per_ticket_in_both_page_and_line_shapes() -> None:
    page = tickets(list(ZendeskSource().records(EXPORTS / "zendesk_ticket_events.json")))
    lines = tickets(list(ZendeskSource().records(EXPORTS / "zendesk_ticket_events.jsonl")))
    assert list(page) == list(lines) == ["50110", "50111"]
    assert page == lines
    refund = page["50110"]
    assert refund.subject == "Refund not received for order 77120"
    assert [c.id for c in refund.comments] == ["90014", "90031"]
    assert [c.author.role for c in refund.comments] == ["customer", "agent"]
    assert changes(refund, "group_change") == [("360001", "360007")]


def test_freshdesk_incoming_is_the_customer_and_private_is_a_note() -> None:
    found = tickets(list(FreshdeskSource().records(EXPORTS / "freshdesk_tickets.jsonl")))
    ticket = found["8842"]
    assert [(c.id, c.author.role, c.public) for c in ticket.comments] == [
        ("description", "customer", True), ("43110001", "agent", False), ("43110002", "customer", True),
        ("43110003", "agent", True)]
    assert ticket.comments[0].author.id == "43019920011" and ticket.comments[0].body.startswith("Since Monday")
    assert ticket.comments[1].author.name == "Sam Ortiz" and ticket.comments[1].author.id == "43002211"
    assert ticket.comments[1].created_at == datetime(2026, 11, 18, 9, 41, 20, tzinfo=UTC)
    # body_text is read, not the HTML body.
    assert ticket.comments[2].body == "Any news? The March invoice CSV export still hangs at 90% with E1042."
    assert (ticket.subject, ticket.type, ticket.tags) == ("Invoice export to CSV fails at 90%", "Problem",
                                                         ["export", "invoices"])
    assert ticket.status == "open" and ticket.priority == "high" and ticket.group == "Billing"
    assert ticket.created_at == datetime(2026, 11, 18, 9, 2, 11, tzinfo=UTC)
    assert ticket.requester is not None and ticket.requester.id == "43019920011"
    assert ticket.assignee is not None and (ticket.assignee.id, ticket.assignee.name) == ("43002301", "Marco Bianchi")
    # The {"ticket", "conversations"} shape reads the same way.
    other = found["8843"]
    assert [c.id for c in other.comments] == ["description", "43110101"]
    assert (other.status, other.priority, other.type) == ("resolved", "low", "Question")


def test_freshdesk_activities_export_items_become_owner_and_group_changes() -> None:
    ticket = tickets(list(FreshdeskSource().records(EXPORTS / "freshdesk_tickets.jsonl")))["8842"]
    # activity.group is the group's name; activity.agent_id an agent id, named from the agents list.
    assert changes(ticket, "group_change") == [(None, "Tier 1"), ("Tier 1", "Tier 2"), ("Tier 2", "Billing")]
    assert changes(ticket, "assignee_change") == [(None, "Sam Ortiz"), ("Sam Ortiz", "Priya Nair"),
                                                  ("Priya Nair", "Marco Bianchi")]
    # performed_at is the export's day-first time with an offset; performer_id is who moved it.
    moves = [(e.at, e.actor) for e in ticket.events if e.type == "group_change"]
    assert moves == [(datetime(2026, 11, 18, 9, 2, 11, tzinfo=UTC), "43019920011"),
                     (datetime(2026, 11, 18, 9, 41, tzinfo=UTC), "43002211"),
                     (datetime(2026, 11, 18, 14, 2, tzinfo=UTC), "43002245")]


def test_freshdesk_html_fallbacks_and_who_wrote_a_conversation() -> None:
    ticket = tickets(list(FreshdeskSource().records(EXPORTS / "freshdesk_tickets.jsonl")))["8844"]
    # No description_text: the HTML description is the first message. No body_text: the HTML body.
    assert ticket.comments[0].body == "<div>My card was charged twice for order 5521.</div>"
    assert ticket.comments[1].body == "<div>Here is the bank statement for order 5521.</div>"
    # A public note by the requester is the customer's; a private note is an agent's, incoming or not.
    assert [(c.id, c.author.role, c.public) for c in ticket.comments] == [
        ("description", "customer", True), ("43110201", "customer", True), ("43110202", "agent", False)]
    assert (ticket.status, ticket.priority, ticket.tags) == ("closed", "urgent", ["chargeback"])
    # Without a groups list the group stays its id; no responder_id, no assignee.
    assert ticket.group == "43000501" and ticket.assignee is None and ticket.events == []


def freshdesk_record(**changes: Any) -> dict[str, Any]:
    """The first fixture record (ticket 8842) with some top-level keys replaced."""
    line = (EXPORTS / "freshdesk_tickets.jsonl").read_text().splitlines()[0]
    return {**json.loads(line), **changes}


def test_freshdesk_activity_times_as_etl_connectors_write_them(tmp_path: Path) -> None:
    # Singer's tap-freshdesk and Airbyte's source-freshdesk rewrite performed_at as ISO 8601.
    activities = [
        {"performed_at": "2026-11-18T09:41:00Z", "ticket_id": 8842, "performer_type": "user",
         "performer_id": 43002211, "activity": {"group": "Tier 2"}},
        # The same group again (a property update that did not move the ticket) is no change.
        {"performed_at": "2026-11-18T10:00:00Z", "ticket_id": 8842, "performer_type": "user",
         "performer_id": 43002211, "activity": {"group": "Tier 2", "status": "Pending"}},
        {"performed_at": "2026-11-18T11:00:00+01:00", "ticket_id": 8842, "performer_type": "system",
         "performer_id": None, "activity": {"group": "Billing", "automation": {"type": 1, "rule": "Route"}}},
    ]
    path = tmp_path / "fd.jsonl"
    path.write_text(json.dumps(freshdesk_record(activities=activities)) + "\n")
    ticket = tickets(list(FreshdeskSource().records(path)))["8842"]
    assert [(e.from_, e.to, e.at, e.actor) for e in ticket.events] == [
        (None, "Tier 2", datetime(2026, 11, 18, 9, 41, tzinfo=UTC), "43002211"),
        ("Tier 2", "Billing", datetime(2026, 11, 18, 10, 0, tzinfo=UTC), None)]


@pytest.mark.parametrize(("activities", "where", "why"), [
    ([{"performed_at": "2026/11/18 09:41", "ticket_id": 8842, "activity": {"group": "Tier 2"}}],
     "$.activities[0].performed_at", "neither the ticket activities export's time"),
    ([{"performed_at": "18-11-2026 09:41:00 +0000", "ticket_id": 9999, "activity": {"group": "Tier 2"}}],
     "$.activities[0].ticket_id", "ticket 9999's, not ticket 8842's"),
    ([{"performed_at": "18-11-2026 09:41:00 +0000", "ticket_id": 8842}],
     "$.activities[0].activity", "the activity's changed properties"),
    ({"activities_data": []}, "$.activities", "ticket activities (a JSON list)"),
])
def test_freshdesk_bad_activities_reject_the_ticket_saying_where_and_why(
        tmp_path: Path, activities: object, where: str, why: str) -> None:
    path = tmp_path / "fd.jsonl"
    path.write_text(json.dumps(freshdesk_record(activities=activities)) + "\n")
    [record] = list(FreshdeskSource().records(path))
    assert record.request is None and record.line == 1
    assert record.path == where and why in (record.error or "")


def test_intercom_parts_become_comments_notes_and_assignment_events() -> None:
    found = tickets(list(IntercomSource().records(EXPORTS / "intercom_conversations.jsonl")))
    ticket = found["1911149811"]
    assert [(c.id, c.author.role, c.public) for c in ticket.comments] == [
        ("403918330", "customer", True), ("1001", "bot", True), ("1003", "agent", False),
        ("1005", "customer", True), ("1006", "agent", False), ("1009", "agent", True)]
    assert changes(ticket, "group_change") == [(None, "Tier 1"), ("Tier 1", "Tier 2"), ("Tier 2", "Billing")]
    assert changes(ticket, "assignee_change") == [(None, "Priya Nair"), ("Priya Nair", "Marco Bianchi")]
    assert ticket.comments[0].created_at is not None and ticket.comments[0].created_at.tzinfo is not None
    assert ticket.group == "Billing" and ticket.tags == ["export"]


def test_django_helpdesk_followups_and_ticket_changes() -> None:
    found = tickets(list(DjangoHelpdeskSource().records(EXPORTS / "django_helpdesk.jsonl")))
    ticket = found["311"]
    assert [(c.id, c.author.role, c.public) for c in ticket.comments] == [
        ("description", "customer", True), ("9001", "agent", False), ("9002", "customer", True),
        ("9003", "agent", True)]
    assert changes(ticket, "group_change") == [("tier-1", "network")]
    assert changes(ticket, "assignee_change") == [("sortiz", "lpark")]


def test_csv_rows_of_a_ticket_need_not_be_contiguous() -> None:
    records = list(CsvSource().records(EXPORTS / "comments.csv"))
    found = tickets(records)
    assert list(found) == ["T-1", "T-2"]
    assert [r.line for r in records] == [2, 4]  # the first row of T-1 spans lines 2-3
    first = found["T-1"]
    assert [c.id for c in first.comments] == ["c1", "c2", "c3", "c4"]
    assert "\n" in first.comments[0].body  # a quoted multi-line body stays one comment
    assert changes(first, "group_change") == [("Tier 1", "Tier 2"), ("Tier 2", "Billing")]
    assert first.comments[2].public is False and found["T-2"].comments[0].author.role == "customer"
    assert found["T-2"].comments[1].kind == "reply"


# --- attachments ----------------------------------------------------------------------------------

SCREENSHOT_ASK = "Could you send a screenshot of the error?"


def first_line(fixture: str) -> dict[str, Any]:
    """The first record of a JSON Lines fixture, to change and write back."""
    return dict(json.loads((EXPORTS / fixture).read_text().splitlines()[0]))


def write_records(tmp_path: Path, *records: dict[str, Any]) -> Path:
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


@pytest.mark.parametrize(("source", "fixture", "ticket_id", "comment_id", "expected"), [
    (ZendeskSource, "zendesk_tickets.jsonl", "48213", "5101", ("export-error-E1042.png", "image/png", 184311)),
    (ZendeskSource, "zendesk_ticket_events.json", "50110", "90014", ("visa-statement-nov.jpg", "image/jpeg", 96210)),
    (ZendeskSource, "zendesk_ticket_events.jsonl", "50110", "90014", ("visa-statement-nov.jpg", "image/jpeg", 96210)),
    # Freshdesk: the ticket's own attachments go on the description, a conversation's on its comment.
    (FreshdeskSource, "freshdesk_tickets.jsonl", "8842", "description",
     ("csv-export-stuck-90.png", "image/png", 231877)),
    (FreshdeskSource, "freshdesk_tickets.jsonl", "8844", "43110201",
     ("bank-statement-order-5521.pdf", "application/pdf", 58240)),
    # Intercom calls the size filesize.
    (IntercomSource, "intercom_conversations.jsonl", "1911149811", "403918330",
     ("csv-export-E1042.png", "image/png", 201554)),
])
def test_attachments_arrive_on_the_generic_comment_as_name_type_and_size(
        source: type[ZendeskSource], fixture: str, ticket_id: str, comment_id: str,
        expected: tuple[str, str, int]) -> None:
    ticket = tickets(list(source().records(EXPORTS / fixture)))[ticket_id]
    comments = {c.id: c for c in ticket.comments}
    assert [(a.name, a.content_type, a.size) for a in comments[comment_id].attachments] == [expected]
    assert comments[comment_id].author.role == "customer"
    # Only the comments that carried a file have one; no URL is kept (nothing downloads it).
    assert all(c.attachments == [] for c in ticket.comments if c.id != comment_id)
    assert set(comments[comment_id].attachments[0].model_dump()) == {"name", "content_type", "size"}


def test_zendesk_audit_comment_events_carry_their_attachments(tmp_path: Path) -> None:
    bundle = first_line("zendesk_tickets.jsonl")
    del bundle["comments"]  # without comments, the audits' Comment events are the thread
    ticket = tickets(list(ZendeskSource().records(write_records(tmp_path, bundle))))["48213"]
    [comment] = ticket.comments
    assert [(a.name, a.content_type, a.size) for a in comment.attachments] == [
        ("export-error-E1042.png", "image/png", 184311)]


def test_an_intercom_part_with_only_attachments_is_kept_with_an_empty_body(tmp_path: Path) -> None:
    conversation = first_line("intercom_conversations.jsonl")
    conversation["conversation_parts"]["conversation_parts"].append({
        "type": "conversation_part", "id": "1010", "part_type": "comment", "body": None, "created_at": 1795448000,
        "author": {"type": "user", "id": "6541f2a9c1d2e3000a1b2c3d", "name": "Dana Reyes"},
        "attachments": [{"type": "upload", "name": "still-failing.mp4", "url": "https://downloads.example/v.mp4",
                         "content_type": "video/mp4", "filesize": 3120044}]})
    ticket = tickets(list(IntercomSource().records(write_records(tmp_path, conversation))))["1911149811"]
    last = ticket.comments[-1]
    assert (last.id, last.body, last.author.role) == ("1010", "", "customer")
    assert [(a.name, a.content_type, a.size) for a in last.attachments] == [("still-failing.mp4", "video/mp4", 3120044)]
    # The engine lints no empty body: the file is context for the rules, not a message to check.
    report = Linter("recommended").check(ticket)
    assert "1010" not in {a.comment_id for a in report.annotations}


def test_a_freshdesk_ticket_opened_with_only_a_screenshot_keeps_it(tmp_path: Path) -> None:
    record = freshdesk_record(description="", description_text="")
    ticket = tickets(list(FreshdeskSource().records(write_records(tmp_path, record))))["8842"]
    first = ticket.comments[0]
    assert (first.id, first.body, first.author.role) == ("description", "", "customer")
    assert [a.name for a in first.attachments] == ["csv-export-stuck-90.png"]


def zendesk_bundle_asking() -> dict[str, Any]:
    bundle = first_line("zendesk_tickets.jsonl")
    bundle["comments"].append({"id": 5107, "type": "Comment", "author_id": 902301, "body": SCREENSHOT_ASK,
                               "public": True, "created_at": "2026-11-18T16:00:00Z", "attachments": []})
    return bundle


def zendesk_events_asking() -> list[dict[str, Any]]:
    lines = (EXPORTS / "zendesk_ticket_events.jsonl").read_text().splitlines()
    events = [json.loads(line) for line in lines]
    events.append({"id": 9005, "ticket_id": 50110, "timestamp": 1795252000, "created_at": "2026-11-20T09:06:40Z",
                   "updater_id": 902301, "event_type": "Audit", "child_events": [
                       {"id": 90051, "event_type": "Comment", "body": SCREENSHOT_ASK, "public": True,
                        "author_id": 902301, "attachments": []}]})
    return events


def freshdesk_asking() -> dict[str, Any]:
    record = first_line("freshdesk_tickets.jsonl")
    record["conversations"].append({"id": 43110004, "body": f"<div>{SCREENSHOT_ASK}</div>", "body_text": SCREENSHOT_ASK,
                                    "incoming": False, "private": False, "user_id": 43002301, "attachments": [],
                                    "created_at": "2026-11-18T16:00:00Z"})
    return record


def intercom_asking() -> dict[str, Any]:
    conversation = first_line("intercom_conversations.jsonl")
    conversation["conversation_parts"]["conversation_parts"].append({
        "type": "conversation_part", "id": "1010", "part_type": "comment", "body": f"<p>{SCREENSHOT_ASK}</p>",
        "created_at": 1795448000, "author": {"type": "admin", "id": "5017733", "name": "Marco Bianchi"},
        "attachments": []})
    return conversation


@pytest.mark.parametrize(("source", "records", "ticket_id", "reply_id", "given_in", "file_name"), [
    (ZendeskSource, lambda: [zendesk_bundle_asking()], "48213", "5107", "5101", "export-error-E1042.png"),
    (ZendeskSource, zendesk_events_asking, "50110", "90051", "90014", "visa-statement-nov.jpg"),
    (FreshdeskSource, lambda: [freshdesk_asking()], "8842", "43110004", "description", "csv-export-stuck-90.png"),
    (IntercomSource, lambda: [intercom_asking()], "1911149811", "1010", "403918330", "csv-export-E1042.png"),
])
def test_asking_again_for_an_attached_screenshot_is_a_repeated_ask_end_to_end(
        tmp_path: Path, source: type[ZendeskSource], records: Any, ticket_id: str, reply_id: str, given_in: str,
        file_name: str) -> None:
    ticket = tickets(list(source().records(write_records(tmp_path, *records()))))[ticket_id]
    assert ticket.comments[-1].id == reply_id and ticket.comments[-1].author.role == "agent"
    report = Linter("recommended", select=["repeated-ask"]).check(ticket)
    evidence = [(e.comment_id, e.text) for a in report.annotations if a.comment_id == reply_id for e in a.evidence]
    assert (given_in, f"attachment {file_name}") in evidence


@pytest.mark.parametrize(("source", "record", "where", "why"), [
    (ZendeskSource, lambda r: r["comments"][0].update(attachments={"file_name": "x.png"}),
     "$.comments[0].attachments", "expected the message's attachments (a JSON list), got dict"),
    (ZendeskSource, lambda r: r["comments"][0].update(attachments=["error.png"]),
     "$.comments[0].attachments[0]", "expected an attachment (a JSON object), got str"),
    (ZendeskSource, lambda r: r["comments"][0]["attachments"][0].update(size="180 KB"),
     "$.comments[0].attachments[0].size", "expected the attachment's size (a whole number of bytes), got str"),
    (FreshdeskSource, lambda r: r.update(attachments="csv-export-stuck-90.png"),
     "$.attachments", "(a JSON list), got str"),
    (FreshdeskSource, lambda r: r["conversations"][1].update(attachments=[None]),
     "$.conversations[1].attachments[0]", "expected an attachment (a JSON object), got NoneType"),
    (IntercomSource, lambda r: r["source"].update(attachments={"name": "x.png"}),
     "$.source.attachments", "(a JSON list), got dict"),
    (IntercomSource, lambda r: r["conversation_parts"]["conversation_parts"][4].update(attachments=[{"name": 42}]),
     "$.conversation_parts.conversation_parts[4].attachments[0].name", "the attachment's name (a JSON string)"),
])
def test_malformed_attachments_reject_the_ticket_with_their_json_path(
        tmp_path: Path, source: type[ZendeskSource], record: Any, where: str, why: str) -> None:
    fixture = {ZendeskSource: "zendesk_tickets.jsonl", FreshdeskSource: "freshdesk_tickets.jsonl",
               IntercomSource: "intercom_conversations.jsonl"}[source]
    data = first_line(fixture)
    record(data)
    [rejected] = list(source().records(write_records(tmp_path, data)))
    assert rejected.request is None and rejected.line == 1
    assert rejected.path == where and why in (rejected.error or "")


def test_malformed_attachments_in_zendesk_ticket_events_name_the_event(tmp_path: Path) -> None:
    events = zendesk_events_asking()
    events[0]["child_events"][3]["attachments"] = "visa-statement-nov.jpg"
    records = list(ZendeskSource().records(write_records(tmp_path, *events)))
    rejected = next(r for r in records if r.ticket_id == "50110")
    assert rejected.request is None
    assert rejected.path == "$[0].child_events[3].attachments" and "(a JSON list), got str" in (rejected.error or "")
    assert [r.ticket_id for r in records if r.request is not None] == ["50111"]
