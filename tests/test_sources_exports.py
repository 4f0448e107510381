"""Helpdesk export sources: each reads its documented API shape into generic tickets."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

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
