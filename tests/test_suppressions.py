"""Inline suppressions (`holdthread: ignore[rule-id] reason`) and the invalid-suppression rule."""

from __future__ import annotations

from typing import Any

import pytest

from holdthread import Linter
from holdthread.linter.models import Annotation, Comment, Draft, Ticket
from holdthread.linter.policy import load_policy
from holdthread.linter.registry import default_registry
from holdthread.linter.suppressions import META_RULE, find_suppressions

#: Policy-defined rules keep these tests free of spaCy; one test uses a built-in rule too.
RULES: dict[str, Any] = {
    "no-asap": {"kind": "existence", "phrases": ["ASAP"], "message": "Say when instead of \"{match}\"."},
    "no-guarantee": {"kind": "existence", "phrases": ["we guarantee"], "message": "No promises: \"{match}\"."},
    "handoff-next-step": {"kind": "occurrence", "patterns": [r"(?i)next step:"], "min": 1,
                          "message": "Say the next step.", "targets": {"kinds": ["handoff"]}},
    META_RULE: "warning",
}

NOTE = """\
Customer (Acme Corp, Enterprise) needs the payroll export fixed ASAP: payroll closes Nov 28 17:00 UTC.
Export fails with E1042 for 3 admins since Nov 24. Owner: @export-oncall.
"""


def lint(text: str, rules: dict[str, Any] | None = None, kind: str = "escalation") -> list[Annotation]:
    policy = {"rules": rules or RULES}
    return Linter(policy).check(Ticket(id="T-5120"), Draft(body=text, kind=kind)).annotations  # type: ignore[arg-type]


def by_rule(found: list[Annotation], rule: str) -> list[Annotation]:
    return [a for a in found if a.rule == rule]


def test_unsuppressed_note_has_the_finding() -> None:
    assert [a.text for a in by_rule(lint(NOTE), "no-asap")] == ["ASAP"]


def test_a_reasoned_marker_silences_the_rule_in_the_whole_note() -> None:
    note = NOTE + "holdthread: ignore[no-asap] the deadline is stated right after it\n"
    found = lint(note)
    assert by_rule(found, "no-asap") == []
    assert by_rule(found, META_RULE) == []


def test_several_rules_in_one_marker() -> None:
    note = "We guarantee a fix ASAP.\nholdthread: ignore[no-asap, no-guarantee] quoting the sales contract, clause 4\n"
    assert lint(note) == []


def test_a_marker_without_reason_silences_nothing_and_is_reported() -> None:
    note = NOTE + "holdthread: ignore[no-asap]\n"
    found = lint(note)
    assert [a.text for a in by_rule(found, "no-asap")] == ["ASAP"]
    [meta] = by_rule(found, META_RULE)
    assert meta.message.startswith("This suppression of no-asap has no reason")
    assert meta.text == "holdthread: ignore[no-asap]"
    assert (meta.line, meta.column) == (3, 1)
    assert meta.severity == "warning"


def test_the_reported_severity_is_the_policys() -> None:
    rules = {**RULES, META_RULE: "error"}
    [meta] = by_rule(lint(NOTE + "holdthread: ignore[no-asap]\n", rules), META_RULE)
    assert meta.severity == "error"


def test_an_unused_marker_is_reported() -> None:
    note = NOTE + "holdthread: ignore[no-guarantee] sales promised the date in writing\n"
    [meta] = by_rule(lint(note), META_RULE)
    assert meta.message == "This suppression silences nothing: no-guarantee found no problem in this note any more."


def test_an_unknown_rule_is_reported_with_a_hint() -> None:
    note = NOTE + "holdthread: ignore[no-asp] deadline is given\n"
    found = lint(note)
    assert [a.text for a in by_rule(found, "no-asap")] == ["ASAP"]
    [meta] = by_rule(found, META_RULE)
    assert "names unknown rule 'no-asp'" in meta.message
    assert "Did you mean 'no-asap'?" in meta.message


def test_a_rule_that_does_not_read_this_note_is_reported() -> None:
    note = NOTE + "holdthread: ignore[handoff-next-step] escalation, not a handoff\n"
    [meta] = by_rule(lint(note), META_RULE)
    assert "handoff-next-step, which does not check this note" in meta.message


def test_invalid_suppression_cannot_silence_itself() -> None:
    note = NOTE + "holdthread: ignore[invalid-suppression, no-asap] deadline follows\n"
    found = lint(note)
    assert by_rule(found, "no-asap") == []
    assert [a.message for a in by_rule(found, META_RULE)] == [
        "invalid-suppression cannot be suppressed: fix or remove the marker it reports instead."
    ]


def test_turned_off_markers_still_apply_but_are_not_reported() -> None:
    rules = {**RULES, META_RULE: "off"}
    assert lint(NOTE + "holdthread: ignore[no-asap]\n", rules) != []
    assert lint(NOTE + "holdthread: ignore[no-asap] deadline follows\n", rules) == []
    assert by_rule(lint(NOTE + "holdthread: ignore[no-such-rule] x\n", rules), META_RULE) == []


def test_findings_inside_the_marker_reason_are_not_the_notes() -> None:
    note = "Export fails with E1042.\nholdthread: ignore[no-guarantee] customer wrote ASAP in the subject\n"
    found = lint(note)
    assert by_rule(found, "no-asap") == []
    assert len(by_rule(found, META_RULE)) == 1  # the marker itself silences nothing


def test_a_marker_only_covers_its_own_comment() -> None:
    ticket = Ticket(id="T-5121", comments=[
        Comment(id="c1", author={"role": "agent"}, public=False, kind="escalation",
                body="Needs a fix ASAP.\nholdthread: ignore[no-asap] deadline is in the linked incident INC-7731"),
        Comment(id="c2", author={"role": "agent"}, public=False, kind="escalation", body="Still broken, ASAP please."),
    ])
    found = Linter({"rules": RULES}).check(ticket).annotations
    assert [(a.comment_id, a.text) for a in by_rule(found, "no-asap")] == [("c2", "ASAP")]


def test_built_in_rules_are_suppressed_too() -> None:
    note = ("Payroll export for Acme Corp: customer says it doesn't work for them.\n"
            "Export fails with E1042 at 09:14 UTC for 3 admins. Owner: @export-oncall.\n")
    linter = Linter("recommended", select=["vague-language", META_RULE])
    before = linter.check_text(note).annotations
    assert [a.rule for a in before] == ["vague-language"]
    marker = "holdthread: ignore[vague-language] customer's own words; the error code is on the next line\n"
    assert linter.check_text(note + marker).annotations == []


@pytest.mark.parametrize(("text", "rules", "reason"), [
    ("holdthread: ignore[no-asap] deadline follows", ("no-asap",), "deadline follows"),
    ("HOLDTHREAD:ignore[ No-ASAP ,no-guarantee ] reason: quoting the contract", ("no-asap", "no-guarantee"),
     "quoting the contract"),
    ("holdthread: ignore[no-asap] — per Marta", ("no-asap",), "per Marta"),
    ("holdthread: ignore[] because", (), "because"),
    ("holdthread: ignore[no-asap]   ", ("no-asap",), ""),
])
def test_marker_parsing(text: str, rules: tuple[str, ...], reason: str) -> None:
    [marker] = find_suppressions("Note body.\n" + text + "\nSigned, Lee")
    assert (marker.rules, marker.reason) == (rules, reason)


def test_recommended_preset_enables_invalid_suppression() -> None:
    policy = load_policy("recommended", default_registry())
    assert policy.rules[META_RULE].severity == "warning"
