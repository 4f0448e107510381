"""A helpdesk draft is linted as the kind of note it is, and only a changed assignee is a new owner.

The ticket's current assignee must not silence missing-owner: an escalation that names nobody is
still a gap even on an assigned ticket. These test the converters directly; the HTTP tests cover
the same payloads over the wire.
"""

from __future__ import annotations

import pytest
from server_helpers import zendesk_app_body

from holdthread import Linter
from holdthread.linter.history import draft_kind
from holdthread.server.payloads import from_zendesk_app

ESCALATION = "Escalating to engineering: the CSV export hangs for order 1182, pls check."


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter("recommended")


def rules_fired(linter: Linter, body: dict[str, object]) -> set[str]:
    converted = from_zendesk_app(body)
    assert converted.request is not None
    report = linter.check(converted.request.ticket, converted.request.draft)
    return {a.rule for a in report.annotations}


def test_the_current_assignee_is_not_a_new_owner(linter: Linter) -> None:
    body = zendesk_app_body(ESCALATION)
    converted = from_zendesk_app(body)
    assert converted.request is not None and converted.request.draft is not None
    assert converted.request.ticket.assignee is not None  # the ticket is assigned...
    assert converted.request.draft.assignee is None  # ...but this note sets no new owner
    assert "missing-owner" in rules_fired(linter, body)


def test_an_assignee_changed_in_this_save_is_the_new_owner(linter: Linter) -> None:
    body = zendesk_app_body(ESCALATION)
    body["newAssignee"] = {"id": 77, "name": "Lee Park"}
    converted = from_zendesk_app(body)
    assert converted.request is not None and converted.request.draft is not None
    assert converted.request.draft.assignee is not None and converted.request.draft.assignee.name == "Lee Park"
    assert converted.request.draft.kind == "escalation"
    assert "missing-owner" not in rules_fired(linter, body)


@pytest.mark.parametrize(("text", "public", "reassigned", "kind"), [
    ("Thanks for your patience, we are on it.", True, False, "reply"),
    ("Escalating to Tier 2: refund failed with E2201.", False, False, "escalation"),
    ("Handing this over to the night shift, see the HAR above.", False, False, "handoff"),
    ("Called the customer, left a voicemail at 10:40 UTC.", False, True, "handoff"),
    ("customer says export doesn't work, pls check ASAP", False, False, "escalation"),
    ("@lee.park this is the one from standup", False, False, "escalation"),
    ("Called the customer, left a voicemail at 10:40 UTC.", False, False, "note"),
])
def test_draft_kind(text: str, public: bool, reassigned: bool, kind: str) -> None:
    assert draft_kind(text, public=public, reassigned=reassigned) == kind
