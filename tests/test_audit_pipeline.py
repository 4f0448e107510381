"""End to end: ``holdthread audit`` outputs, order, parallel equality, cache and the terminal."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from holdthread.audit.synthetic import tickets, write_jsonl
from holdthread.cli import cli
from holdthread.linter.engine import Linter, as_request
from holdthread.linter.models import Report
from holdthread.linter.qa import FINDING_COLUMNS, SCORE_COLUMNS


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["audit", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("export") / "tickets.jsonl", 300, seed=11)


@pytest.fixture(scope="module")
def audited(export: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("out")
    code, stdout, stderr = run(str(export), "--out", str(out), "--jobs", "1", "--no-cache")
    assert code == 0, stderr
    return out, stdout


def test_findings_match_the_linter_in_input_order(export: Path, audited: tuple[Path, str]) -> None:
    out, _ = audited
    lines = (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    expected = list(Linter().check_many([as_request(t) for t in tickets(300, seed=11)]))
    assert [Report.model_validate_json(line) for line in lines] == expected
    assert [json.loads(line)["ticket_id"] for line in lines] == [f"T-{n}" for n in range(1, 301)]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_scores_csv_has_a_row_per_ticket_and_author_with_fixed_columns(audited: tuple[Path, str]) -> None:
    out, _ = audited
    rows = read_csv(out / "scores.csv")
    findings = [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert list(rows[0]) == list(SCORE_COLUMNS)
    charged = {(r["ticket_id"], r["agent"]) for r in read_csv(out / "findings.csv") if r["agent"]}
    by_ticket: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_ticket.setdefault(row["ticket_id"], []).append(row)
    assert list(by_ticket) == [report["ticket_id"] for report in findings]  # input order, every ticket
    for report in findings:
        ticket_rows = by_ticket[report["ticket_id"]]
        assert len({row["agent"] for row in ticket_rows}) == len(ticket_rows)  # one row per author
        for row in ticket_rows:
            assert row["category"] == "Handoff quality"
            assert row["result"] == ("pass" if int(row["score"]) >= 80 else "fail")
            assert (int(row["score"]) < 100) == ((row["ticket_id"], row["agent"]) in charged)
        # Authors are charged only their own findings, so no one scores below the whole ticket.
        assert min(int(row["score"]) for row in ticket_rows) >= report["score"]


def test_findings_csv_has_a_row_per_finding_in_long_format(audited: tuple[Path, str]) -> None:
    out, _ = audited
    rows = read_csv(out / "findings.csv")
    assert list(rows[0]) == list(FINDING_COLUMNS)
    findings = [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    expected = [
        (report["ticket_id"], a["comment_id"] or "", a["rule"], a["severity"], a["message"])
        for report in findings for a in report["annotations"]
    ]
    assert [(r["ticket_id"], r["comment_id"], r["rule"], r["severity"], r["message"]) for r in rows] == expected
    exported = {t["id"]: t for t in tickets(300, seed=11)}
    for row in rows:
        comments = {c["id"]: c for c in exported[row["ticket_id"]]["comments"]}
        if row["comment_id"]:  # charged to the comment's author; ticket-level findings to no one
            assert row["agent"] == comments[row["comment_id"]]["author"]["name"]
        else:
            assert row["agent"] == "" and row["rule"] in {"owner-bounce", "customer-repeated"}


def test_summary_aggregates_agree_with_the_findings(audited: tuple[Path, str]) -> None:
    out, stdout = audited
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    findings = [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = read_csv(out / "scores.csv")
    assert summary["counts"] == {"read": 300, "linted": 300, "rejected": 0}
    assert sum(summary["score"]["histogram"].values()) == 300
    assert summary["verdicts"]["block"] == sum(1 for f in findings if f["verdict"] == "block")
    for rule_id, counts in summary["rules"].items():
        assert counts["findings"] == sum(1 for f in findings for a in f["annotations"] if a["rule"] == rule_id)
    for team, data in summary["teams"].items():
        scores = [int(r["score"]) for r in rows if r["team"] == team]
        assert data["tickets"] == len(scores)
        assert data["mean_score"] == round(sum(scores) / len(scores), 1)
    assert sum(week["tickets"] for week in summary["weekly"].values()) == 300
    assert all(week.startswith("2026-W") for week in summary["weekly"])
    assert stdout.rstrip().splitlines()[-1] == "300 read, 300 linted, 0 rejected"
    assert "missing-owner" in stdout


def test_parallel_output_is_identical_to_serial(export: Path, audited: tuple[Path, str], tmp_path: Path) -> None:
    serial, _ = audited
    code, _, stderr = run(str(export), "--out", str(tmp_path), "--jobs", "2", "--no-cache")
    assert code == 0, stderr
    for name in ("findings.jsonl", "scores.csv", "findings.csv", "rejected.jsonl"):
        assert (tmp_path / name).read_bytes() == (serial / name).read_bytes(), name
    assert stderr == ""  # no progress bar when not on a terminal


def test_cache_hits_on_rerun_and_misses_after_a_policy_change(export: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, second, third = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert run(str(export), "--out", str(first), "--jobs", "1", "--cache-dir", str(cache))[0] == 0
    assert run(str(export), "--out", str(second), "--jobs", "1", "--cache-dir", str(cache))[0] == 0
    summary = json.loads((second / "summary.json").read_text(encoding="utf-8"))
    assert summary["cache"] == {"hits": 300, "misses": 0}
    assert (second / "findings.jsonl").read_bytes() == (first / "findings.jsonl").read_bytes()
    policy = tmp_path / "holdthread.yaml"
    policy.write_text("extends: recommended\nrules:\n  vague-language: off\n", encoding="utf-8")
    assert (
        run(str(export), "--out", str(third), "--jobs", "1", "--cache-dir", str(cache), "--policy", str(policy))[0] == 0
    )
    changed = json.loads((third / "summary.json").read_text(encoding="utf-8"))
    assert changed["cache"] == {"hits": 0, "misses": 300}
    assert "vague-language" not in changed["rules"]


def test_cache_lives_under_xdg_cache_home(export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert run(str(export), "--out", str(tmp_path / "out"), "--jobs", "1")[0] == 0
    assert (tmp_path / "xdg" / "holdthread" / "audit-cache.sqlite3").is_file()


def test_unknown_source_is_a_usage_error(export: Path, tmp_path: Path) -> None:
    code, _, stderr = run(str(export), "--out", str(tmp_path), "--source", "zendesk-typo")
    assert code == 2
    assert "unknown source 'zendesk-typo'" in stderr and "generic" in stderr
