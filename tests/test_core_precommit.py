"""`.pre-commit-hooks.yaml`: valid for pre-commit's manifest schema, and its commands run."""

from __future__ import annotations

import re
import shlex
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from core_helpers import EXAMPLES, REPO, holdthread
from ruamel.yaml import YAML

from holdthread.cli import main

#: pre-commit's manifest hook keys (pre_commit/clientlib.py, MANIFEST_HOOK_DICT).
REQUIRED = {"id", "name", "entry", "language"}
OPTIONAL = {
    "alias", "files", "exclude", "types", "types_or", "exclude_types", "additional_dependencies", "args",
    "always_run", "fail_fast", "pass_filenames", "description", "language_version", "log_file",
    "minimum_pre_commit_version", "require_serial", "stages", "verbose",
}
BOOLEANS = {"always_run", "fail_fast", "pass_filenames", "require_serial", "verbose"}
LISTS = {"types", "types_or", "exclude_types", "additional_dependencies", "args", "stages"}


@pytest.fixture(scope="module")
def hooks() -> list[dict[str, Any]]:
    data = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, list) and data
    return data


def test_manifest_follows_the_pre_commit_schema(hooks: list[dict[str, Any]]) -> None:
    ids = [hook["id"] for hook in hooks]
    assert len(ids) == len(set(ids))
    for hook in hooks:
        assert set(hook) >= REQUIRED, hook
        assert set(hook) <= REQUIRED | OPTIONAL, set(hook) - REQUIRED - OPTIONAL
        assert all(isinstance(hook[key], str) and hook[key] for key in REQUIRED)
        for key in BOOLEANS & set(hook):
            assert isinstance(hook[key], bool), key
        for key in LISTS & set(hook):
            assert isinstance(hook[key], list) and all(isinstance(v, str) for v in hook[key]), key
        for key in {"files", "exclude"} & set(hook):
            re.compile(hook[key])


def test_the_main_hook(hooks: list[dict[str, Any]]) -> None:
    hook = next(h for h in hooks if h["id"] == "holdthread")
    assert hook["entry"] == "holdthread check"
    assert hook["language"] == "python"
    assert hook["types_or"] == ["text", "markdown", "json", "yaml"]
    assert hook["pass_filenames"] is True


def test_entries_are_installed_console_scripts(hooks: list[dict[str, Any]]) -> None:
    scripts = {ep.name: ep for ep in entry_points(group="console_scripts")}
    for hook in hooks:
        command = shlex.split(hook["entry"])[0]
        assert command in scripts, f"{command} is not a console script"
        assert scripts[command].load() is main


def test_policy_hook_matches_policy_files(hooks: list[dict[str, Any]]) -> None:
    pattern = re.compile(next(h for h in hooks if h["id"] == "holdthread-policy")["files"])
    assert pattern.search("holdthread.yaml") and pattern.search("support/.holdthread.yml")
    assert not pattern.search("examples/not-holdthread.yaml.bak")


@pytest.mark.parametrize(
    ("hook_id", "files", "expected"),
    [
        ("holdthread", ["escalation-good.md"], 0),
        ("holdthread", ["escalation-good.md", "escalation-vague.md"], 1),
        ("holdthread-strict", ["ticket.json"], 1),
        ("holdthread", ["ticket.json"], 0),
        ("holdthread-policy", ["holdthread.yaml", "holdthread.yaml"], 0),
    ],
)
def test_hooks_run_as_pre_commit_would(hooks: list[dict[str, Any]], hook_id: str, files: list[str],
                                       expected: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pre-commit runs ``entry`` + ``args`` + the staged file names; we do the same in-process."""
    monkeypatch.chdir(tmp_path)
    hook = next(h for h in hooks if h["id"] == hook_id)
    argv = [*shlex.split(hook["entry"])[1:], *hook.get("args", []), *(str(EXAMPLES / f) for f in files)]
    assert holdthread(*argv).exit_code == expected
