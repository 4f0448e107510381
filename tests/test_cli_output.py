"""What people and CI read: text without repeated excerpts, concise, statistics, escaping, SARIF identity."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from core_helpers import EXAMPLES, holdthread

VAGUE = EXAMPLES / "escalation-vague.md"
HEADLINE = re.compile(
    r"^(?P<where>.+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|info)"
    r"\[(?P<rule>[a-z0-9/-]+)\] .+$"
)


@pytest.fixture(autouse=True)
def _in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def annotations(*args: str | Path) -> list[dict[str, object]]:
    return [a for report in holdthread("check", "--format", "jsonl", *args).jsonl() for a in report["annotations"]]


def test_whole_note_findings_do_not_reprint_the_first_line() -> None:
    lines = holdthread("check", VAGUE).stdout.splitlines()
    headlines = [i for i, line in enumerate(lines) if HEADLINE.match(line)]
    first_line = VAGUE.read_text(encoding="utf-8").splitlines()[0]
    at_start = [i for i in headlines if ":1:1: " in lines[i]]
    assert len(at_start) >= 4  # missing-owner, missing-context, ... all point at the first line
    for index in at_start:
        assert not lines[index + 1].startswith("    | "), lines[index : index + 2]
    assert not any(line.startswith("    | ") and first_line.rstrip(".") in line for line in lines)
    # A finding about a phrase still shows it.
    [doesnt] = [i for i in headlines if '"doesn\'t work"' in lines[i]]
    assert lines[doesnt + 1] == "    | doesn't work"


def test_concise_prints_one_line_per_finding() -> None:
    run = holdthread("check", "--output-format", "concise", VAGUE, EXAMPLES / "ticket.json")
    assert run.exit_code == 1
    *findings, summary = run.stdout.splitlines()
    assert len(findings) == len(annotations(VAGUE, EXAMPLES / "ticket.json"))
    assert all(HEADLINE.match(line) for line in findings), findings
    text = holdthread("check", VAGUE, EXAMPLES / "ticket.json").stdout.splitlines()
    assert findings == [line for line in text if HEADLINE.match(line)]
    assert summary == text[-1]
    assert holdthread("check", "--format", "concise", VAGUE).stdout.splitlines()[0] == findings[0]


def test_statistics_count_findings_per_rule() -> None:
    expected = Counter(str(a["rule"]) for a in annotations(VAGUE, EXAMPLES / "ticket.json"))
    run = holdthread("check", "--statistics", VAGUE, EXAMPLES / "ticket.json")
    assert run.exit_code == 1  # the exit code still follows --fail-on
    *rows, summary = run.stdout.splitlines()
    counted = {line.split()[2]: int(line.split()[0]) for line in rows}
    assert counted == dict(expected)
    assert [int(line.split()[0]) for line in rows] == sorted(counted.values(), reverse=True)
    assert summary.startswith("Found ")
    as_json = holdthread("check", "--statistics", "--output-format", "json", VAGUE, EXAMPLES / "ticket.json").json()
    assert {row["rule"]: row["count"] for row in as_json} == dict(expected)
    assert all(row["summary"] for row in as_json)


def test_text_output_escapes_terminal_control_characters(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "rules:\n  order-ref:\n    kind: existence\n    patterns: ['order\\S+']\n    message: 'Reference {match}'\n",
        encoding="utf-8",
    )
    note = tmp_path / "note\x1b[1m.md"
    note.write_text("Refund for order\x1b[2J\x1b[31m88412\u202e\x07 please.\n", encoding="utf-8")
    for output in ("text", "concise"):
        run = holdthread("check", "--policy", policy, "--output-format", output, note)
        assert run.exit_code == 0
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in run.stdout, (output, raw)
        assert (
            "note\\x1b[1m.md:1:12: warning[order-ref] Reference order\\x1b[2J\\x1b[31m88412\\u202e\\x07" in run.stdout
        )
    text = holdthread("check", "--policy", policy, note).stdout
    assert "    | order\\x1b[2J\\x1b[31m88412\\u202e\\x07\n" in text
    missing = holdthread("check", tmp_path / "gone\x1b]0;pwned\x07.md")
    assert missing.exit_code == 2
    assert "\x1b" not in missing.stderr and "\\x1b]0;pwned\\x07" in missing.stderr
