"""`audit --jobs N` worker processes stop with their parent: after SIGTERM, and after kill -9.

Runs the real command in a subprocess, waits until its workers are linting, signals the parent
and watches the whole process tree with psutil. The timeouts only bound a failure: a healthy
run ends its workers at once.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from holdthread.audit.synthetic import write_jsonl

#: Long enough for the audit to still be running when it is signalled.
TICKETS = 6000


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("export") / "tickets.jsonl", TICKETS, seed=5)


def _workers_busy(audit: subprocess.Popen[bytes], out: Path) -> list[psutil.Process]:
    """The audit's whole process tree once two workers exist and findings are being written."""
    parent = psutil.Process(audit.pid)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if audit.poll() is not None:
            raise AssertionError(f"the audit ended early: {audit.communicate()}")
        tree = parent.children(recursive=True)
        findings = out / "findings.jsonl"
        # Workers are forked by the fork server, a child of the audit: they are its grandchildren.
        workers = [p for p in tree if p.ppid() != parent.pid]
        if len(workers) >= 2 and findings.exists() and findings.stat().st_size > 0:
            return tree
        time.sleep(0.2)
    raise AssertionError("the workers never started")


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "kill -9"])
def test_workers_stop_with_the_audit(how: signal.Signals, export: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "holdthread", "audit", str(export), "--out", str(out), "--jobs", "2", "--no-cache"]
    audit = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        parent = psutil.Process(audit.pid)
        tree = _workers_busy(audit, out)
        assert len(tree) >= 3  # two workers, the fork server (and the resource tracker)
        parent.send_signal(how)
        audit.wait(timeout=60)
        _, alive = psutil.wait_procs(tree, timeout=15)
        assert not alive, [(p.pid, _cmdline(p)) for p in alive]
    finally:
        if audit.poll() is None:
            audit.kill()
    if how == signal.SIGTERM:
        assert audit.returncode == 128 + signal.SIGTERM
        assert b"--resume" in audit.stderr.read()  # type: ignore[union-attr]
