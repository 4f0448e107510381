"""`.pre-commit-hooks.yaml` run by the real pre-commit tool on a repository of runbooks and macros.

pre-commit would install the hooks' `language: python` environment from this repository with
pip (minutes, and a network); the test copies each hook of the manifest unchanged into a
`repo: local` configuration with `language: system` instead, so the `holdthread` installed here
runs. Everything else is pre-commit's own: which files each hook gets (`files`, `exclude`,
`types`), `args`, `verbose`, and Passed / Failed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from core_helpers import REPO
from ruamel.yaml import YAML

pytest.importorskip("pre_commit")
if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)

POLICY = """\
extends: recommended
kinds:                    # what each folder holds; anything else is an escalation note
  "runbooks/**": note
  "macros/**": reply
"""
RUNBOOK = """\
# Export outage runbook

1. Check the status page and the export queue length.
2. If the queue is over 10,000 jobs, page the on-call engineer.
3. Post the incident link in #support-updates.
"""


def _manifest_as_local_hooks(ids: list[str], overrides: dict[str, dict[str, Any]]) -> dict[str, Any]:
    hooks = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    chosen = []
    for hook in hooks:
        if hook["id"] in ids:
            chosen.append({**hook, "language": "system", **overrides.get(hook["id"], {})})
    return {"repos": [{"repo": "local", "hooks": chosen}]}


def pre_commit(repo: Path, config: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    config_path = repo / ".pre-commit-config.yaml"
    with config_path.open("w", encoding="utf-8") as stream:
        YAML().dump(config, stream)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "support-docs"
    (root / "runbooks").mkdir(parents=True)
    (root / "macros").mkdir()
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "config", "user.email", "qa@example.com"], cwd=root, check=True)
    subprocess.run(["git", "config", "user.name", "QA"], cwd=root, check=True)
    (root / "holdthread.yaml").write_text(POLICY, encoding="utf-8")
    (root / "runbooks" / "export-outage.md").write_text(RUNBOOK, encoding="utf-8")
    reviewed = (datetime.now(UTC) - timedelta(days=1404)).date().isoformat()
    (root / "macros" / "refund.yaml").write_text(
        f"title: Refund issued\nupdated: {reviewed}\nbody: |\n  Hi, your refund for order 88412 was issued today;"
        " it reaches your card within 5 business days.\n",
        encoding="utf-8",
    )
    return root


def _hook_result(output: str, name: str) -> str:
    """``Passed`` or ``Failed``: pre-commit's verdict on the line of the hook named ``name``."""
    [line] = [line for line in output.splitlines() if line.startswith(name + ".")]
    return line.rstrip().rsplit(".", 1)[-1]


def test_the_hooks_on_a_repository_of_runbooks_and_macros(repo: Path) -> None:
    config = _manifest_as_local_hooks(
        ["holdthread", "holdthread-macros", "holdthread-policy"], {"holdthread": {"files": "^(macros|runbooks)/"}}
    )
    run = pre_commit(repo, config)
    output = run.stdout
    assert run.returncode == 1, output
    # Runbooks are notes, as the policy's kinds say: not escalations with no owner.
    assert _hook_result(output, "holdthread (handoff-quality lint)") == "Passed", output
    assert "missing-owner" not in output
    # A macro 1,404 days past review fails the macros hook, which says why.
    assert _hook_result(output, "holdthread macros (stale macros, personal data)") == "Failed", output
    assert "macros/refund.yaml" in output and "warning[stale-macro]" in output and "(1404 days ago)" in output
    assert _hook_result(output, "holdthread policy validate") == "Passed", output


def test_without_kinds_a_runbook_is_an_escalation(repo: Path) -> None:
    (repo / "holdthread.yaml").write_text("extends: recommended\n", encoding="utf-8")
    run = pre_commit(repo, _manifest_as_local_hooks(["holdthread"], {"holdthread": {"files": "^(macros|runbooks)/"}}))
    assert run.returncode == 1
    assert "runbooks/export-outage.md:1:1: error[missing-owner]" in run.stdout


def test_the_macros_hook_failure_level_is_an_argument_and_warnings_still_show(repo: Path) -> None:
    (repo / "holdthread.yaml").write_text(POLICY + '  "notes/**": memo\n', encoding="utf-8")
    config = _manifest_as_local_hooks(
        ["holdthread-macros", "holdthread-policy"], {"holdthread-macros": {"args": ["--fail-on", "error"]}}
    )
    run = pre_commit(repo, config)
    output = run.stdout
    # The misspelt kind fails the policy hook, which says where.
    assert _hook_result(output, "holdthread policy validate") == "Failed", output
    assert "kinds.notes/**" in output
    # With the policy broken, the macros hook cannot read it either, and says so.
    assert _hook_result(output, "holdthread macros (stale macros, personal data)") == "Failed", output
    (repo / "holdthread.yaml").write_text(POLICY, encoding="utf-8")
    run = pre_commit(repo, config)
    assert run.returncode == 0, run.stdout
    assert _hook_result(run.stdout, "holdthread macros (stale macros, personal data)") == "Passed"
    assert "warning[stale-macro]" in run.stdout  # shown, not a silent "Passed"
