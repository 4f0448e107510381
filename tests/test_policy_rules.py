"""Policy-defined rules (existence, occurrence, conditional, sections): matching, validation, RE2 safety."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from holdthread import Linter
from holdthread.linter.errors import PolicyError, Problem
from holdthread.linter.models import Annotation, Draft, Ticket
from holdthread.linter.policy import dump_policy, load_policy
from holdthread.linter.registry import default_registry

REFUND_NOTE = """\
Escalating to billing: Dana Whitfield (Acme Corp, Enterprise) was double-charged for the
November invoice (INV-20931, 2 x $1,240.00 on Nov 3). She asks for a refund of the duplicate.
Owner: @billing-oncall, reply by Nov 26 17:00 UTC.
"""

APPROVED_REFUND_NOTE = REFUND_NOTE + "Refund approved by @marta.k (billing lead) on Nov 25.\n"

ESCALATION = """\
## Impact
3 admins at Acme Corp (Enterprise) cannot export payroll; payroll run is due Nov 28.

## Environment
Web app 4.12.1, Chrome 131 on Windows 11.

## Steps to reproduce
1. Log in as an admin
2. Open Reports > Payroll
3. Click Export CSV

## Tried
Cleared cache, tried Firefox 132: same error E1042.
"""


def lint(rules: dict[str, Any], text: str, **draft: Any) -> list[Annotation]:
    """Only the given policy-defined rules, on one draft (no spaCy pipeline is needed)."""
    linter = Linter({"rules": rules}, select=list(rules))
    return linter.check(Ticket(id="T-4821"), Draft(body=text, **draft)).annotations


def policy_problems(tmp_path: Path, yaml: str) -> list[Problem]:
    path = tmp_path / "holdthread.yaml"
    path.write_text(textwrap.dedent(yaml), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(path, default_registry())
    return caught.value.problems


def only(problems: list[Problem], path: str) -> Problem:
    found = [p for p in problems if p.path == path]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


# --- existence ---------------------------------------------------------------------------------

PROMISES = {"no-promised-dates": {
    "kind": "existence",
    "phrases": ["we guarantee", "will be fixed by"],
    "patterns": [r"\bETA:?\s+(?:today|tomorrow|next week)\b"],
    "message": "Do not promise customers what engineering has not committed to: \"{match}\".",
    "suggestion": "Say what happens next and when you will update them instead.",
    "severity": "error",
}}


def test_existence_flags_each_match_with_its_text() -> None:
    note = ("Told the customer we guarantee it will be fixed by Friday. ETA tomorrow per chat with dev.\n"
            "Owner: @export-team")
    found = lint(PROMISES, note)
    assert [a.text for a in found] == ["we guarantee", "will be fixed by", "ETA tomorrow"]
    first = found[0]
    assert (first.rule, first.severity) == ("no-promised-dates", "error")
    assert first.message == "Do not promise customers what engineering has not committed to: \"we guarantee\"."
    assert first.suggestion == "Say what happens next and when you will update them instead."
    assert note[first.start:first.end] == "we guarantee"
    assert (first.line, first.column) == (1, 19)


def test_existence_phrases_match_whole_words_in_any_case_and_spacing() -> None:
    found = lint(PROMISES, "We  Guarantee a fix. The guarantees page is unrelated.")
    assert [a.text for a in found] == ["We  Guarantee"]


def test_existence_is_quiet_on_a_careful_note() -> None:
    assert lint(PROMISES, ESCALATION) == []


def test_existence_respects_ignore_case_false() -> None:
    rules = {"shouting-urgent": {"kind": "existence", "phrases": ["URGENT"], "ignore_case": False, "message": "m"}}
    assert [a.text for a in lint(rules, "URGENT: urgent export failure")] == ["URGENT"]


# --- occurrence --------------------------------------------------------------------------------

TICKET_LINK = {"needs-jira-link": {
    "kind": "occurrence",
    "patterns": [r"https://acme\.atlassian\.net/browse/[A-Z]+-\d+"],
    "min": 1,
    "message": "An escalation links its Jira issue ({count} link(s) found, at least {min} needed).",
}}


def test_occurrence_min_reports_a_note_without_the_link() -> None:
    found = lint(TICKET_LINK, REFUND_NOTE)
    assert len(found) == 1
    assert found[0].message == "An escalation links its Jira issue (0 link(s) found, at least 1 needed)."
    assert (found[0].start, found[0].end, found[0].text) == (0, 0, "")


def test_occurrence_min_passes_with_the_link() -> None:
    note = REFUND_NOTE + "Tracked in https://acme.atlassian.net/browse/BILL-1042\n"
    assert lint(TICKET_LINK, note) == []


def test_occurrence_max_points_at_the_first_match_too_many() -> None:
    rules = {"one-pager": {"kind": "occurrence", "patterns": [r"@[a-z][\w.-]+"], "max": 2,
                           "message": "{count} people tagged (at most {max}); \"{match}\" is one too many."}}
    note = "Looping @dana.w and @marta.k; @lee.park please confirm. Owner: @billing-oncall"
    found = lint(rules, note)
    assert len(found) == 1
    assert found[0].text == "@lee.park"
    assert found[0].message == "4 people tagged (at most 2); \"@lee.park\" is one too many."
    assert lint(rules, "Owner: @billing-oncall, cc @dana.w") == []


# --- conditional -------------------------------------------------------------------------------

REFUND_APPROVER = {"refund-needs-approver": {
    "kind": "conditional",
    "if": {"phrases": ["refund", "credit note"]},
    "then": {"patterns": [r"approved\s+by\s+@?\w+"]},
    "message": "The note mentions a \"{match}\" but names no approver.",
    "suggestion": "Add \"Approved by @name\" (a billing lead) before sending.",
}}


def test_conditional_flags_the_trigger_when_the_requirement_is_missing() -> None:
    found = lint(REFUND_APPROVER, REFUND_NOTE)
    assert len(found) == 1
    assert found[0].text == "refund"
    assert found[0].message == "The note mentions a \"refund\" but names no approver."
    assert REFUND_NOTE[found[0].start:found[0].end] == "refund"


def test_conditional_passes_when_both_match_or_neither() -> None:
    assert lint(REFUND_APPROVER, APPROVED_REFUND_NOTE) == []
    assert lint(REFUND_APPROVER, ESCALATION) == []


# --- sections ----------------------------------------------------------------------------------

SECTIONS = {"escalation-template": {
    "kind": "sections",
    "headings": ["Impact", "Environment", ["Steps to reproduce", "Steps"], "Tried"],
    "message": "The escalation template's \"{section}\" section is {state}.",
    "targets": {"kinds": ["escalation"]},
}}


def test_sections_passes_a_complete_escalation() -> None:
    assert lint(SECTIONS, ESCALATION) == []


def test_sections_reports_missing_and_empty_sections() -> None:
    note = ESCALATION.replace("## Tried\nCleared cache, tried Firefox 132: same error E1042.\n", "")
    note = note.replace("Web app 4.12.1, Chrome 131 on Windows 11.", "TBD")
    found = lint(SECTIONS, note)
    assert sorted(a.message for a in found) == [
        "The escalation template's \"Environment\" section is empty.",
        "The escalation template's \"Tried\" section is missing.",
    ]
    empty = next(a for a in found if "empty" in a.message)
    assert empty.text == "## Environment"
    assert empty.line == 4


def test_sections_accepts_label_lines_and_alternatives() -> None:
    note = ("Impact: 40 agents on the EU queue cannot log in.\n"
            "**Environment:** Zendesk app 2.3, Edge 131\n"
            "Steps:\n- open the app\n- click Sign in with SSO\n"
            "Tried: incognito, other browser, same result\n")
    assert lint(SECTIONS, note) == []


def test_sections_follows_targets() -> None:
    assert lint(SECTIONS, "Handing over to the night shift: nothing open.", kind="handoff") == []
    assert len(lint(SECTIONS, "Escalating: nothing filled in yet.", kind="escalation")) == 4


# --- policy integration ------------------------------------------------------------------------


def test_policy_rule_runs_next_to_built_in_rules_and_can_be_configured(tmp_path: Path) -> None:
    base = tmp_path / "team.yaml"
    base.write_text(textwrap.dedent("""\
        extends: recommended
        rules:
          refund-needs-approver:
            kind: conditional
            if: {phrases: [refund]}
            then: {patterns: ['approved by @?\\w+']}
            message: 'Mentions a "{match}" but names no approver.'
        scoring:
          weights: {refund-needs-approver: 30}
        """), encoding="utf-8")
    child = tmp_path / "billing.yaml"
    child.write_text("extends: team.yaml\nrules:\n  refund-needs-approver: error\n", encoding="utf-8")
    policy = load_policy(child, default_registry())
    config = policy.rules["refund-needs-approver"]
    assert config.severity == "error"
    assert "vague-language" in policy.rules
    report = Linter(policy).check(Ticket(id="T-4821"), Draft(body=REFUND_NOTE))
    mine = [a for a in report.annotations if a.rule == "refund-needs-approver"]
    assert [(a.severity, a.text) for a in mine] == [("error", "refund")]
    assert report.verdict == "block"
    shown = dump_policy(policy)
    assert "refund-needs-approver:" in shown and "if:" in shown and "kind: conditional" in shown


def test_child_may_only_change_severity_and_targets_without_redefining(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(
        "rules:\n  no-asap: {kind: existence, phrases: [ASAP], message: 'Say when, not {match}.'}\n", encoding="utf-8"
    )
    problems = policy_problems(tmp_path, """\
        extends: team.yaml
        rules:
          no-asap:
            severity: info
            phrases: [urgent]
        """)
    problem = only(problems, "rules.no-asap.phrases")
    assert (problem.line, problem.column) == (5, 5)
    assert "allowed for no-asap: severity, targets" in problem.message


def test_select_and_ignore_know_policy_rules() -> None:
    policy = {"rules": {**PROMISES, **REFUND_APPROVER}}
    linter = Linter(policy, ignore=["no-promised-dates"])
    assert {a.id for a in linter.rules} == {"refund-needs-approver"}
    off = {"rules": {"no-promised-dates": {**PROMISES["no-promised-dates"], "severity": "off"}}}
    selected = Linter(off, select=["no-promised-dates"])
    assert [a.id for a in selected.rules] == ["no-promised-dates"]


# --- validation: file:line:column --------------------------------------------------------------


def test_unknown_key_and_missing_message_are_located(tmp_path: Path) -> None:
    problems = policy_problems(tmp_path, """\
        rules:
          no-asap:
            kind: existence
            phrases: [ASAP]
            colour: red
        """)
    unknown = only(problems, "rules.no-asap.colour")
    assert (unknown.source, unknown.line, unknown.column) == (str(tmp_path / "holdthread.yaml"), 5, 5)
    assert "unknown key 'colour'" in unknown.message and "message" in unknown.message
    missing = only(problems, "rules.no-asap.message")
    assert "Field required" in missing.message
    assert missing.line == 3


def test_bad_regex_reports_the_character_position(tmp_path: Path) -> None:
    problems = policy_problems(tmp_path, """\
        rules:
          order-id:
            kind: existence
            patterns: ['ORD-[0-9', 'fine']
            message: 'Order id {match}'
        """)
    problem = only(problems, "rules.order-id.patterns[0]")
    assert (problem.line, problem.column) == (4, 16)
    assert "invalid pattern at character 5: missing ]" in problem.message
    assert str(problem).startswith(f"{tmp_path / 'holdthread.yaml'}:4:16: rules.order-id.patterns[0]: ")


@pytest.mark.parametrize(("pattern", "what", "position"), [
    (r"(\w+) again \1", "backreferences are not supported", 13),
    (r"refund(?! approved)", "lookahead and lookbehind are not supported", 7),
    (r"(?<=Order )\d+", "lookahead and lookbehind are not supported", 1),
    (r"(?>a+)b", "atomic groups", 1),
])
def test_re2_rejects_non_linear_constructs_and_says_why(tmp_path: Path, pattern: str, what: str, position: int) -> None:
    problems = policy_problems(tmp_path, f"""\
        rules:
          repeated-word:
            kind: existence
            patterns:
              - '{pattern}'
            message: m
        """)
    problem = only(problems, "rules.repeated-word.patterns[0]")
    assert what in problem.message
    assert f"at character {position}" in problem.message
    assert "linear time" in problem.message or "atomic" in what
    assert (problem.line, problem.column) == (5, 9)


def test_an_open_lower_bound_is_reported_not_read_as_text(tmp_path: Path) -> None:
    """Python reads "{,3}" as {0,3}; RE2 silently matches the text "{,3}". Say so instead."""
    problems = policy_problems(tmp_path, """\
        rules:
          eta-promise:
            kind: existence
            patterns: ['\\beta\\s{,3}\\d', 'fine\\{,2}']
            message: m
        """)
    problem = only(problems, "rules.eta-promise.patterns[0]")
    assert problem.message == ("`{,3}` at character 8 is literal text in RE2, not a repeat; write `{0,3}` for 0 to "
                               "3 repeats (or `\\{,3}` to match the text)")
    assert not [p for p in problems if p.path == "rules.eta-promise.patterns[1]"]


def test_conditional_patterns_are_checked_inside_if_and_then(tmp_path: Path) -> None:
    problems = policy_problems(tmp_path, """\
        rules:
          refund-needs-approver:
            kind: conditional
            if: {phrases: [refund]}
            then: {patterns: ['(approver) \\1']}
            message: m
        """)
    assert "backreferences" in only(problems, "rules.refund-needs-approver.then.patterns[0]").message


@pytest.mark.parametrize(("entry", "path", "expected"), [
    ("vague-language: {kind: existence, phrases: [x], message: m}", "rules.vague-language",
     "'vague-language' is a rule of holdthread.rules.vague_language"),
    ("Refund_Rule: {kind: existence, phrases: [x], message: m}", "rules.Refund_Rule", "not kebab-case"),
    ("refund-rule: {kind: existance, phrases: [x], message: m}", "rules.refund-rule.kind",
     "unknown kind 'existance'; did you mean 'existence'?"),
    ("refund-rule: {kind: occurrence, phrases: [x], message: m}", "rules.refund-rule", "give `min`, `max` or both"),
    ("refund-rule: {kind: existence, message: m}", "rules.refund-rule", "there is nothing to match"),
    ("refund-rule: {kind: existence, phrases: [x], message: 'Hi {customer}'}", "rules.refund-rule.message",
     "unknown placeholder {customer}; this kind fills in: {match}"),
    ("refund-rule: {kind: existence, patterns: ['x*'], message: m}", "rules.refund-rule.patterns[0]",
     "matches empty text"),
    ("refund-rule: {kind: sections, headings: [], message: m}", "rules.refund-rule.headings", "at least 1 item"),
])
def test_definition_problems(tmp_path: Path, entry: str, path: str, expected: str) -> None:
    problems = policy_problems(tmp_path, f"rules:\n  {entry}\n")
    problem = only(problems, path)
    assert expected in problem.message
    assert problem.line == 2


def test_limits_cap_pattern_length_and_count(tmp_path: Path) -> None:
    problems = policy_problems(tmp_path, """\
        limits: {max_pattern_chars: 20, max_patterns_per_rule: 2}
        rules:
          long-pattern: {kind: existence, patterns: ['INC-[0-9]{4}-[A-Z]{3}-[0-9]{6}'], message: m}
          many-patterns: {kind: existence, patterns: [a1, b2, c3], message: m}
        """)
    long = only(problems, "rules.long-pattern.patterns[0]")
    assert "over the limit of 20 (limits.max_pattern_chars)" in long.message
    many = only(problems, "rules.many-patterns.patterns")
    assert "3 patterns, over the limit of 2 (limits.max_patterns_per_rule)" in many.message


def test_a_policy_cannot_lift_the_limits_past_their_ceiling(tmp_path: Path) -> None:
    problems = policy_problems(tmp_path, "limits: {max_pattern_chars: 1000000}\n")
    assert "less than or equal to 10000" in only(problems, "limits.max_pattern_chars").message


# --- hostile patterns (timings: benchmarks/hostile_patterns.py) --------------------------------


def test_hostile_patterns_return_the_right_result_on_a_100kb_note() -> None:
    rules = {
        "hostile-a": {"kind": "existence", "patterns": ["(a+)+$"], "message": "m"},
        "hostile-x": {"kind": "existence", "patterns": ["(x+x+)+y"], "message": "m"},
    }
    linter = Linter({"rules": rules, "limits": {"max_note_chars": 250_000}}, select=list(rules))
    almost = linter.check_text("a" * 100_000 + "!\n" + "x" * 100_000)
    assert almost.annotations == []
    matching = linter.check_text("x" * 50_000 + "y\n" + "a" * 50_000)
    assert sorted((a.rule, a.start, a.end) for a in matching.annotations) == [
        ("hostile-a", 50_002, 100_002), ("hostile-x", 0, 50_001),
    ]


def test_matches_per_note_are_capped() -> None:
    rules = {"every-a": {"kind": "existence", "patterns": ["a.*b|a"], "message": "m"}}
    linter = Linter({"rules": rules, "limits": {"max_pattern_matches": 25}}, select=list(rules))
    assert len(linter.check_text("a" * 100_000).annotations) == 25
