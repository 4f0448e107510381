"""The audit cache is keyed by what decides a result: the installed rule code and word lists too."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

import holdthread
from holdthread.audit.code import fingerprint

NOTE = "customer says the export spins forever, pls check"


def test_fingerprint_covers_code_and_data_files_and_nothing_else(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "rules" / "vague_language").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    words = package / "rules" / "vague_language" / "words.yaml"
    words.write_text("phrases: [doesn't work]\n", encoding="utf-8")
    first = fingerprint(package)
    assert fingerprint(package) == first
    (package / "rules" / "__pycache__").mkdir()
    (package / "rules" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (package / "NOTES.txt").write_text("not read by any rule", encoding="utf-8")
    assert fingerprint(package) == first
    words.write_text("phrases: [doesn't work, spins forever]\n", encoding="utf-8")
    second = fingerprint(package)
    assert second != first
    (package / "rules" / "new_rule.py").write_text("ID = 'x'\n", encoding="utf-8")
    assert fingerprint(package) not in {first, second}


def _lists(node: Any) -> Iterator[list[Any]]:
    if isinstance(node, list):
        yield node
        for item in node:
            yield from _lists(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _lists(value)


def add_vague_phrase(package: Path, phrase: str) -> Path:
    """Add ``phrase`` to vague-language's list that holds "doesn't work", wherever the rule keeps it."""
    yaml = YAML()
    for path in sorted(p for p in (package / "rules").rglob("*.yaml") if "vague" in p.as_posix()):
        data = yaml.load(path.read_text(encoding="utf-8"))
        for found in _lists(data):
            if "doesn't work" in found:
                found.append(phrase)
                with path.open("w", encoding="utf-8") as stream:
                    yaml.dump(data, stream)
                return path
    raise AssertionError('no word list holds "doesn\'t work"')


def test_the_audit_cache_misses_after_a_word_list_changes(tmp_path: Path) -> None:
    # A copy of the installed package, imported first: editing its word list is what an upgrade
    # from a checkout, or a local change to a rule, does to the installed code.
    installed = tmp_path / "site"
    shutil.copytree(
        Path(holdthread.__file__).parent, installed / "holdthread", ignore=shutil.ignore_patterns("__pycache__")
    )
    export = tmp_path / "tickets.jsonl"
    tickets = [
        {
            "id": f"T-{n}",
            "type": "incident",
            "comments": [
                {
                    "id": "1",
                    "author": {"name": "Alex", "role": "agent"},
                    "public": False,
                    "kind": "escalation",
                    "body": NOTE,
                }
            ],
        }
        for n in range(5)
    ]
    export.write_text("".join(json.dumps(t) + "\n" for t in tickets), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(installed)}

    def audit(name: str) -> dict[str, Any]:
        out = tmp_path / name
        command = ["audit", str(export), "--out", str(out), "--jobs", "1", "--cache-dir", str(tmp_path / "cache")]
        done = subprocess.run(
            [sys.executable, "-m", "holdthread", *command],
            capture_output=True, text=True, env=env, cwd=tmp_path, check=False, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        summary: dict[str, Any] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        return summary

    before = audit("first")
    assert before["cache"] == {"hits": 0, "misses": 5}
    assert audit("again")["cache"] == {"hits": 5, "misses": 0}
    add_vague_phrase(installed / "holdthread", "spins forever")
    after = audit("changed")
    assert after["cache"] == {"hits": 0, "misses": 5}
    # And the fresh results use the new word: the old cache would have hidden this finding.
    assert after["rules"]["vague-language"]["findings"] > before["rules"]["vague-language"]["findings"]
