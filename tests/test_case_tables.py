"""Every built-in rule's case table (``holdthread/rules/<rule>/cases.yaml``) is its spec, and holds.

A case is ``{id, text | request | macro, kind?, public?, policy?, also_run?, fires, why}``: a plain
note (linted as a draft of ``kind``, an internal escalation by default), a full ``{ticket, draft}``
request or a macro file, and whether the rule fires on it. ``policy`` adds to the recommended
policy; ``also_run`` names other rules to run with it (e.g. the rule a suppression silences).

A case the rule does not meet yet carries ``known_gap: <why>``: an expected failure that turns
into a test failure the day the rule meets it, so whoever fixes the rule flips the case. Each
rule's documented Example must fire and its "Use instead" must not; ``doc_examples`` in the case
table says how to run them when they need a thread or a ticket.
"""

from __future__ import annotations

import inspect
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from holdthread import Linter
from holdthread.linter.models import CheckRequest, Draft, Ticket
from holdthread.linter.registry import default_registry
from holdthread.plugins.macros import read_macros
from holdthread.text.wordlists import WordListError, load_words, parse_words

RULES = Path(__file__).resolve().parent.parent / "holdthread" / "rules"
TABLES = sorted(RULES.glob("*/cases.yaml"))
MIN_CASES = 15


def _rule_id(table: Path) -> str:
    return table.parent.name.replace("_", "-")


def _load(table: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(table.read_text(encoding="utf-8"))
    return data


@cache
def _linter(rules: tuple[str, ...], policy: str) -> Linter:
    return Linter({"extends": "recommended", **json.loads(policy)}, select=rules)


def _request(case: dict[str, Any]) -> CheckRequest:
    if "request" in case:
        return CheckRequest.model_validate(case["request"])
    if "macro" in case:
        record = next(read_macros(case["macro"], "case.yaml", ".yaml"))
        assert record.request is not None, record.error
        return record.request
    draft = Draft(body=case["text"], kind=case.get("kind", "escalation"), public=case.get("public", False))
    return CheckRequest(ticket=Ticket(id=case["id"], type=case.get("ticket_type")), draft=draft)


def _fires(rule_id: str, case: dict[str, Any]) -> bool:
    rules = tuple(sorted({rule_id, *case.get("also_run", [])}))
    linter = _linter(rules, json.dumps(case.get("policy", {}), sort_keys=True))
    report = next(iter(linter.check_many([_request(case)])))
    return any(a.rule == rule_id for a in report.annotations)


def _cases() -> list[Any]:
    params = []
    for table in TABLES:
        rule_id = _rule_id(table)
        for case in _load(table)["cases"]:
            marks = [pytest.mark.xfail(strict=True, reason=case["known_gap"])] if "known_gap" in case else []
            params.append(pytest.param(rule_id, case, id=f"{rule_id}:{case['id']}", marks=marks))
    return params


def test_every_rule_has_a_case_table_of_at_least_fifteen_cases() -> None:
    built_in = {
        rule_id for rule_id, plugin in default_registry().rule_plugins.items() if plugin.startswith("holdthread.")
    }
    tables = {_rule_id(table): len(_load(table)["cases"]) for table in TABLES}
    assert set(tables) == built_in
    short = {rule_id: count for rule_id, count in tables.items() if count < MIN_CASES}
    assert not short, f"fewer than {MIN_CASES} cases: {short}"


def test_each_case_says_why_and_has_a_unique_id() -> None:
    for table in TABLES:
        cases = _load(table)["cases"]
        ids = [case["id"] for case in cases]
        assert len(ids) == len(set(ids)), f"{table}: duplicate case ids"
        for case in cases:
            assert isinstance(case.get("fires"), bool), f"{table}: {case['id']} needs fires: true|false"
            assert str(case.get("why", "")).strip(), f"{table}: {case['id']} needs a why"


@pytest.mark.parametrize(("rule_id", "case"), _cases())
def test_case(rule_id: str, case: dict[str, Any]) -> None:
    assert _fires(rule_id, case) is case["fires"], case["why"]


def _doc_block(doc: str, heading: str) -> str:
    """The first fenced block under a heading of a rule's doc."""
    section = inspect.cleandoc(doc).split(f"## {heading}\n", 1)[1]
    match = re.search(r"```[a-z]*\n(.*?)```", section, re.DOTALL)
    assert match is not None, f"no code block under {heading}"
    return match.group(1)


@pytest.mark.parametrize("table", TABLES, ids=_rule_id)
@pytest.mark.parametrize(("heading", "fires"), [("Example", True), ("Use instead", False)])
def test_documented_examples(table: Path, heading: str, fires: bool) -> None:
    """The doc's Example fires and its "Use instead" does not, run as the case table says:
    as a note of ``kind``, as the reply in ``request``'s thread, or as a macro file."""
    rule_id = _rule_id(table)
    block = _doc_block(default_registry().rules[rule_id].doc, heading)
    how: dict[str, Any] = dict(_load(table).get("doc_examples", {}))
    if how.get("as") == "macro":
        case: dict[str, Any] = {"macro": block}
    elif "request" in how:
        request = json.loads(json.dumps(how["request"]))
        request["draft"]["body"] = block
        case = {"request": request}
    elif "cases" in how:  # a ticket-level rule: its doc shows a history, the table gives the tickets
        case = dict(how["cases"][heading])
    else:
        case = {
            "id": f"{rule_id}-doc",
            "text": block,
            "kind": how.get("kind", "escalation"),
            "public": how.get("public", False),
            "ticket_type": how.get("ticket_type"),
        }
    case["policy"] = how.get("policy", {})
    case["also_run"] = how.get("also_run", [])
    assert _fires(rule_id, case) is fires


def test_a_word_on_both_sides_of_a_decision_is_rejected_with_file_line_and_word() -> None:
    text = (
        "disjoint:\n  - [owner_verbs, not_owner_verbs]\n"
        "owner_verbs:\n  - take\n  - work\n"
        "not_owner_verbs:\n  - be\n  - Work\n"
    )
    with pytest.raises(WordListError, match=r"rules/x/words\.yaml:8: 'work' is listed both in owner_verbs \(line 5\)"):
        parse_words(text, "rules/x/words.yaml")


def test_disjoint_lists_without_a_shared_word_load() -> None:
    text = "disjoint:\n  - [a, b]\na: [take, own]\nb: [be, work]\n"
    assert parse_words(text, "x.yaml")["b"] == ["be", "work"]


@pytest.mark.parametrize("table", TABLES, ids=_rule_id)
def test_every_rule_word_list_loads(table: Path) -> None:
    """Each shipped words.yaml passes its own disjoint checks."""
    if (table.parent / "words.yaml").is_file():
        assert load_words(f"holdthread.rules.{table.parent.name}")
