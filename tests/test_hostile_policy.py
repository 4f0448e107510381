"""Hostile policies: each is a located error and exit 2, in bounded time, never a traceback.

Policies are untrusted input (a pull request to the macros repository, a file saved over a
served policy). Each case here made ``holdthread policy validate`` or ``check`` crash, hang or
read files outside the policy's folder before the fix.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from core_helpers import holdthread

from holdthread.linter.errors import PolicyError
from holdthread.linter.policy import MAX_EXTENDS_DEPTH, TRUST_ENV, load_policy
from holdthread.linter.registry import default_registry
from holdthread.server.service import LintService
from holdthread.server.settings import ServerSettings

SECRET = "hunter2-do-not-print"


def _validate(path: Path, *flags: str) -> tuple[int, str]:
    run = holdthread(*flags, "policy", "validate", path)
    return run.exit_code, run.stderr + run.stdout


def _alias_bomb() -> str:
    """Nine levels of nine aliases: 357 bytes of YAML, 926 million values once expanded."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join([*lines, "owners: *i", ""])


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        pytest.param("fail_on: error\x00\n", ":1:15:", "control character", id="nul-byte"),
        pytest.param("limits:\n  max_note_chars: " + "9" * 5000 + "\n", ":2:19:", "thousands of digits", id="huge-int"),
        pytest.param(
            'vocabulary:\n  vague: ["\\ud800"]\n', ":2:11: vocabulary.vague[0]:", "surrogate", id="surrogate-vocabulary"
        ),
        pytest.param(
            'rules:\n  no-eta:\n    kind: existence\n    message: m\n    patterns: ["a\\ud800"]\n',
            ":5:16: rules.no-eta.patterns[0]:",
            "surrogate",
            id="surrogate-pattern",
        ),
        pytest.param(
            'rules:\n  no-eta:\n    kind: existence\n    message: m\n    phrases: ["a\\udfff"]\n',
            ":5:15: rules.no-eta.phrases[0]:",
            "surrogate",
            id="surrogate-phrase",
        ),
        pytest.param('"foo[1]": 1\n', ":1:1: foo[1]:", "unknown key 'foo[1]'", id="bracket-key"),
        pytest.param("? [a, b]\n: 1\n", ":1:1:", "a list as a key", id="complex-key"),
        pytest.param("base: &b\n  x: 1\nlimits:\n  <<: *b\n", ":4:3: limits.x:", "unknown key 'x'", id="merge-key"),
        pytest.param("owners: &o {a: *o}\n", ":1:9: owners.a:", "valid string", id="recursive-alias"),
        pytest.param(_alias_bomb(), ":9:1: i:", "over the limit of 100,000", id="alias-bomb"),
        pytest.param(
            "rules:\n  stale-macro:\n    macro_dir: /\n",
            ":3:16: rules.stale-macro.macro_dir:",
            "outside the policy's folder tree",
            id="macro-dir-root",
        ),
    ],
)
def test_a_hostile_policy_is_a_located_error_and_exit_2(tmp_path: Path, text: str, where: str, words: str) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(text, encoding="utf-8")
    code, output = _validate(policy)
    assert code == 2, output
    assert f"{policy}{where}" in output or where in output, output
    assert words in output
    assert "Traceback" not in output


def test_a_policy_that_passes_validate_never_crashes_check(tmp_path: Path) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text('extends: recommended\nvocabulary:\n  vague: ["\\ud800"]\n', encoding="utf-8")
    note = tmp_path / "note.md"
    note.write_text("Escalating to @billing-oncall: export fails with error 500.\n", encoding="utf-8")
    run = holdthread("check", "--policy", policy, note)
    assert run.exit_code == 2 and "surrogate" in run.stderr


def test_extends_cannot_leave_the_policy_folder_or_quote_what_it_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TRUST_ENV, "")  # --trust-policy sets it in this process: undone after the test
    secret = tmp_path / "secrets.yaml"
    secret.write_text(f"fail_on: {SECRET}\n", encoding="utf-8")
    team = tmp_path / "team"
    team.mkdir()
    policy = team / "holdthread.yaml"
    policy.write_text("extends: ../secrets.yaml\n", encoding="utf-8")
    code, output = _validate(policy)
    assert code == 2 and "outside the policy's folder tree" in output and "--trust-policy" in output
    # Trusted, the file is read, but an error in it never quotes its values.
    code, output = _validate(policy, "--trust-policy")
    assert code == 2 and "fail_on" in output
    assert SECRET not in output


def test_extends_of_a_process_environment_is_refused_without_reading_it(tmp_path: Path) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text("extends: /proc/self/environ\n", encoding="utf-8")
    code, output = _validate(policy)
    assert code == 2 and ":1:10: extends:" in output and "outside" in output


def test_extends_may_reach_anywhere_in_its_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "base.yaml").write_text("extends: recommended\nfail_on: warning\n", encoding="utf-8")
    team = tmp_path / "teams" / "billing"
    team.mkdir(parents=True)
    (team / "holdthread.yaml").write_text("extends: ../../base.yaml\n", encoding="utf-8")
    assert load_policy(team / "holdthread.yaml", default_registry()).fail_on == "warning"


def test_extends_chains_and_cycles_end_with_a_located_error(tmp_path: Path) -> None:
    for index in range(MAX_EXTENDS_DEPTH + 5):
        (tmp_path / f"p{index}.yaml").write_text(f"extends: p{index + 1}.yaml\n", encoding="utf-8")
    (tmp_path / f"p{MAX_EXTENDS_DEPTH + 5}.yaml").write_text("extends: p0.yaml\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path / "p0.yaml", default_registry())
    assert f"more than {MAX_EXTENDS_DEPTH} files deep" in str(caught.value)
    (tmp_path / "self.yaml").write_text("extends: ./self.yaml\n", encoding="utf-8")
    code, output = _validate(tmp_path / "self.yaml")
    assert code == 2 and "extends cycle" in output


def test_every_problem_of_a_policy_file_is_reported_in_one_run(tmp_path: Path) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(
        "fail_on: wrn\nbogus: 1\nrules:\n  missing-ownr: error\nscoring:\n  critical: [nope]\n", encoding="utf-8"
    )
    code, output = _validate(policy)
    assert code == 2
    for expected in (":1:10: fail_on:", ":2:1: bogus:", ":4:3: rules.missing-ownr:"):
        assert expected in output, output


def test_a_policy_file_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "holdthread.yaml"
    os.mkfifo(fifo)
    code, output = _validate(fifo)
    assert code == 2 and "not a regular file" in output


def test_saving_an_alias_bomb_over_a_served_policy_keeps_the_old_one(tmp_path: Path) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text("extends: recommended\n", encoding="utf-8")
    service = LintService(ServerSettings(policy=str(policy), watch_interval=0))
    service.start()
    digest = service.current.digest
    policy.write_text(_alias_bomb(), encoding="utf-8")
    assert asyncio.run(service.reload("test")) is False
    assert service.current.digest == digest
    service.stop()


def test_a_macro_file_of_nested_aliases_is_refused(tmp_path: Path) -> None:
    macro = tmp_path / "refund.yaml"
    macro.write_text(_alias_bomb().replace("owners: *i", "title: Refund\nbody: Hello\ntags: *i"), encoding="utf-8")
    run = holdthread("check", macro)
    assert run.exit_code == 2 and "over the limit" in run.stderr
