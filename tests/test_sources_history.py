"""Which comments of a history are linted as escalations and handoffs (linter/history.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from holdthread import Linter
from holdthread.linter.history import classify, says_escalation
from holdthread.linter.models import Ticket

T0 = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


def comment(cid: str, minutes: int, body: str, *, public: bool = False, role: str = "agent",
            kind: str | None = None) -> dict[str, Any]:
    return {"id": cid, "author": {"name": "Sam Ortiz", "role": role}, "public": public, "kind": kind,
            "created_at": (T0 + timedelta(minutes=minutes)).isoformat(), "body": body}


def ticket(comments: list[dict[str, Any]], events: list[dict[str, Any]] | None = None) -> Ticket:
    return Ticket.model_validate({"id": "T-7", "subject": "Invoice export fails", "comments": comments,
                                  "events": events or []})


CHANGE = {"type": "group_change", "at": (T0 + timedelta(minutes=60)).isoformat(), "from": "Tier 1", "to": "Tier 2"}


def kinds(t: Ticket, window: int = 30) -> list[str]:
    return list(classify(t, [c.body for c in t.comments], window))


def test_an_internal_note_near_a_group_change_is_a_handoff() -> None:
    t = ticket([
        comment("c1", 0, "Invoice export fails at 90% with E1042.", public=True, role="customer"),
        comment("c2", 10, "Checked the export logs, nothing obvious yet."),
        comment("c3", 62, "Tier 2 please check the export worker; Priya owns it."),
        comment("c4", 70, "Hi Dana, Tier 2 is on it.", public=True),
    ], [CHANGE])
    assert kinds(t) == ["reply", "note", "handoff", "reply"]


def test_the_window_comes_from_the_policy_setting() -> None:
    t = ticket([comment("c2", 10, "Checked the export logs, nothing obvious yet.")], [CHANGE])
    assert kinds(t, window=30) == ["note"]
    assert kinds(t, window=60) == ["handoff"]


def test_escalation_wording_wins_and_an_explicit_kind_is_kept() -> None:
    t = ticket([
        comment("c1", 61, "Escalating this to the payments team with the HAR attached."),
        comment("c2", 5, "Just a note for myself", kind="escalation"),
        comment("c3", 59, "FYI, the customer escalated to their account manager.", public=True),
    ], [CHANGE])
    assert kinds(t) == ["escalation", "escalation", "reply"]
    assert says_escalation("escalated to Tier 2") and not says_escalation("the escalation policy says")


def test_customer_messages_and_undated_notes_are_never_handoffs() -> None:
    t = ticket([comment("c1", 60, "Still broken, see above.", public=False, role="customer")], [CHANGE])
    undated = comment("c2", 60, "Passing it on.")
    undated["created_at"] = None
    t2 = ticket([undated], [CHANGE])
    assert kinds(t) == ["note"] and kinds(t2) == ["note"]


def test_the_engine_lints_window_handoffs_with_handoff_rules() -> None:
    # A handoff note with no owner: missing-owner targets escalations and handoffs only.
    t = ticket([
        comment("c1", 0, "Invoice export fails at 90% with E1042.", public=True, role="customer"),
        comment("c2", 61, "Sending this over, export problem, see thread."),
    ], [CHANGE])
    fired = {(a.rule, a.comment_id) for a in Linter("recommended", select=["missing-owner"]).check(t).annotations}
    assert ("missing-owner", "c2") in fired
    policy = {"extends": "recommended", "history": {"handoff_window_minutes": 0}}
    quiet = Linter(policy, select=["missing-owner"]).check(t)
    assert quiet.annotations == []
