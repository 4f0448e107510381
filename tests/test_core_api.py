"""The Python API: ``from holdthread import Linter`` and the Report it returns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from core_helpers import EXAMPLES

import holdthread
from holdthread import Annotation, CheckRequest, Draft, Linter, Report, Ticket

VAGUE_DRAFT = {
    "author": {"id": "a3", "name": "Tomás Reis", "role": "agent"},
    "public": False,
    "kind": "escalation",
    "body": "Escalating to billing engineering. VAT seems wrong for some customers, probably a config thing.",
}


@pytest.fixture(autouse=True)
def _in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter("recommended")


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def test_public_names() -> None:
    public = {"Linter", "Report", "Annotation", "Ticket", "Draft", "Rule", "hookimpl", "hookspec"}
    assert public <= set(holdthread.__all__)
    assert holdthread.__version__


def test_default_policy_is_discovered_or_recommended(tmp_path: Path) -> None:
    assert Linter().policy.sources == ["<preset recommended>"]
    (tmp_path / "holdthread.yaml").write_text("extends: strict\n", encoding="utf-8")
    assert Linter().policy.fail_on == "warning"


@pytest.mark.parametrize("kind", ["path", "str", "dict", "preset", "policy"])
def test_policy_from_path_str_dict_preset_or_object(tmp_path: Path, kind: str) -> None:
    file = tmp_path / "team.yaml"
    file.write_text("extends: strict\nrules:\n  vague-language: off\n", encoding="utf-8")
    sources: dict[str, Any] = {
        "path": file, "str": str(file), "dict": {"extends": "strict", "rules": {"vague-language": "off"}},
        "preset": "strict", "policy": Linter(file).policy,
    }
    policy = Linter(sources[kind]).policy
    assert policy.fail_on == "warning"
    assert policy.rules["missing-repro-steps"].severity == "error"
    assert ("vague-language" in policy.active()) is (kind == "preset")


def test_check_with_dicts_and_with_models_agree(linter: Linter) -> None:
    request = example("check-request.json")
    from_dicts = linter.check(request["ticket"], request["draft"])
    from_models = linter.check(Ticket.model_validate(request["ticket"]), Draft.model_validate(request["draft"]))
    assert isinstance(from_dicts, Report)
    assert from_dicts == from_models
    assert from_dicts.ticket_id == "T-2077"
    assert from_dicts.verdict == "block"
    assert all(a.comment_id is None for a in from_dicts.annotations)


def test_check_a_ticket_without_draft_lints_its_comments(linter: Linter) -> None:
    report = linter.check(example("ticket.json"))
    assert report.counts() == {"repeated-ask": 1}
    [ask] = report.annotations
    assert ask.comment_id == "c3"
    assert ask.evidence[0].comment_id == "c1"


def test_a_string_draft_is_an_internal_escalation(linter: Linter) -> None:
    ticket = example("check-request.json")["ticket"]
    report = linter.check(ticket, VAGUE_DRAFT["body"])
    assert report == linter.check(ticket, {"body": VAGUE_DRAFT["body"]})
    assert "missing-owner" in report.counts()


def test_a_draft_that_sets_a_new_assignee_has_an_owner(linter: Linter) -> None:
    ticket = example("check-request.json")["ticket"]
    with_assignee = {**VAGUE_DRAFT, "assignee": {"id": "e7", "name": "Priya Natarajan"}}
    assert "missing-owner" in linter.check(ticket, VAGUE_DRAFT).counts()
    assert "missing-owner" not in linter.check(ticket, with_assignee).counts()


def test_check_text_and_report_fields(linter: Linter) -> None:
    text = (EXAMPLES / "escalation-vague.md").read_text(encoding="utf-8")
    report = linter.check_text(text, ticket_id="T-77")
    assert report.ticket_id == "T-77"
    assert linter.check_text(text).ticket_id == "note"
    assert report.verdict == "block"
    assert 0 <= report.score < 100
    assert report.annotations and all(isinstance(a, Annotation) for a in report.annotations)
    first = report.annotations[0]
    assert set(first.model_dump()) == {"rule", "severity", "message", "comment_id", "start", "end", "line", "column",
                                       "text", "suggestion", "evidence"}
    assert all(text[a.start:a.end] == a.text for a in report.annotations)
    assert [(a.start, a.rule) for a in report.annotations] == sorted((a.start, a.rule) for a in report.annotations)
    assert sum(report.counts().values()) == len(report.annotations)
    good = linter.check_text((EXAMPLES / "escalation-good.md").read_text(encoding="utf-8"))
    assert (good.verdict, good.score, good.annotations) == ("pass", 100, [])


def test_select_and_ignore() -> None:
    text = (EXAMPLES / "escalation-vague.md").read_text(encoding="utf-8")
    only = Linter("recommended", select=["vague-language"])
    assert [a.id for a in only.rules] == ["vague-language"]
    assert set(only.check_text(text).counts()) == {"vague-language"}
    without = Linter("recommended", ignore=["vague-language"])
    assert "vague-language" not in without.check_text(text).counts()
    assert "missing-owner" in without.check_text(text).counts()
    # Selecting a rule the policy turns off runs it with its defaults.
    off = Linter({"rules": {"vague-language": "off"}}, select=["vague-language"])
    assert off.check_text(text).counts().get("vague-language", 0) >= 3


def test_check_many_keeps_input_order(linter: Linter) -> None:
    lines = (EXAMPLES / "tickets.jsonl").read_text(encoding="utf-8").splitlines()
    requests = [CheckRequest(ticket=Ticket.model_validate_json(line)) for line in lines]
    reports = list(linter.check_many(requests * 2))
    assert [r.ticket_id for r in reports] == ["T-1042", "T-2101", "T-2150"] * 2
    assert reports[:3] == reports[3:]


def test_the_linter_builds_only_the_pipeline_its_rules_need() -> None:
    nothing = Linter({"rules": {}})
    assert nothing.rules == [] and nothing.nlp is None
    assert nothing.check_text("anything at all").verdict == "pass"
    assert Linter("recommended").needs <= {"tokens", "sentences", "pos", "lemmas", "entities"}
