"""`holdthread audit --write-baseline` / `--baseline`: adopt holdthread on old tickets, see only new findings."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from holdthread.audit.synthetic import write_jsonl
from holdthread.cli import cli


def audit(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["audit", *args, "--jobs", "1", "--no-cache"], catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def findings(out: Path) -> list[dict[str, object]]:
    lines = (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_a_baseline_hides_recorded_findings_and_shows_new_ones(tmp_path: Path) -> None:
    export = write_jsonl(tmp_path / "tickets.jsonl", 60, seed=5)
    first, baseline = tmp_path / "first", tmp_path / "baseline.json"
    code, output = audit(str(export), "--out", str(first), "--write-baseline", str(baseline))
    assert code == 0, output
    recorded = sum(len(r["annotations"]) for r in findings(first))  # type: ignore[arg-type]
    assert recorded > 0
    summary = json.loads((first / "summary.json").read_text(encoding="utf-8"))
    assert summary["baseline_written"]["findings"] == recorded

    # The same tickets again: everything recorded is hidden, and the scores say so.
    second = tmp_path / "second"
    code, output = audit(str(export), "--out", str(second), "--baseline", str(baseline))
    assert code == 0, output
    assert all(r["annotations"] == [] and r["score"] == 100 for r in findings(second))
    assert "100" in (second / "scores.csv").read_text(encoding="utf-8")

    # One ticket gains a new vague phrase in an escalation note: only that finding is new.
    tickets = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    ticket = tickets[0]
    ticket["comments"].append({
        "id": "new-note", "author": {"id": "a9", "name": "Lee Park", "role": "agent"}, "public": False,
        "kind": "escalation", "body": "Escalating to @data-oncall: export stuff is broken again, pls check ASAP.",
    })
    changed = tmp_path / "changed.jsonl"
    changed.write_text("\n".join(json.dumps(t) for t in tickets) + "\n", encoding="utf-8")
    third = tmp_path / "third"
    code, output = audit(str(changed), "--out", str(third), "--baseline", str(baseline))
    assert code == 0, output
    reports = findings(third)
    new = [a for r in reports for a in r["annotations"]]  # type: ignore[attr-defined]
    assert new and all(a["comment_id"] == "new-note" for a in new)
    texts = [a["text"].lower() for a in new]
    assert "asap" in texts and any("broken" in t for t in texts)


def test_baseline_and_write_baseline_together_is_a_usage_error(tmp_path: Path) -> None:
    export = write_jsonl(tmp_path / "tickets.jsonl", 3, seed=1)
    baseline = tmp_path / "b.json"
    code, _ = audit(str(export), "--out", str(tmp_path / "a"), "--write-baseline", str(baseline))
    assert code == 0
    code, output = audit(str(export), "--out", str(tmp_path / "b"), "--baseline", str(baseline),
                         "--write-baseline", str(tmp_path / "c.json"))
    assert code == 2
    assert "not both" in output
