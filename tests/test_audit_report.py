"""report.html: charts render in headless Chromium, offline, without script errors; text is escaped."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from holdthread.audit.pipeline import AuditOptions, run_audit
from holdthread.audit.synthetic import tickets

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=3000",
)
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    items = list(tickets(120, seed=21))
    # Customer text and names are untrusted: they must show as text, never run.
    items[0]["group"] = HOSTILE
    items[0]["comments"][2] = dict(
        items[0]["comments"][2],
        kind="escalation",
        public=False,
        author={"role": "agent", "name": HOSTILE},
        body="customer says export doesn't work <svg/onload=alert(2)>, pls check asap",
    )
    export = folder / "tickets.jsonl"
    export.write_text("".join(json.dumps(t) + "\n" for t in items), encoding="utf-8")
    # missing-owner zeroes the score, so the hostile ticket (first in the file) leads the worst list
    policy = folder / "holdthread.yaml"
    policy.write_text("extends: recommended\nscoring:\n  critical: [missing-owner]\n", encoding="utf-8")
    run_audit(AuditOptions(paths=[export], out=folder / "out", jobs=1, cache=False, policy=policy))
    return folder / "out" / "report.html"


def test_customer_text_is_escaped(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    assert "<svg/onload" not in page and "&lt;svg/onload=alert(2)&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<mark" in page  # the worst tickets' spans are highlighted
    assert not re.search(r"""(?:src|href)=["']?https?:""", page)  # nothing fetched from a CDN


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_charts_render_in_headless_chromium_without_errors(report: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", report.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    status = re.search(r'<p id="status"[^>]*>', result.stdout)
    assert status is not None, "the page's script did not run"
    attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', status.group(0)))
    assert int(attributes["data-charts"]) >= 4
    assert attributes["data-charts-rendered"] == attributes["data-charts"]
    assert attributes["data-errors"] == "0"
    console_errors = [
        line
        for line in result.stderr.splitlines()
        if "Uncaught" in line or ("CONSOLE" in line and "error" in line.lower())
    ]
    assert console_errors == []
