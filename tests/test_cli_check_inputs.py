"""`holdthread check` reads what `holdthread audit` reads, and never passes input it did not understand.

Each export in tests/fixtures/exports is linted by both commands; their findings must be the same.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from core_helpers import EXAMPLES, REPO, holdthread

from holdthread.audit.pipeline import AuditOptions, run_audit

EXPORTS = REPO / "tests" / "fixtures" / "exports"


def audit_findings(path: Path, out: Path) -> list[dict[str, Any]]:
    run_audit(AuditOptions(paths=[path], out=out, jobs=1, cache=False))
    return [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


def check_findings(*args: str | Path, stdin: bytes | None = None) -> list[dict[str, Any]]:
    run = holdthread("check", "--format", "jsonl", "--fail-on", "never", *args, stdin=stdin)
    assert run.exit_code == 0, run.stderr
    return run.jsonl()


@pytest.mark.parametrize("name", sorted(p.name for p in EXPORTS.iterdir()))
def test_check_lints_every_export_as_the_audit_does(name: str, tmp_path: Path) -> None:
    path = EXPORTS / name
    expected = audit_findings(path, tmp_path / "audit")
    assert expected, "the fixture has tickets"
    assert check_findings(path) == expected


def test_a_zendesk_ticket_bundle_is_not_a_clean_pass(tmp_path: Path) -> None:
    bundle = json.loads((EXPORTS / "zendesk_tickets.jsonl").read_text(encoding="utf-8").splitlines()[0])
    pretty = tmp_path / "bundle.json"
    pretty.write_text(json.dumps(bundle, indent=2), encoding="utf-8")
    one_line = tmp_path / "bundle.jsonl"
    one_line.write_text(json.dumps(bundle) + "\n", encoding="utf-8")
    expected = audit_findings(one_line, tmp_path / "audit")
    assert expected[0]["annotations"], "the audit finds problems in this ticket"
    assert check_findings(pretty) == check_findings(one_line) == expected
    assert check_findings("-", stdin=one_line.read_bytes()) == expected


def test_a_generic_check_request_is_not_mistaken_for_a_zendesk_bundle(tmp_path: Path) -> None:
    """Pretty-printed, a check request has "ticket" and "comments" in its first bytes, like a bundle."""
    [report] = check_findings(EXAMPLES / "check-request.json")
    assert report["ticket_id"] == "T-2077"
    assert audit_findings(EXAMPLES / "check-request.json", tmp_path / "audit") == [report]


def test_source_overrides_detection(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"  # a name that says "note"
    shutil.copy(EXPORTS / "comments.csv", path)
    assert [r["ticket_id"] for r in check_findings("--source", "csv", path)] == [
        r["ticket_id"] for r in check_findings(EXPORTS / "comments.csv")
    ]
    run = holdthread("check", "--source", "zendsk", path)
    assert run.exit_code == 2 and "unknown source 'zendsk'" in run.stderr


def test_a_csv_without_the_export_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text("id,text\n1,The export doesn't work for some users\n", encoding="utf-8")
    run = holdthread("check", path)
    assert run.exit_code == 2
    assert "no source recognises this CSV file" in run.stderr and "ticket_id and body" in run.stderr
    assert "All clear" not in run.stdout


def test_a_ticket_with_nothing_to_lint_is_an_error_not_a_pass(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"id": 4411, "subject": "Refund", "messages": [{"text": "hello"}]}), encoding="utf-8")
    run = holdthread("check", path)
    assert run.exit_code == 2
    assert "ticket '4411' has no comments and no draft" in run.stderr


def test_folders_are_read_recursively_for_the_types_check_reads(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    (notes / "billing").mkdir(parents=True)
    (notes / ".drafts").mkdir()
    shutil.copy(EXAMPLES / "escalation-vague.md", notes / "billing" / "refund.md")
    shutil.copy(EXAMPLES / "escalation-good.md", notes / "good.txt")
    shutil.copy(EXAMPLES / "escalation-vague.md", notes / ".drafts" / "hidden.md")
    shutil.copy(EXAMPLES / "holdthread.yaml", notes / "holdthread.yaml")  # configuration, not a note
    (notes / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    reports = check_findings(notes)
    assert [r["ticket_id"] for r in reports] == [str(notes / "billing" / "refund.md"), str(notes / "good.txt")]


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    run = holdthread("check", tmp_path)
    assert run.exit_code == 2
    assert "no file in this folder is one holdthread check reads" in run.stderr


def test_kind_says_what_a_plain_note_is() -> None:
    note = EXAMPLES / "escalation-vague.md"
    as_escalation = {a["rule"] for a in check_findings(note)[0]["annotations"]}
    as_note = {a["rule"] for a in check_findings("--kind", "note", note)[0]["annotations"]}
    assert "missing-owner" in as_escalation
    assert "missing-owner" not in as_note
    assert holdthread("check", "--kind", "memo", note).exit_code == 2


def test_policy_takes_a_preset_name() -> None:
    run = holdthread("check", "--policy", "strict", EXAMPLES / "ticket.json")
    assert run.exit_code == 1  # strict fails on warnings
    assert holdthread("check", "--policy", "recommended", EXAMPLES / "ticket.json").exit_code == 0


def test_the_policy_kinds_map_file_globs_to_kinds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    for folder in ("runbooks/export", "macros", "notes"):
        (repo / folder).mkdir(parents=True)
        shutil.copy(EXAMPLES / "escalation-vague.md", repo / folder / "vague.md")
    shutil.copy(EXAMPLES / "escalation-vague.md", repo / "notes" / "refund.reply.md")
    (repo / "holdthread.yaml").write_text(
        'extends: recommended\nkinds:\n  "runbooks/**": note\n  "macros/**": reply\n  "*.reply.md": reply\n'
        '  "runbooks/export/**": handoff\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(repo / "notes")  # globs are relative to the policy's folder, not the working directory
    reports = {
        Path(r["ticket_id"]).relative_to(repo).as_posix(): {a["rule"] for a in r["annotations"]}
        for r in check_findings(repo)
    }
    assert "missing-owner" in reports["notes/vague.md"]  # no glob: an escalation
    assert "missing-owner" in reports["runbooks/export/vague.md"]  # the last matching glob wins: handoff
    assert "no-next-step" in reports["runbooks/export/vague.md"]
    assert "missing-owner" not in reports["macros/vague.md"]  # a reply
    assert "missing-owner" not in reports["notes/refund.reply.md"]  # a glob without / matches the name
    forced = check_findings("--kind", "escalation", repo / "macros" / "vague.md")[0]["annotations"]
    assert "missing-owner" in {a["rule"] for a in forced}  # --kind wins over the globs
    shown = holdthread("policy", "show").stdout
    assert "kinds:" in shown and "runbooks/**: note" in shown


def test_a_kind_the_policy_misspells_is_a_located_error(tmp_path: Path) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text('kinds:\n  "runbooks/**": runbook\n', encoding="utf-8")
    run = holdthread("check", "--policy", policy, EXAMPLES / "escalation-good.md")
    assert run.exit_code == 2
    assert f"{policy}:2:18: kinds.runbooks/**: Input should be 'reply', 'note', 'escalation' or 'handoff'" in run.stderr
