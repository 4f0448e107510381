"""YAML policies: extends, rule entries, settings, scoring, located errors, discovery, commands."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from core_helpers import holdthread

from holdthread import Linter
from holdthread.linter.errors import PolicyError
from holdthread.linter.policy import (
    Policy,
    PolicyDocument,
    PolicyLoader,
    dump_policy,
    find_policy_file,
    load_policy,
)
from holdthread.linter.registry import default_registry

VAGUE_NOTE = "Customer says the export doesn't work for some users. Owner: @data-platform-oncall."


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load(path: Path) -> Policy:
    return load_policy(path, default_registry())


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load(path)
    return [str(p) for p in caught.value.problems]


# --- extends -----------------------------------------------------------------------------------


def test_strict_preset_extends_recommended() -> None:
    strict = load_policy("strict", default_registry())
    assert strict.sources == ["<preset recommended>", "<preset strict>"]
    assert strict.fail_on == "warning"
    assert strict.rules["missing-repro-steps"].severity == "error"
    assert strict.rules["vague-language"].severity == "warning"
    assert strict.scoring.critical == ["missing-owner"]
    recommended = load_policy("recommended", default_registry())
    assert recommended.rules["missing-repro-steps"].severity == "warning"
    assert recommended.fail_on == "error"


def test_extends_a_relative_file_resolved_from_the_extending_file(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()  # one repository: a team policy may extend the organisation's base
    write(tmp_path / "org" / "base.yaml", """
        extends: recommended
        owners:
          payments: "@payments-oncall"
        rules:
          vague-language: info
    """)
    child = write(tmp_path / "org" / "teams" / "billing.yaml", """
        extends: ../base.yaml
        owners:
          billing: "@billing-oncall"
        rules:
          missing-repro-steps: off
    """)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the relative path is the file's, not the working directory's
    policy = load(child)
    assert policy.sources[0] == "<preset recommended>"
    assert policy.sources[1] == str((tmp_path / "org" / "base.yaml").resolve())
    assert policy.sources[-1] == str(child)
    # Mappings merge down the chain; a child adds to its parent's owner directory.
    assert policy.settings.owners == {"payments": "@payments-oncall", "billing": "@billing-oncall"}
    assert policy.rules["vague-language"].severity == "info"
    assert "missing-repro-steps" not in policy.active()
    assert policy.rules["missing-owner"].severity == "error"


def test_extends_chain_of_three_files_and_a_list(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "extends: strict\nfail_on: info\n")
    write(tmp_path / "b.yaml", "extends: ./a.yaml\nrules:\n  vague-language: error\n")
    write(tmp_path / "extra.yaml", "rules:\n  repeated-ask: info\n")
    top = write(tmp_path / "c.yaml", "extends: [b.yaml, extra.yaml]\nfail_on: warning\n")
    policy = load(top)
    names = [Path(s).name if not s.startswith("<") else s for s in policy.sources]
    assert names == ["<preset recommended>", "<preset strict>", "a.yaml", "b.yaml", "extra.yaml", "c.yaml"]
    assert policy.fail_on == "warning"  # the extending file wins
    assert policy.rules["vague-language"].severity == "error"
    assert policy.rules["repeated-ask"].severity == "info"
    assert policy.rules["missing-repro-steps"].severity == "error"  # from strict


def test_extends_cycle_is_reported_at_the_extends_that_closes_it(tmp_path: Path) -> None:
    first = write(tmp_path / "first.yaml", "extends: second.yaml\n")
    write(tmp_path / "second.yaml", "# loops back\nextends: ./first.yaml\n")
    [problem] = problems_of(first)
    assert problem.startswith(f"{(tmp_path / 'second.yaml').resolve()}:2:10: extends: extends cycle:")
    assert "first.yaml -> " in problem and problem.count("first.yaml") == 2


def test_a_file_extending_itself_is_a_cycle(tmp_path: Path) -> None:
    policy = write(tmp_path / "self.yaml", "extends: self.yaml\n")
    [problem] = problems_of(policy)
    assert f"{policy}:1:10:" in problem
    assert "extends cycle" in problem


def test_extends_missing_file_and_unknown_preset(tmp_path: Path) -> None:
    missing = write(tmp_path / "p.yaml", "fail_on: error\nextends: shared/team.yaml\n")
    [problem] = problems_of(missing)
    assert problem.startswith(f"{missing}:2:10: extends:")
    assert "no such file" in problem and str(tmp_path / "shared" / "team.yaml") in problem

    typo = write(tmp_path / "q.yaml", "extends: [recommended, strickt]\n")
    [problem] = problems_of(typo)
    assert problem.startswith(f"{typo}:1:24: extends[1]:")
    assert "unknown preset 'strickt'" in problem and "recommended, strict" in problem


def test_an_error_in_an_extended_file_names_that_file(tmp_path: Path) -> None:
    base = write(tmp_path / "base.yaml", "rules:\n  missing-owner: fatal\n")
    child = write(tmp_path / "child.yaml", "extends: base.yaml\n")
    [problem] = problems_of(child)
    assert problem.startswith(f"{base.resolve()}:2:18: rules.missing-owner.severity:")


# --- rule entries ------------------------------------------------------------------------------


def test_severity_shorthand_and_mapping(tmp_path: Path) -> None:
    policy = load(write(tmp_path / "p.yaml", """
        rules:
          missing-owner: warning
          vague-language: off
          missing-repro-steps:
            severity: error
            min_actions: 3
            accept_not_reproduced: false
          repeated-ask:
            kinds: [reference, email]
    """))
    assert policy.rules["missing-owner"].severity == "warning"
    assert "vague-language" not in policy.active()
    steps = policy.rules["missing-repro-steps"]
    assert steps.severity == "error"
    # Options are instances of the rule's own pydantic model.
    assert type(steps.options).__name__ == "MissingReproStepsOptions"
    assert steps.options.min_actions == 3
    assert steps.options.accept_not_reproduced is False
    # A rule entry without severity keeps the rule's default severity.
    assert policy.rules["repeated-ask"].severity == "warning"
    assert policy.rules["repeated-ask"].options.kinds == ["reference", "email"]


def test_options_are_validated_by_the_rule_model(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", """
        rules:
          missing-repro-steps:
            min_actions: lots
          vague-language:
            severity: warning
            categories: filler
    """)
    problems = problems_of(policy)
    assert problems[0].startswith(f"{policy}:3:18: rules.missing-repro-steps.min_actions:")
    assert "valid integer" in problems[0] and "'lots'" in problems[0]
    assert problems[1].startswith(f"{policy}:6:17: rules.vague-language.categories:")
    assert "valid list" in problems[1]


def test_option_lists_accept_only_known_choices(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", """
        rules:
          vague-language:
            categories: [hedge, quantty]
          repeated-ask:
            kinds: [email, emial]
    """)
    problems = problems_of(policy)
    assert problems == [
        f"{policy}:3:17: rules.vague-language.categories: unknown categories ['quantty']; "
        "choose from failure, hedge, quantity, time, filler",
        f"{policy}:5:12: rules.repeated-ask.kinds: unknown kinds ['emial']; choose from reference, invoice, "
        "transaction, email, phone, account, screenshot, error, version, os, device, url, steps, logs, already-tried, "
        "problem",
    ]


def test_options_with_a_constraint(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", "rules:\n  missing-repro-steps: {min_actions: 0}\n")
    [problem] = problems_of(policy)
    assert "rules.missing-repro-steps.min_actions" in problem
    assert "greater than or equal to 1" in problem


def test_targets_merge_with_the_rule_defaults_and_are_validated(tmp_path: Path) -> None:
    policy = load(write(tmp_path / "p.yaml", """
        rules:
          vague-language:
            targets:
              visibility: internal
              exclude_tags: [vip]
    """))
    targets = policy.rules["vague-language"].targets
    assert targets.visibility == "internal"
    assert targets.exclude_tags == ["vip"]
    assert targets.kinds == ["escalation", "handoff"]  # the rule's default, kept

    bad = write(tmp_path / "bad.yaml", """
        rules:
          repeated-ask:
            targets:
              kinds: [reply, email]
              audience: customers
    """)
    problems = problems_of(bad)
    assert any(p.startswith(f"{bad}:4:22: rules.repeated-ask.targets.kinds[1]:") and "'reply', 'note'" in p
               for p in problems), problems
    assert any(p.startswith(f"{bad}:5:7: rules.repeated-ask.targets.audience:") and "allowed:" in p
               and "ticket_types" in p for p in problems), problems


def test_targets_decide_which_notes_a_rule_reads(tmp_path: Path) -> None:
    bugs_only = write(tmp_path / "p.yaml", """
        rules:
          vague-language:
            targets: {ticket_types: [bug], exclude_tags: [vip]}
    """)
    linter = Linter(bugs_only, select=["vague-language"])
    note = {"body": VAGUE_NOTE, "kind": "escalation", "public": False}
    assert linter.check({"id": "T-1", "type": "bug"}, note).counts().get("vague-language", 0) >= 2
    assert linter.check({"id": "T-2", "type": "question"}, note).annotations == []
    assert linter.check({"id": "T-3", "type": "bug", "tags": ["VIP"]}, note).annotations == []


def test_owner_directory_makes_a_team_an_owner(tmp_path: Path) -> None:
    draft = "Escalating to payments: refund R-2231 failed twice with gateway error 402 at 09:14 UTC."
    with_owners = Linter(write(tmp_path / "p.yaml", 'owners:\n  payments: "@payments-oncall"\n'),
                         select=["missing-owner"])
    without = Linter("recommended", select=["missing-owner"])
    assert with_owners.policy.settings.owners == {"payments": "@payments-oncall"}
    assert with_owners.check_text(draft).annotations == []
    assert without.check_text(draft).counts() == {"missing-owner": 1}


def test_vocabulary_adds_and_accepts_phrases(tmp_path: Path) -> None:
    note = "Owner: @mobile-oncall. Sync fails on their end, we need a fix ASAP."
    plain = Linter("recommended", select=["vague-language"]).check_text(note)
    assert "asap" in {a.text.lower() for a in plain.annotations}
    assert "on their end" not in {a.text.lower() for a in plain.annotations}
    team = Linter(write(tmp_path / "p.yaml", """
        vocabulary:
          vague: ["on their end"]
          accept: [ASAP]
    """), select=["vague-language"]).check_text(note)
    found = {a.text.lower() for a in team.annotations}
    assert "on their end" in found
    assert "asap" not in found


def test_fail_on_from_the_policy_and_the_command_line(tmp_path: Path) -> None:
    note = write(tmp_path / "note.md", VAGUE_NOTE + "\n")
    strict = write(tmp_path / "p.yaml", "fail_on: warning\n")
    assert holdthread("check", "--policy", strict, "--select", "vague-language", note).exit_code == 1
    assert holdthread("check", "--policy", strict, "--select", "vague-language", "--fail-on", "error",
                      note).exit_code == 0
    relaxed = write(tmp_path / "r.yaml", "fail_on: error\n")
    assert holdthread("check", "--policy", relaxed, "--select", "vague-language", note).exit_code == 0
    bad = write(tmp_path / "bad.yaml", "fail_on: sometimes\n")
    [problem] = problems_of(bad)
    assert problem.startswith(f"{bad}:1:10: fail_on:") and "'error', 'warning' or 'info'" in problem


def test_scoring_weights_critical_and_pass_mark(tmp_path: Path) -> None:
    weighted = Linter(write(tmp_path / "w.yaml", "scoring:\n  weights:\n    vague-language: 30\n"),
                      select=["vague-language"])
    report = weighted.check_text(VAGUE_NOTE)
    assert report.counts()["vague-language"] >= 2
    assert report.score == 70  # a rule costs its weight once, however often it fires

    critical = Linter(write(tmp_path / "c.yaml", "scoring:\n  critical: [vague-language]\n"),
                      select=["vague-language"])
    assert critical.check_text(VAGUE_NOTE).score == 0
    assert critical.policy.scoring.pass_mark == 80

    bad = write(tmp_path / "bad.yaml", "scoring:\n  pass_mark: 120\n  weights:\n    vague-languag: 5\n")
    [problem] = problems_of(bad)
    assert problem.startswith(f"{bad}:2:14: scoring.pass_mark:") and "less than or equal to 100" in problem


def test_scoring_names_unknown_rules(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "scoring:\n  weights:\n    vague-languag: 5\n  critical: [missing-ownr]\n")
    problems = problems_of(bad)
    assert problems[0].startswith(f"{bad}:3:5: scoring.weights.vague-languag: unknown rule 'vague-languag'; "
                                  "did you mean 'vague-language'?")
    assert problems[1].startswith(f"{bad}:4:14: scoring.critical[0]: unknown rule 'missing-ownr'; "
                                  "did you mean 'missing-owner'?")


def test_limits_are_validated(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "limits:\n  max_note_chars: -5\n")
    [problem] = problems_of(bad)
    assert problem.startswith(f"{bad}:2:19: limits.max_note_chars:") and "greater than 0" in problem


# --- located errors ----------------------------------------------------------------------------


def test_unknown_top_level_key_lists_the_allowed_keys(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", "extends: recommended\nfail_on: error\nrulez:\n  missing-owner: error\n")
    [problem] = problems_of(policy)
    prefix = f"{policy}:3:1: rulez: unknown key 'rulez'; allowed: "
    assert problem.startswith(prefix)
    allowed = problem.removeprefix(prefix).split(", ")
    assert allowed == sorted(PolicyDocument.model_fields)
    assert {"extends", "fail_on", "owners", "rules", "scoring", "vocabulary"} <= set(allowed)


def test_unknown_nested_key_lists_that_sections_keys(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", "vocabulary:\n  vauge: [stuff]\n")
    [problem] = problems_of(policy)
    assert problem == f"{policy}:2:3: vocabulary.vauge: unknown key 'vauge'; allowed: accept, vague"


def test_unknown_rule_id_suggests_the_closest(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", "rules:\n  missing-owners: error\n  no-such-check: off\n")
    problems = problems_of(policy)
    assert problems[0] == (f"{policy}:2:3: rules.missing-owners: unknown rule 'missing-owners'; "
                           "did you mean 'missing-owner'? (`holdthread rules` lists them)")
    assert problems[1].startswith(f"{policy}:3:3: rules.no-such-check: unknown rule 'no-such-check'")
    assert "did you mean" not in problems[1]


def test_bad_severity_lists_the_severities(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", "rules:\n  vague-language: loud\n  repeated-ask:\n    severity: high\n")
    problems = problems_of(policy)
    assert problems[0].startswith(f"{policy}:2:19: rules.vague-language.severity:")
    assert "'error', 'warning', 'info' or 'off'" in problems[0] and "(got 'loud')" in problems[0]
    assert problems[1].startswith(f"{policy}:4:15: rules.repeated-ask.severity:")


def test_a_rule_entry_of_the_wrong_type(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", "rules:\n  missing-owner: 3\n")
    [problem] = problems_of(policy)
    assert problem.startswith(f"{policy}:2:18: rules.missing-owner:")
    assert "severity (error, warning, info, off) or a mapping" in problem


def test_unknown_option_lists_the_rules_options(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", "rules:\n  missing-repro-steps:\n    severity: warning\n    min_action: 3\n")
    [problem] = problems_of(policy)
    prefix = (f"{policy}:4:5: rules.missing-repro-steps.min_action: unknown key 'min_action'; "
              "allowed for missing-repro-steps: ")
    assert problem.startswith(prefix)
    allowed = problem.removeprefix(prefix).split(", ")
    options = default_registry().rules["missing-repro-steps"].Options.model_fields
    assert allowed == sorted({"severity", "targets", *options})
    assert "min_actions" in allowed


def test_bad_yaml_syntax_is_located(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", "rules:\n  missing-owner: [error\n  vague-language: warning\n")
    [problem] = problems_of(policy)
    assert problem.startswith(f"{policy}:3:")
    assert "invalid YAML" in problem


def test_tabs_are_a_located_yaml_error(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", "rules:\n\tmissing-owner: error\n")
    [problem] = problems_of(policy)
    assert problem.startswith(f"{policy}:2:1:") and "invalid YAML" in problem


def test_duplicate_keys_are_an_error(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", "rules:\n  missing-owner: error\n  missing-owner: off\n")
    [problem] = problems_of(policy)
    assert problem.startswith(f"{policy}:3:3:")
    assert 'duplicate key "missing-owner"' in problem


def test_a_policy_must_be_a_mapping(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", "- missing-owner\n- vague-language\n")
    [problem] = problems_of(policy)
    assert problem.startswith(f"{policy}:1:1:") and "mapping" in problem


def test_every_problem_of_a_file_is_reported_together(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", "rules:\n  missing-ownr: error\n  vague-language: loud\n")
    assert len(problems_of(policy)) == 2


def test_not_utf8_and_missing_policy_files(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("owners:\n  caf\xe9: '@cafe-oncall'\n".encode("latin-1"))
    [problem] = problems_of(latin)
    assert "not UTF-8" in problem
    [problem] = problems_of(tmp_path / "nowhere.yaml")
    assert "policy file not found" in problem


def test_an_empty_policy_is_the_defaults(tmp_path: Path) -> None:
    policy = load(write(tmp_path / "p.yaml", "# nothing yet\n"))
    assert policy.fail_on == "error"
    assert policy.rules == {}


def test_a_mapping_and_a_policy_object_are_accepted() -> None:
    registry = default_registry()
    policy = load_policy({"extends": "recommended", "rules": {"vague-language": "off"}}, registry)
    assert "vague-language" not in policy.active()
    assert load_policy(policy, registry) is policy
    with pytest.raises(PolicyError, match="did you mean 'vague-language'"):
        load_policy({"rules": {"vague-languge": "off"}}, registry)


# --- discovery ---------------------------------------------------------------------------------


def test_discovery_walks_up_from_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "support-repo"
    deep = project / "macros" / "billing"
    deep.mkdir(parents=True)
    policy = write(project / "holdthread.yaml", "extends: strict\n")
    monkeypatch.chdir(deep)
    assert find_policy_file() == policy.resolve()
    assert Linter().policy.fail_on == "warning"


def test_hidden_policy_file_is_found_and_the_nearest_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "holdthread.yaml", "fail_on: info\n")
    inner = write(tmp_path / "team" / ".holdthread.yaml", "fail_on: warning\n")
    monkeypatch.chdir(tmp_path / "team")
    assert find_policy_file() == inner.resolve()
    # In one folder, holdthread.yaml comes before .holdthread.yaml.
    visible = write(tmp_path / "team" / "holdthread.yaml", "fail_on: error\n")
    assert find_policy_file() == visible.resolve()


def test_without_a_policy_file_the_recommended_preset_applies(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert find_policy_file() is None
    assert Linter().policy.sources == ["<preset recommended>"]


# --- commands ----------------------------------------------------------------------------------


def test_policy_validate_command(tmp_path: Path) -> None:
    good = write(tmp_path / "good.yaml", "extends: recommended\nrules:\n  vague-language: off\n")
    run = holdthread("policy", "validate", good)
    assert run.exit_code == 0
    active = len(load_policy("recommended", default_registry()).active()) - 1
    assert run.stdout.strip() == f"{good}: valid policy ({active} rules active, fail_on error)."

    bad = write(tmp_path / "bad.yaml", "rules:\n  missing-ownr: error\n")
    run = holdthread("policy", "validate", bad)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert f"{bad}:2:3: rules.missing-ownr: unknown rule 'missing-ownr'; did you mean 'missing-owner'?" in run.stderr


def test_policy_init_writes_a_commented_starter_that_validates(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = holdthread("policy", "init")
    assert run.exit_code == 0
    written = tmp_path / "holdthread.yaml"
    text = written.read_text(encoding="utf-8")
    assert text.count("\n#") >= 5  # it explains itself
    assert "extends: recommended" in text
    assert holdthread("policy", "validate", written).exit_code == 0
    starter = load(written)
    assert starter.settings.owners == {"payments": "@payments-oncall"}


def test_policy_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = write(tmp_path / "team.yaml", "fail_on: info\n")
    run = holdthread("policy", "init", "-o", target)
    assert run.exit_code == 2
    assert "already exists" in run.stderr and "--force" in run.stderr
    assert target.read_text(encoding="utf-8") == "fail_on: info\n"
    assert holdthread("policy", "init", "-o", target, "--force").exit_code == 0
    assert "extends: recommended" in target.read_text(encoding="utf-8")


def test_policy_init_to_stdout() -> None:
    run = holdthread("policy", "init", "-o", "-")
    assert run.exit_code == 0
    assert run.stdout.startswith("# holdthread policy")


def test_policy_show_prints_the_effective_policy(tmp_path: Path) -> None:
    policy = write(tmp_path / "p.yaml", """
        extends: strict
        owners: {payments: "@payments-oncall"}
        rules:
          missing-repro-steps: {min_actions: 3}
    """)
    run = holdthread("policy", "show", "--policy", policy)
    assert run.exit_code == 0
    sources = f"{policy} <- <preset strict> <- <preset recommended>"
    assert run.stdout.splitlines()[0] == f"# effective policy, merged from: {sources}"
    # What it prints is itself a valid policy with the same effect.
    shown = write(tmp_path / "shown.yaml", run.stdout)
    again = load(shown)
    assert again.fail_on == "warning"
    assert again.rules["missing-repro-steps"].options.min_actions == 3
    assert again.rules["missing-repro-steps"].severity == "error"
    assert again.settings.owners == {"payments": "@payments-oncall"}
    original = load(policy)
    assert {rid: (c.severity, c.targets) for rid, c in again.rules.items()} == {
        rid: (c.severity, c.targets) for rid, c in original.rules.items()
    }
    assert dump_policy(again).splitlines()[0] == f"# effective policy, merged from: {shown}"


def test_policy_show_reports_errors(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "fail_on: loud\n")
    run = holdthread("policy", "show", "--policy", bad)
    assert run.exit_code == 2
    assert f"{bad}:1:10: fail_on:" in run.stderr


def test_loader_reads_text_with_a_name() -> None:
    loader = PolicyLoader(default_registry())
    with pytest.raises(PolicyError) as caught:
        loader.load_text("rules:\n  vague-language: loud\n", name="inline.yaml")
    assert str(caught.value).startswith("inline.yaml:2:19:")


def test_policy_validate_several_files(tmp_path: Path) -> None:
    good = write(tmp_path / "good.yaml", "extends: strict\n")
    bad = write(tmp_path / "bad.yaml", "fail_on: loud\n")
    run = holdthread("policy", "validate", good, bad)
    assert run.exit_code == 2
    assert f"{good}: valid policy" in run.stdout
    assert f"{bad}:1:10: fail_on:" in run.stderr
