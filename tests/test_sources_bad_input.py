"""Bad export input: every input record becomes one Record, bad ones with a clear reason."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from holdthread import Linter
from holdthread.linter.sources import Record
from holdthread.plugins.csv_export import CsvSource
from holdthread.plugins.freshdesk import FreshdeskSource
from holdthread.plugins.intercom import IntercomSource
from holdthread.plugins.jsonl import JsonlSource
from holdthread.plugins.zendesk import ZendeskSource

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def zendesk_lines() -> list[bytes]:
    return (EXPORTS / "zendesk_tickets.jsonl").read_bytes().splitlines(keepends=True)


def bundle(index: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(zendesk_lines()[index])
    return data


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def outcome(records: list[Record]) -> list[tuple[int | None, str | None]]:
    """(line, ticket id) for linted records, (line, None) for rejected ones."""
    return [(r.line, r.request.ticket.id if r.request else None) for r in records]


def test_a_truncated_last_line_is_rejected_and_the_rest_is_read(tmp_path: Path) -> None:
    lines = zendesk_lines()
    path = write(tmp_path, "cut.jsonl", lines[0] + lines[1][: len(lines[1]) // 2])
    records = list(ZendeskSource().records(path))
    assert outcome(records) == [(1, "48213"), (2, None)]
    assert "cut off" in (records[1].error or "") and "truncated" in (records[1].error or "")


def test_invalid_lines_among_good_ones_are_rejected_one_by_one(tmp_path: Path) -> None:
    lines = zendesk_lines()
    broken = b'{"ticket": {"id": 1, "subject": "oops"\n'
    path = write(tmp_path, "mixed.jsonl", lines[0] + broken + b"[1, 2]\n" + lines[1])
    records = list(ZendeskSource().records(path))
    assert outcome(records) == [(1, "48213"), (2, None), (3, None), (4, "48377")]
    assert "line 2 is not valid JSON" in (records[1].error or "")
    assert "not a Zendesk ticket record" in (records[2].error or "")


def test_mixed_formats_in_one_file_name_the_problem(tmp_path: Path) -> None:
    freshdesk = (EXPORTS / "freshdesk_tickets.jsonl").read_bytes().splitlines(keepends=True)[1]
    path = write(tmp_path, "mixed.jsonl", zendesk_lines()[0] + freshdesk)
    records = list(ZendeskSource().records(path))
    assert outcome(records) == [(1, "48213"), (2, None)]
    assert "mix exports of different helpdesks" in (records[1].error or "")
    # The other way round, the Freshdesk source rejects the Zendesk record.
    records = list(FreshdeskSource().records(path))
    assert outcome(records) == [(1, None), (2, "8843")]


def test_duplicate_ticket_ids_keep_the_first_and_reject_the_later(tmp_path: Path) -> None:
    lines = zendesk_lines()
    path = write(tmp_path, "dups.jsonl", lines[0] + lines[1] + lines[0])
    records = list(ZendeskSource().records(path))
    assert outcome(records) == [(1, "48213"), (2, "48377"), (3, None)]
    assert records[2].ticket_id == "48213"
    assert "duplicate ticket id '48213': already read at line 1" in (records[2].error or "")


def test_comments_out_of_order_are_sorted_by_created_at(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = bundle()
    data["comments"] = list(reversed(data["comments"]))
    path = write(tmp_path, "reversed.jsonl", json.dumps(data).encode() + b"\n")
    with caplog.at_level(logging.INFO, logger="holdthread.sources"):
        records = list(ZendeskSource().records(path))
    assert records[0].request is not None
    assert [c.id for c in records[0].request.ticket.comments] == ["5101", "5102", "5103", "5104", "5105", "5106"]
    assert "48213" in caplog.text and "sorted by time" in caplog.text
    assert "invoice" not in caplog.text.lower()  # never a note body in the logs
    assert records[0].warnings == ("comments or events were out of time order in the export; sorted by time",)


def test_missing_timestamps_keep_file_order_and_still_lint(tmp_path: Path) -> None:
    data = bundle()
    data["comments"] = [data["comments"][1], data["comments"][0], *data["comments"][2:]]
    del data["comments"][0]["created_at"]
    path = write(tmp_path, "no-time.jsonl", json.dumps(data).encode() + b"\n")
    records = list(ZendeskSource().records(path))
    ticket = records[0].request.ticket if records[0].request else None
    assert ticket is not None
    assert [c.id for c in ticket.comments][:2] == ["5102", "5101"]  # not sorted around the unknown time
    report = Linter("recommended").check(ticket)
    assert report.ticket_id == "48213"


def test_html_bodies_are_linted_as_plain_text() -> None:
    records = list(IntercomSource().records(EXPORTS / "intercom_conversations.jsonl"))
    ticket = records[0].request.ticket if records[0].request else None
    assert ticket is not None and ticket.comments[2].body.startswith("<p>")
    report = Linter("recommended").check(ticket)
    assert report.annotations
    for annotation in report.annotations:
        assert "<p>" not in annotation.text and "<b>" not in annotation.text


def test_a_comment_over_the_size_limit_rejects_its_ticket(tmp_path: Path) -> None:
    data = bundle()
    data["comments"][2]["body"] = "Export job log excerpt: worker 7 timed out on batch 12. " * 40
    path = write(tmp_path, "huge.jsonl", json.dumps(data).encode() + b"\n" + zendesk_lines()[1])
    records = list(ZendeskSource(max_note_chars=1_000).records(path))
    assert outcome(records) == [(1, None), (2, "48377")]
    assert "max_note_chars" in (records[0].error or "") and "5103" in (records[0].error or "")
    assert records[0].path == "$.comments[2].body"


def test_non_utf8_bytes_reject_that_line_with_its_byte_offset(tmp_path: Path) -> None:
    lines = zendesk_lines()
    bad = b'{"ticket": {"id": 9, "subject": "caf\xe9"}, "comments": [], "audits": []}\n'
    path = write(tmp_path, "latin1.jsonl", lines[0] + bad + lines[1])
    records = list(ZendeskSource().records(path))
    assert outcome(records) == [(1, "48213"), (2, None), (3, "48377")]
    offset = len(lines[0]) + bad.index(b"\xe9")
    assert f"byte 0xe9 at byte offset {offset}" in (records[1].error or "")


@pytest.mark.parametrize("source", [ZendeskSource, JsonlSource, FreshdeskSource, IntercomSource, CsvSource])
def test_an_empty_file_is_one_rejected_record(tmp_path: Path, source: type[JsonlSource]) -> None:
    path = write(tmp_path, "empty.jsonl", b"\n  \n")
    records = list(source().records(path))
    assert len(records) == 1 and records[0].request is None
    assert "empty file" in (records[0].error or "")


def test_zendesk_events_keep_ungroupable_lines_in_place(tmp_path: Path) -> None:
    lines = (EXPORTS / "zendesk_ticket_events.jsonl").read_bytes().splitlines(keepends=True)
    path = write(tmp_path, "events.jsonl", lines[0] + b"not json\n" + b'{"id": 1}\n' + b"".join(lines[1:]))
    records = list(ZendeskSource().records(path))
    assert outcome(records) == [(1, "50110"), (2, None), (3, None), (4, "50111")]
    assert "not a Zendesk ticket event record" in (records[2].error or "")


def test_csv_bad_rows_bad_values_and_a_cut_off_last_row(tmp_path: Path) -> None:
    text = (EXPORTS / "comments.csv").read_bytes()
    rows = [
        b"T-3,Login loop,,Tier 1,,c20,u-9,Ana Lima,customer,true,,2026-11-19T10:00:00Z,SSO loops to the login page\n",
        b",,,,,c21,u-9,Ana Lima,customer,true,,2026-11-19T10:01:00Z,orphan row without a ticket id\n",
        b"T-4,Refund,,Billing,,c30,u-7,Ben Cho,shopper,true,,2026-11-19T11:00:00Z,Where is my refund for order 4410?\n",
        b"T-5,Caf\xe9,,Tier 1,,c40,u-8,Eva,customer,true,,2026-11-19T12:00:00Z,latin-1 bytes\n",
        b"T-6,Cut,,Tier 1,,c50,u-5,Raj,customer,true",
    ]
    path = write(tmp_path, "bad.csv", text + b"".join(rows))
    records = list(CsvSource().records(path))
    by_line = {r.line: r for r in records}
    assert [r.request.ticket.id for r in records if r.request] == ["T-1", "T-2", "T-3"]
    assert len(records) == 3 + 4
    assert "no ticket_id" in (by_line[10].error or "")
    assert "unknown role 'shopper'" in (by_line[11].error or "") and by_line[11].ticket_id == "T-4"
    assert "byte 0xe9" in (by_line[12].error or "")
    assert "cut off" in (by_line[13].error or "")


def test_csv_without_the_required_columns_says_which(tmp_path: Path) -> None:
    path = write(tmp_path, "wrong.csv", b"id,message\n1,hello\n")
    records = list(CsvSource().records(path))
    assert len(records) == 1 and "ticket_id, body" in (records[0].error or "")
