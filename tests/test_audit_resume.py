"""Nothing lost: an audit killed with SIGKILL and resumed writes exactly what an uninterrupted run does."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from holdthread.audit.state import state_path
from holdthread.audit.synthetic import write_jsonl
from holdthread.cli import cli

OUTPUTS = ("findings.jsonl", "scores.csv", "findings.csv", "rejected.jsonl")


def _audit(*args: str) -> list[str]:
    return [sys.executable, "-m", "holdthread", "audit", *args]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_resume_after_sigkill_matches_an_uninterrupted_run(tmp_path: Path) -> None:
    export = write_jsonl(tmp_path / "tickets.jsonl", 4000, seed=5)
    # A few invalid lines, so rejected.jsonl is resumed too.
    with export.open("a", encoding="utf-8") as stream:
        stream.write('{"id": "T-cut", "comments": [\n')
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    process = subprocess.Popen(
        _audit(str(export), "--out", str(killed), "--jobs", "2", "--no-cache"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and process.poll() is None:
        try:
            state = json.loads(state_path(killed).read_text(encoding="utf-8"))
            done = state["records_done"]
        except (FileNotFoundError, ValueError):
            done = 0
        if done >= 600:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the audit finished before it could be killed; make the input larger"
    os.killpg(process.pid, signal.SIGKILL)  # the audit and its worker processes
    process.wait()
    assert not json.loads(state_path(killed).read_text(encoding="utf-8"))["complete"]
    assert len((killed / "findings.jsonl").read_bytes().splitlines()) < 4000

    resumed = CliRunner().invoke(
        cli, ["audit", str(export), "--out", str(killed), "--jobs", "2", "--no-cache", "--resume"]
    )
    assert resumed.exit_code == 0, resumed.stderr
    assert "Resumed after" in resumed.stdout
    uninterrupted = CliRunner().invoke(cli, ["audit", str(export), "--out", str(whole), "--jobs", "1", "--no-cache"])
    assert uninterrupted.exit_code == 0, uninterrupted.stdout + uninterrupted.stderr
    for name in OUTPUTS:
        assert (killed / name).read_bytes() == (whole / name).read_bytes(), name
    assert resumed.stdout.splitlines()[-1] == "4001 read, 4000 linted, 1 rejected"
    resumed_summary = json.loads((killed / "summary.json").read_text(encoding="utf-8"))
    whole_summary = json.loads((whole / "summary.json").read_text(encoding="utf-8"))
    for key in ("counts", "verdicts", "score", "rules", "teams", "agents", "weekly"):
        assert resumed_summary[key] == whole_summary[key], key


def test_resume_refuses_a_changed_input(tmp_path: Path) -> None:
    export = write_jsonl(tmp_path / "tickets.jsonl", 20, seed=5)
    out = tmp_path / "out"
    assert (
        CliRunner().invoke(cli, ["audit", str(export), "--out", str(out), "--jobs", "1", "--no-cache"]).exit_code == 0
    )
    write_jsonl(export, 25, seed=6)
    result = CliRunner().invoke(cli, ["audit", str(export), "--out", str(out), "--jobs", "1", "--no-cache", "--resume"])
    assert result.exit_code == 2
    assert "cannot resume" in result.stderr and "without --resume" in result.stderr
