"""The helpdesk-side apps' JavaScript tests (Node's built-in runner), run from the one pytest command."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_zendesk_and_freshdesk_apps_pass_their_node_tests() -> None:
    result = subprocess.run(
        ["node", "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    passed = re.search(r"^# pass (\d+)", output, re.MULTILINE)
    failed = re.search(r"^# fail (\d+)", output, re.MULTILINE)
    assert passed and int(passed.group(1)) >= 20, output[-2000:]
    assert failed and int(failed.group(1)) == 0
