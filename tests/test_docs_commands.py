"""Every shell command in README.md and docs/*.md runs as written, so the docs cannot drift.

Which blocks run (README "Docs that run" says the same for writers):

- fenced blocks whose info string starts with ``bash``, ``sh``, ``shell`` or ``console``; in a
  ``console`` block the commands are the lines starting with ``$ `` and the other lines are what
  they print (``...`` stands for lines left out): each shown line must appear in the real output;
- a block whose info string also holds the word ``norun`` (```` ```sh norun ````) is shown, not
  run: an install, a service that never returns, a path on the reader's own server.

The commands of one document run in order, in one temporary folder holding a copy of
``examples/`` (so ``holdthread check examples/escalation-vague.md`` works as it does from a
checkout), and each must exit 0 or 1: 1 is "findings", which the examples are there to show;
2 and above mean the command is wrong. ``holdthread`` commands (with an optional
``cat FILE |`` in front) run in this process, which keeps the whole file to seconds; anything
else runs in ``bash``.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from core_helpers import EXAMPLES, REPO
from markdown_it import MarkdownIt

from holdthread.cli import cli
from holdthread.linter.registry import default_registry

RUNNABLE = frozenset({"bash", "sh", "shell", "console"})
NOT_RUN = "norun"
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
OPERATORS = frozenset({"|", "||", "&", "&&", ";", ">", ">>", "<", "(", ")"})


@dataclass
class Command:
    """One command of a document, where it is written, and the lines a console block shows it printing."""

    where: str
    text: str
    shown: list[str] = field(default_factory=list)


def _bash_commands(content: str) -> Iterator[str]:
    """Commands of a bash block: one a line, a trailing backslash continues it; comments dropped."""
    pending = ""
    for line in content.splitlines():
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        command = (pending + line).strip()
        pending = ""
        if command and not command.startswith("#"):
            yield command


def _console_commands(content: str, where: str) -> Iterator[Command]:
    current: Command | None = None
    for line in content.splitlines():
        if line.startswith("$ "):
            if current is not None:
                yield current
            current = Command(where, line[2:].strip())
        elif current is not None and line.strip() and line.strip() not in ("...", "…"):
            current.shown.append(line.rstrip())
    if current is not None:
        yield current


def commands(document: Path) -> list[Command]:
    """The commands of a document's runnable blocks, in order."""
    found: list[Command] = []
    for token in MarkdownIt("commonmark").parse(document.read_text(encoding="utf-8")):
        words = token.info.split()
        if token.type != "fence" or not words or words[0] not in RUNNABLE or NOT_RUN in words[1:]:
            continue
        where = f"{document.relative_to(REPO)}:{(token.map or [0])[0] + 1}"
        if words[0] == "console":
            found.extend(_console_commands(token.content, where))
        else:
            found.extend(Command(where, text) for text in _bash_commands(token.content))
    return found


def _expand(word: str) -> list[str]:
    """A shell word with its glob expanded as bash would (left as written when nothing matches)."""
    if not any(char in word for char in "*?["):
        return [word]
    return sorted(glob.glob(word)) or [word]


def _in_process(text: str) -> tuple[list[str], bytes | None] | None:
    """``(argv, stdin)`` when the command is ``[cat FILE |] holdthread ARGS``; else ``None``."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    words = list(lexer)
    stdin = None
    if words[:1] == ["cat"] and len(words) > 3 and words[2] == "|":
        stdin = Path(words[1]).read_bytes()
        words = words[3:]
    if words[:1] != ["holdthread"] or OPERATORS & set(words):
        return None
    return [arg for word in words[1:] for arg in _expand(word)], stdin


def run(command: Command) -> tuple[int, str]:
    """Run one command in the current folder; its exit code and everything it printed."""
    parsed = _in_process(command.text)
    if parsed is not None:
        argv, stdin = parsed
        result = CliRunner().invoke(cli, argv, input=stdin, catch_exceptions=False)
        return result.exit_code, result.stdout + result.stderr
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command.text], capture_output=True, text=True, env=env, timeout=300
    )
    return done.returncode, done.stdout + done.stderr


def test_the_markers_are_read_as_documented() -> None:
    sample = REPO / "docs" / "cli.md"
    listed = commands(sample)
    assert listed and all(c.where.startswith("docs/cli.md:") for c in listed)
    assert not any(c.text.startswith(("pip ", "holdthread serve")) for d in DOCUMENTS for c in commands(d))


@pytest.mark.parametrize("document", DOCUMENTS, ids=[str(d.relative_to(REPO)) for d in DOCUMENTS])
def test_every_command_in_the_docs_runs(document: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listed = commands(document)
    if not listed:
        pytest.skip(f"{document.name} has no runnable commands")
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".cache"))
    for command in listed:
        code, output = run(command)
        assert code in (0, 1), f"{command.where}: `{command.text}` exited {code}:\n{output}"
        printed = {line.rstrip() for line in output.splitlines()}
        for line in command.shown:
            assert line in printed, f"{command.where}: `{command.text}` did not print:\n{line}\nIt printed:\n{output}"


def test_rule_ids_in_documented_payloads_exist() -> None:
    """A JSON example naming a rule (`"rule": "missing-owner"`) names one that holdthread has."""
    known = set(default_registry().rules)
    pages = [*DOCUMENTS, REPO / "integrations" / "README.md"]
    named = {
        (page.name, rule)
        for page in pages
        for rule in re.findall(r'"rule":\s*"([^"]+)"', page.read_text(encoding="utf-8"))
    }
    assert named, "the docs show findings"
    assert {(page, rule) for page, rule in named if rule not in known} == set()
