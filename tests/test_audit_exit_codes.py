"""`holdthread audit` exit codes: a missing path and an audit that linted nothing are errors; the gates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from core_helpers import EXAMPLES

from holdthread.audit.command import exit_code
from holdthread.cli import cli


def audit(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["audit", "--jobs", "1", "--no-cache", *map(str, args)], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = audit(tmp_path / "exprots", "--out", tmp_path / "out")
    assert code == 2
    assert "does not exist" in stderr
    assert not (tmp_path / "out").exists()


def test_an_audit_whose_records_were_all_rejected_is_an_error(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    export.write_text('{"id": "T-1", "comments": "not a list"}\n{"id": "T-2", "comments": [{}]}\n', encoding="utf-8")
    code, stdout, stderr = audit(export, "--out", tmp_path / "out")
    assert code == 2
    assert stdout.splitlines()[-1] == "2 read, 0 linted, 2 rejected"
    assert "nothing was linted: all 2 record(s) read were rejected" in stderr


def test_an_audit_of_a_folder_without_records_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    code, _, stderr = audit(tmp_path / "exports", "--out", tmp_path / "out")
    assert code == 2
    assert "nothing was linted: the paths hold no records" in stderr


def test_fail_under_compares_the_mean_score(tmp_path: Path) -> None:
    code, _, _ = audit(EXAMPLES / "tickets.jsonl", "--out", tmp_path / "a")
    assert code == 0
    mean = json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))["score"]["mean"]
    assert 0 < mean < 100
    assert audit(EXAMPLES / "tickets.jsonl", "--out", tmp_path / "b", "--fail-under", str(mean))[0] == 0
    code, _, stderr = audit(EXAMPLES / "tickets.jsonl", "--out", tmp_path / "c", "--fail-under", str(mean + 1))
    assert code == 1
    assert f"the mean score {mean} is below --fail-under {mean + 1:g}" in stderr
    assert audit(EXAMPLES / "tickets.jsonl", "--out", tmp_path / "d", "--fail-under", "101")[0] == 2


def test_max_rejected_fails_above_the_limit(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    good = (EXAMPLES / "tickets.jsonl").read_text(encoding="utf-8")
    export.write_text(good + "{not json}\n", encoding="utf-8")
    assert audit(export, "--out", tmp_path / "a")[0] == 0  # rejections alone do not fail an audit
    assert audit(export, "--out", tmp_path / "b", "--max-rejected", "1")[0] == 0
    code, _, stderr = audit(export, "--out", tmp_path / "c", "--max-rejected", "0")
    assert code == 1
    assert "1 record(s) were rejected, more than --max-rejected 0" in stderr


@pytest.mark.parametrize(
    ("counts", "mean", "fail_under", "max_rejected", "expected"),
    [
        ({"read": 5, "linted": 5, "rejected": 0}, 90.0, None, None, 0),
        ({"read": 5, "linted": 0, "rejected": 5}, None, 50, 10, 2),
        ({"read": 5, "linted": 4, "rejected": 1}, 79.9, 80, None, 1),
        ({"read": 5, "linted": 4, "rejected": 1}, 80.0, 80, 0, 1),
        ({"read": 5, "linted": 4, "rejected": 1}, 80.0, 80, 1, 0),
    ],
)
def test_exit_code_table(
    counts: dict[str, int], mean: float | None, fail_under: float | None, max_rejected: int | None, expected: int
) -> None:
    assert exit_code({"counts": counts, "score": {"mean": mean}}, fail_under, max_rejected)[0] == expected
