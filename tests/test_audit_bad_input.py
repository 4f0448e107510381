"""Bad input end to end: every record is linted or rejected with its reason, and the audit goes on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from holdthread.audit.synthetic import tickets
from holdthread.cli import cli


def _line(ticket: dict[str, Any]) -> str:
    return json.dumps(ticket, ensure_ascii=False) + "\n"


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    """A folder of exports with one of each problem among good tickets."""
    folder = tmp_path / "exports"
    folder.mkdir()
    good = list(tickets(12, seed=3))
    out_of_order = dict(good[1], comments=list(reversed(good[1]["comments"])))
    no_dates = dict(
        good[2],
        created_at=None,
        comments=[{k: v for k, v in c.items() if k != "created_at"} for c in good[2]["comments"]],
    )
    html = dict(good[3], comments=[dict(c, body=f"<div><p>{c['body']}</p><br></div>") for c in good[3]["comments"]])
    huge = dict(
        good[4],
        comments=[*good[4]["comments"], {**good[4]["comments"][-1], "id": "huge", "body": "Logs: " + "x" * 120_000}],
    )
    no_body = dict(good[5], comments=[{k: v for k, v in c.items() if k != "body"} for c in good[5]["comments"][:2]])
    lines = [
        _line(good[0]),
        _line(out_of_order),
        _line(no_dates),
        _line(html),
        _line(huge),  # 5: over limits.max_note_chars
        '{"id": "T-broken", "comments": [ oops\n',  # 6: invalid JSON among good lines
        _line(no_body),  # 7: a comment without a body
        "ticket_id,subject,body\n",  # 8: a CSV header mixed into JSONL
        _line(good[0]),  # 9: duplicate ticket id T-1
        _line(good[6]),
    ]
    (folder / "a-mixed.jsonl").write_text("".join(lines), encoding="utf-8")
    truncated = _line(good[7]) + _line(good[8])[:150]
    (folder / "b-truncated.jsonl").write_text(truncated, encoding="utf-8")
    (folder / "c-empty.jsonl").write_bytes(b"")
    (folder / "d-latin1.jsonl").write_bytes(_line(good[9]).replace("Hi", "Caf\u00e9").encode("latin-1", "replace"))
    (folder / "e-unknown.xml").write_text("<tickets><ticket id='1'/></tickets>\n", encoding="utf-8")
    (folder / "f-good.jsonl").write_text(_line(good[10]) + _line(good[11]) + _line(good[7]), encoding="utf-8")
    return folder


def test_every_record_is_linted_or_rejected_with_its_reason(exports: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["audit", str(exports), "--out", str(out), "--jobs", "1", "--no-cache"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rejected = [json.loads(line) for line in (out / "rejected.jsonl").read_text(encoding="utf-8").splitlines()]
    linted = [
        json.loads(line)["ticket_id"] for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    counts = summary["counts"]
    assert counts["read"] == counts["linted"] + counts["rejected"]
    assert counts["linted"] == len(linted) and counts["rejected"] == len(rejected)
    # out-of-order comments, missing timestamps and HTML bodies are linted, not lost
    assert linted == ["T-1", "T-2", "T-3", "T-4", "T-7", "T-8", "T-11", "T-12"]
    html_report = next(
        json.loads(line)
        for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
        if json.loads(line)["ticket_id"] == "T-4"
    )
    assert all("<p>" not in a["text"] for a in html_report["annotations"])

    by_where = {(Path(r["file"]).name, r["line"]): r for r in rejected}
    huge = by_where[("a-mixed.jsonl", 5)]
    assert "max_note_chars" in huge["reason"] and huge["path"] == "$.comments[8].body" and huge["ticket_id"] == "T-5"
    assert "not valid JSON" in by_where[("a-mixed.jsonl", 6)]["reason"]
    no_body = by_where[("a-mixed.jsonl", 7)]
    assert "$.comments[0].body" in no_body["reason"] and no_body["ticket_id"] == "T-6"
    assert "not valid JSON" in by_where[("a-mixed.jsonl", 8)]["reason"]
    duplicate = by_where[("a-mixed.jsonl", 9)]
    assert duplicate["ticket_id"] == "T-1" and "duplicate ticket id 'T-1'" in duplicate["reason"]
    assert "line 2" in by_where[("b-truncated.jsonl", 2)]["reason"]  # the cut-off last line
    assert "empty file" in by_where[("c-empty.jsonl", None)]["reason"]
    assert "not valid UTF-8" in by_where[("d-latin1.jsonl", 1)]["reason"]
    assert "--source" in by_where[("e-unknown.xml", None)]["reason"]
    # the same ticket in two files of one audit: only the first is scored
    across = by_where[("f-good.jsonl", 3)]
    assert across["ticket_id"] == "T-8" and "b-truncated.jsonl:1" in across["reason"]
    assert len(rejected) == 10
    assert result.stdout.rstrip().splitlines()[-1] == f"{counts['read']} read, 8 linted, 10 rejected"
    assert "rejected.jsonl" in result.stdout
    # what was repaired to lint a record is counted, and said, not only logged
    assert summary["warnings"] == {"comments or events were out of time order in the export; sorted by time": 1}
    assert "Warning: 1 ticket(s): comments or events were out of time order" in result.stdout


def test_a_single_bad_file_still_ends_with_the_counts(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n\n")
    result = CliRunner().invoke(cli, ["audit", str(empty), "--out", str(tmp_path / "out"), "--jobs", "1", "--no-cache"])
    assert result.exit_code == 2  # nothing was linted: never a clean run
    assert result.stdout.rstrip().splitlines()[-1] == "1 read, 0 linted, 1 rejected"
