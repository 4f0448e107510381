"""Baselines: write, re-run hides, small edits still hidden, new findings shown, file format, CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from holdthread import Linter
from holdthread.cli import cli
from holdthread.linter.baseline import Baseline, BaselineError, BaselineWriter, note_texts
from holdthread.linter.models import CheckRequest, Comment, Draft, Report, Ticket

#: Policy-defined rules keep these tests free of spaCy; the CLI test runs the built-in rules.
POLICY: dict[str, Any] = {
    "rules": {
        "no-asap": {
            "kind": "existence",
            "phrases": ["ASAP"],
            "message": 'Say when instead of "{match}".',
            "severity": "warning",
        },
        "needs-jira-link": {
            "kind": "occurrence",
            "patterns": [r"https://acme\.atlassian\.net/browse/[A-Z]+-\d+"],
            "min": 1,
            "message": "Link the Jira issue ({count} found).",
            "severity": "error",
        },
    }
}

NOTE = """\
Payroll export fails for 3 admins at Acme Corp (Enterprise) with E1042 since Nov 24 09:00 UTC.
They need it fixed ASAP: payroll closes Nov 28 17:00 UTC.
Tried Chrome 131 and Firefox 132, same error. Owner: @export-oncall.
"""


def request(body: str, ticket_id: str = "T-7310") -> CheckRequest:
    return CheckRequest(ticket=Ticket(id=ticket_id), draft=Draft(body=body))


def run(linter: Linter, body: str, ticket_id: str = "T-7310") -> tuple[Report, CheckRequest]:
    req = request(body, ticket_id)
    return next(iter(linter.check_many([req]))), req


def write(tmp_path: Path, linter: Linter, *bodies: str) -> Path:
    writer = BaselineWriter()
    for index, body in enumerate(bodies):
        report, req = run(linter, body, f"T-{7310 + index}")
        writer.add(report, note_texts(req))
    path = tmp_path / "holdthread-baseline.json"
    writer.write(path)
    return path


def filtered(path: Path, linter: Linter, body: str, ticket_id: str = "T-7310") -> Report:
    report, req = run(linter, body, ticket_id)
    return Baseline.load(path).filter(report, texts=note_texts(req), scoring=linter.policy.scoring)


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(POLICY)


def test_re_run_hides_every_recorded_finding(tmp_path: Path, linter: Linter) -> None:
    before, _ = run(linter, NOTE)
    assert sorted(a.rule for a in before.annotations) == ["needs-jira-link", "no-asap"]
    path = write(tmp_path, linter, NOTE)
    after = filtered(path, linter, NOTE)
    assert after.annotations == []
    assert (after.verdict, after.score) == ("pass", 100)
    assert (before.verdict, before.score) == ("block", 65)


def test_an_edit_elsewhere_in_the_note_keeps_findings_hidden(tmp_path: Path, linter: Linter) -> None:
    path = write(tmp_path, linter, NOTE)
    edited = NOTE.replace("Firefox 132", "Safari 18.1").replace("3 admins", "4 admins")
    edited = "Update from the customer this morning.\n" + edited
    assert filtered(path, linter, edited).annotations == []


def test_a_new_finding_is_shown_where_it_is(tmp_path: Path, linter: Linter) -> None:
    path = write(tmp_path, linter, NOTE)
    grown = NOTE + "Sales asks for an update ASAP too.\n"
    after = filtered(path, linter, grown)
    [new] = after.annotations
    assert (new.rule, new.text, new.line) == ("no-asap", "ASAP", 4)
    assert after.verdict == "warn"


def test_identical_findings_need_one_entry_each(tmp_path: Path, linter: Linter) -> None:
    twice = "Fix ASAP. Really, ASAP.\nhttps://acme.atlassian.net/browse/PAY-88"
    path = write(tmp_path, linter, twice)
    entries = json.loads(path.read_text(encoding="utf-8"))["findings"]
    assert sum(e["count"] for e in entries if e["rule"] == "no-asap") == 2
    assert filtered(path, linter, twice).annotations == []
    thrice = twice.replace("Really, ASAP.", "Really, ASAP. ASAP!")
    assert [a.text for a in filtered(path, linter, thrice).annotations] == ["ASAP"]


def test_fixed_findings_leave_unmatched_entries(tmp_path: Path, linter: Linter) -> None:
    path = write(tmp_path, linter, NOTE)
    baseline = Baseline.load(path)
    assert len(baseline) == 2
    fixed = NOTE.replace("ASAP", "by Nov 27 12:00 UTC")
    report, req = run(linter, fixed)
    assert baseline.filter(report, texts=note_texts(req)).annotations == []
    assert baseline.unmatched() == 1


def test_findings_of_another_ticket_are_not_hidden(tmp_path: Path, linter: Linter) -> None:
    path = write(tmp_path, linter, NOTE)
    assert len(filtered(path, linter, NOTE, ticket_id="T-9999").annotations) == 2


def test_the_file_is_versioned_sorted_one_line_per_finding_and_holds_no_note_text(
    tmp_path: Path, linter: Linter
) -> None:
    path = write(tmp_path, linter, NOTE, "Fix ASAP please, the CFO asked.")
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["version"] == 2
    keys = [(e["ticket"], e["comment"] or "", e["rule"], e["fingerprint"], e["context"]) for e in data["findings"]]
    assert keys == sorted(keys)
    assert len(text.splitlines()) == len(data["findings"]) + 6
    assert "CFO" not in text and "payroll" not in text.lower()
    again = write(tmp_path / "again", linter, NOTE, "Fix ASAP please, the CFO asked.")
    assert again.read_text(encoding="utf-8") == text


def test_comments_of_a_ticket_are_fingerprinted_apart(tmp_path: Path, linter: Linter) -> None:
    ticket = Ticket(
        id="T-7400",
        comments=[
            Comment(id="c1", author={"role": "agent"}, public=False, kind="escalation", body="Need this ASAP."),
            Comment(id="c2", author={"role": "agent"}, public=False, kind="escalation", body="Need this ASAP."),
        ],
    )
    req = CheckRequest(ticket=ticket)
    report = next(iter(linter.check_many([req])))
    writer = BaselineWriter()
    only_first = report.model_copy(update={"annotations": [a for a in report.annotations if a.comment_id == "c1"]})
    writer.add(only_first, note_texts(req))
    path = tmp_path / "b.json"
    writer.write(path)
    left = Baseline.load(path).filter(report, texts=note_texts(req)).annotations
    assert sorted({a.comment_id for a in left}) == ["c2"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "baseline file not found; create it with --write-baseline FILE"),
        ('{"version": 2,\n "findings": [}', "b.json:2:15: not valid JSON"),
        ('{"version": 7, "findings": []}', "baseline version 7 is not one this holdthread reads (2)"),
        ('{"version": 1, "findings": []}', "written by an older holdthread"),
        (
            '{"version": 2, "findings": [{"ticket": "T-1", "rule": "x", "fingerprint": "zz", "context": "00"}]}',
            "$.findings[0].fingerprint",
        ),
        ("[1, 2]", "not a holdthread baseline"),
    ],
)
def test_unreadable_baselines_say_why(tmp_path: Path, content: str | None, expected: str) -> None:
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError) as caught:
        Baseline.load(path)
    assert expected in str(caught.value)


def test_cli_write_then_check_with_the_baseline(tmp_path: Path) -> None:
    note = tmp_path / "escalation.md"
    note.write_text("Customer says export doesn't work for some users, pls check ASAP.\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    runner = CliRunner()
    first = runner.invoke(cli, ["check", str(note), "--format", "jsonl"])
    found = json.loads(first.stdout.splitlines()[0])["annotations"]
    assert first.exit_code == 1 and found

    written = runner.invoke(cli, ["check", str(note), "--write-baseline", str(baseline)])
    assert written.exit_code == 0, written.output
    assert f"Wrote {baseline}: {len(found)} finding(s) in 1 input(s)" in written.stderr

    hidden = runner.invoke(cli, ["check", str(note), "--baseline", str(baseline), "--format", "jsonl"])
    assert hidden.exit_code == 0, hidden.output
    assert json.loads(hidden.stdout.splitlines()[0])["annotations"] == []

    note.write_text(
        "Customer says export doesn't work for some users, pls check ASAP.\nAlso the invoice page is broken.\n",
        encoding="utf-8",
    )
    new = runner.invoke(cli, ["check", str(note), "--baseline", str(baseline), "--format", "jsonl"])
    shown = json.loads(new.stdout.splitlines()[0])["annotations"]
    assert [(a["rule"], a["text"], a["line"]) for a in shown] == [("vague-language", "is broken", 2)]

    missing = runner.invoke(cli, ["check", str(note), "--baseline", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2
    assert "baseline file not found" in missing.stderr


def test_rewriting_the_first_sentence_keeps_whole_note_findings_hidden(tmp_path: Path) -> None:
    """ "missing ..." findings point at the note's first line; they are matched by their rule alone."""
    linter = Linter("recommended")
    note = "Escalating to engineering.\n\nCustomer says the export fails for some users.\n"
    report, _ = run(linter, note)
    whole_note = [a.rule for a in report.annotations if a.start == 0]
    assert {"missing-owner", "missing-context", "missing-repro-steps"} <= set(whole_note)
    path = write(tmp_path, linter, note)
    edited = note.replace("Escalating to engineering.", "Passing this on to the platform team for a look.")
    assert [a.rule for a in filtered(path, linter, edited).annotations] == []
    # A phrase finding is still matched by its phrase: a new vague phrase is new.
    worse = edited + "It is broken.\n"
    assert [(a.rule, a.text) for a in filtered(path, linter, worse).annotations] == [("vague-language", "is broken")]
    # Counting still applies: a note-level finding beyond those recorded is new.
    one_fact = Linter({"extends": "recommended", "rules": {"missing-context": {"facts": ["impact", "timeline"]}}})
    recorded = write(tmp_path / "one-fact", one_fact, note)
    recorded_context = sum(a.rule == "missing-context" for a in run(one_fact, note)[0].annotations)
    all_context = sum(a.rule == "missing-context" for a in report.annotations)
    assert recorded_context < all_context
    left = [a.rule for a in filtered(recorded, linter, note).annotations]
    assert left == ["missing-context"] * (all_context - recorded_context)


def test_a_deeply_nested_baseline_is_a_located_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(BaselineError, match="nested more than"):
        Baseline.load(path)
