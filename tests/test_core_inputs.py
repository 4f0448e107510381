"""What `holdthread check` and the API are given, and every kind of bad input.

Bad input never ends in a traceback: each case says where (file:line:column or a JSON path) and
why, exits 2, and does not hide the findings of the good inputs around it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from core_helpers import EXAMPLES, holdthread, rules_fired

from holdthread import Linter
from holdthread.linter.errors import InputError, UnknownRuleError
from holdthread.linter.text import plain_text

VAGUE = "Escalating to engineering: the export doesn't work for some users, pls check ASAP."


@pytest.fixture(autouse=True)
def _in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the recommended preset, whatever sits above the repo


def ticket(comment_body: str, **comment: Any) -> dict[str, Any]:
    return {
        "id": "T-3301", "subject": "CSV export fails", "type": "bug", "tags": ["export"],
        "comments": [
            {"id": "c1", "author": {"id": "u1", "name": "Dana Reyes", "role": "customer"}, "public": True,
             "body": "Export to CSV fails with E1042 since this morning. Order number 88412, Chrome 131."},
            {"id": "c2", "author": {"id": "a1", "name": "Sam Ortiz", "role": "agent"}, "public": False,
             "kind": "escalation", "body": comment_body, **comment},
        ],
    }


# --- JSON syntax and schema --------------------------------------------------------------------


def test_invalid_json_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "ticket.json"
    bad.write_text('{"id": "T-1",\n "comments": [{"id": "c1", "body": "hi",}]}\n', encoding="utf-8")
    run = holdthread("check", bad)
    assert run.exit_code == 2
    assert f"{bad}:2: error: invalid JSON at line 2, column 41:" in run.stderr
    assert "Expecting property name" in run.stderr


def test_schema_error_gives_the_json_path_and_what_is_allowed(tmp_path: Path) -> None:
    data = ticket("Owner: @data-oncall. Steps: 1. open Reports 2. click Export.")
    data["comments"][0]["author"]["role"] = "robot"
    path = tmp_path / "ticket.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    run = holdthread("check", path)
    assert run.exit_code == 2
    assert f"{path}:1: error: $.comments[0].author.role: Input should be 'customer', 'agent', 'system' or 'bot'" \
        in run.stderr


def test_schema_errors_in_a_check_request(tmp_path: Path) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps({"ticket": {"id": "T-9"}, "draft": {"public": "sometimes"}}), encoding="utf-8")
    run = holdthread("check", path)
    assert run.exit_code == 2
    assert "$.draft.public: Input should be a valid boolean" in run.stderr
    assert "$.draft.body: Field required" in run.stderr


def test_a_json_value_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text('"just a string"', encoding="utf-8")
    run = holdthread("check", path)
    assert run.exit_code == 2
    assert "expected a JSON object (a ticket or a check request), got str" in run.stderr


def test_api_schema_errors_are_input_errors_with_paths() -> None:
    data = ticket("Owner: @data-oncall.")
    del data["comments"][1]["author"]
    with pytest.raises(InputError) as caught:
        Linter("recommended").check(data)
    assert [p.path for p in caught.value.problems] == ["$.comments[1].author"]
    with pytest.raises(InputError) as caught:
        Linter("recommended").check({"id": "T-1"}, {"kind": "memo", "body": "Owner: @x"})
    assert caught.value.problems[0].path == "$.draft.kind"
    assert "'reply', 'note', 'escalation' or 'handoff'" in caught.value.problems[0].message


def test_numeric_ids_from_helpdesks_become_text() -> None:
    data = ticket("Escalating to engineering, the export is broken for some users.")
    data["id"] = 3301
    data["comments"][1]["id"] = 9001
    report = Linter("recommended").check(data)
    assert report.ticket_id == "3301"
    assert {a.comment_id for a in report.annotations} == {"9001"}


# --- encodings, binary, empty, huge ------------------------------------------------------------


def test_non_utf8_bytes_name_the_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("Owner: @billing-oncall.\nCustomer in Malm\xf6 reports double charges.\n".encode("latin-1"))
    run = holdthread("check", path)
    assert run.exit_code == 2
    assert f"{path}: error: line 2: not valid UTF-8 (byte 0xf6 at offset 40); save the file as UTF-8" in run.stderr


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLES.joinpath("escalation-good.md").read_bytes())
    run = holdthread("check", "--format", "json", path)
    assert run.exit_code == 0
    assert run.json()["verdict"] == "pass"


def test_binary_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "screenshot.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\x00")
    run = holdthread("check", path)
    assert run.exit_code == 2
    assert f"{path}: error: binary file" in run.stderr
    assert run.stdout.startswith("1 input(s) could not be checked")


@pytest.mark.parametrize("body", ["", "  \n\n\t\n"])
def test_an_empty_note(tmp_path: Path, body: str) -> None:
    path = tmp_path / "note.md"
    path.write_text(body, encoding="utf-8")
    run = holdthread("check", path)
    assert run.exit_code == 2
    assert "empty note: there is nothing to lint" in run.stderr


def test_an_empty_draft_through_the_api() -> None:
    with pytest.raises(InputError) as caught:
        Linter("recommended").check_text("   ")
    assert caught.value.problems[0].path == "$.draft.body"
    assert "empty draft" in caught.value.problems[0].message


def test_an_empty_comment_in_a_ticket_is_skipped() -> None:
    report = Linter("recommended").check(ticket(""))
    assert report.annotations == []


def test_a_5_mb_note_is_refused_before_any_rule_reads_it(tmp_path: Path) -> None:
    paragraph = "Customer reports the sync job stalls after the 2.3 update; logs attached. "
    huge = paragraph * (5_000_000 // len(paragraph) + 1)
    path = tmp_path / "huge.md"
    path.write_text(huge, encoding="utf-8")
    run = holdthread("check", path)
    assert run.exit_code == 2
    assert "limits.max_note_chars" in run.stderr
    assert f"the text is {len(huge):,} characters, over the policy limit of 100,000" in run.stderr
    assert paragraph.strip() not in run.stderr  # the note's text is never echoed


def test_the_size_limit_is_checked_before_spacy_sees_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    linter = Linter({"extends": "recommended", "limits": {"max_note_chars": 200}},
                    select=["missing-owner", "vague-language"])
    assert linter.nlp is not None
    seen: list[str] = []
    original = linter.nlp.pipe

    def spy(texts: Any, **kwargs: Any) -> Any:
        texts = list(texts)
        seen.extend(texts)
        return original(texts, **kwargs)

    monkeypatch.setattr(linter.nlp, "pipe", spy)
    with pytest.raises(InputError) as caught:
        linter.check_text("Owner: @sync-oncall. " + "The nightly sync stalls. " * 400)
    assert "limits.max_note_chars" in str(caught.value)
    assert seen == []  # refused up front: no tokenising, no rule ran
    assert linter.check_text("Owner: @sync-oncall. The 02:00 UTC sync stalls at 40%.").verdict == "pass"
    assert len(seen) == 1


# --- HTML --------------------------------------------------------------------------------------


def test_html_body_is_linted_as_text_with_offsets_into_the_text() -> None:
    body = ("<div><p>Escalating to <b>engineering</b>.</p>"
            "<p>Customer says the export <em>doesn&#39;t work</em> for <i>some users</i> &amp; admins.</p></div>")
    report = Linter("recommended").check(ticket(body))
    text = plain_text(body)
    assert "<" not in text and "doesn't work" in text and "& admins" in text
    vague = [a for a in report.annotations if a.rule == "vague-language"]
    assert {a.text for a in vague} >= {"doesn't work", "some users"}
    lines = text.split("\n")
    for annotation in report.annotations:
        assert annotation.text == text[annotation.start:annotation.end]
        line = lines[annotation.line - 1]
        offset = sum(len(previous) + 1 for previous in lines[: annotation.line - 1]) + annotation.column - 1
        assert offset == annotation.start, line
    first = vague[0]
    assert body[first.start:first.end] != first.text  # offsets are not into the raw HTML


def test_escaped_entities_are_decoded_once() -> None:
    text = plain_text("<p>Customer typed &amp;lt;script&amp;gt; into the name field &amp; saved.</p>")
    assert text == "Customer typed &lt;script&gt; into the name field & saved."


# --- rule selection ----------------------------------------------------------------------------


def test_unknown_rule_in_select_exits_2_with_a_suggestion() -> None:
    run = holdthread("check", "--select", "vague-languag", EXAMPLES / "escalation-good.md")
    assert run.exit_code == 2
    assert "unknown rule 'vague-languag'; did you mean 'vague-language'?" in run.stderr
    assert run.stdout == ""
    run = holdthread("check", "--ignore", "missing-owner,repeat-ask", EXAMPLES / "escalation-good.md")
    assert run.exit_code == 2
    assert "did you mean 'repeated-ask'?" in run.stderr
    with pytest.raises(UnknownRuleError, match="did you mean 'missing-owner'"):
        Linter("recommended", select=["missing-ownr"])


def test_select_and_ignore_on_the_command_line() -> None:
    vague = EXAMPLES / "escalation-vague.md"
    selected = holdthread("check", "--format", "json", "--select", "vague-language", vague).json()
    assert rules_fired(selected) == {"vague-language"}
    ignored = holdthread("check", "--format", "json", "--ignore", "vague-language,missing-repro-steps", vague)
    fired = rules_fired(ignored.json())
    assert "missing-owner" in fired
    assert not fired & {"vague-language", "missing-repro-steps"}
    assert ignored.exit_code == 1


# --- stdin, JSONL, arrays ----------------------------------------------------------------------


def test_stdin_note() -> None:
    run = holdthread("check", "--format", "json", "-", stdin=VAGUE.encode())
    assert run.exit_code == 1
    report = run.json()
    assert report["ticket_id"] == "<stdin>"
    assert {"missing-owner", "vague-language"} <= rules_fired(report)


def test_stdin_ticket_json_is_recognised_by_content() -> None:
    run = holdthread("check", "--format", "json", "-", stdin=(EXAMPLES / "ticket.json").read_bytes())
    assert run.json()["ticket_id"] == "T-1042"
    assert "repeated-ask" in rules_fired(run.json())


def test_jsonl_with_a_bad_line_reports_the_good_ones_and_exits_2(tmp_path: Path) -> None:
    good = (EXAMPLES / "tickets.jsonl").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join([good[0], '{"id": "T-9", "comments": [', good[1], "", good[2]]) + "\n",
                    encoding="utf-8")
    run = holdthread("check", "--format", "jsonl", path)
    assert run.exit_code == 2  # an unreadable record outranks findings
    assert [r["ticket_id"] for r in run.jsonl()] == ["T-1042", "T-2101", "T-2150"]
    assert f"{path}:2: error: line 2 is not valid JSON (column 1" in run.stderr
    assert run.stderr.count("error:") == 1


def test_jsonl_schema_error_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    lines = [json.dumps(ticket("Owner: @data-oncall.")), json.dumps({"id": "T-5", "comments": [{"id": "c1"}]})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = holdthread("check", "--format", "jsonl", path)
    assert run.exit_code == 2
    assert len(run.jsonl()) == 1
    assert f"{path}:2: error: $.comments[0].author: Field required" in run.stderr


def test_json_array_of_tickets(tmp_path: Path) -> None:
    tickets = [json.loads(line) for line in (EXAMPLES / "tickets.jsonl").read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps(tickets, indent=2), encoding="utf-8")
    run = holdthread("check", "--format", "json", path)
    assert run.exit_code == 1
    reports = run.json()
    assert isinstance(reports, list)
    assert [r["ticket_id"] for r in reports] == ["T-1042", "T-2101", "T-2150"]


def test_json_array_with_a_bad_item_names_its_index(tmp_path: Path) -> None:
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps([ticket("Owner: @data-oncall."), {"id": "T-2", "comments": "none"}]),
                    encoding="utf-8")
    run = holdthread("check", "--format", "jsonl", path)
    assert run.exit_code == 2
    assert len(run.jsonl()) == 1
    assert "$[1].comments: Input should be a valid list" in run.stderr


def test_several_files_and_a_missing_one(tmp_path: Path) -> None:
    run = holdthread("check", "--format", "jsonl", EXAMPLES / "escalation-good.md", tmp_path / "gone.md",
                     EXAMPLES / "check-request.json")
    assert run.exit_code == 2
    assert [r["verdict"] for r in run.jsonl()] == ["pass", "block"]
    assert f"{tmp_path / 'gone.md'}: error: cannot read: no such file or folder" in run.stderr


def test_crlf_notes_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(b"Owner: @data-oncall.\r\nThe export doesn't work for some users.\r\n")
    report = holdthread("check", "--format", "json", "--select", "vague-language", path).json()
    [first, *_] = report["annotations"]
    assert (first["line"], first["column"]) == (2, 12)
    assert first["text"] == "doesn't work"


def test_usage_errors_exit_2() -> None:
    assert holdthread("check").exit_code == 2
    run = holdthread("check", "--format", "xml", EXAMPLES / "escalation-good.md")
    assert run.exit_code == 2
    assert "unknown format 'xml'; choose one of:" in run.stderr
    assert holdthread("check", "--policy", "/nonexistent/holdthread.yaml",
                      EXAMPLES / "escalation-good.md").exit_code == 2


def test_html_table_cells_and_list_items_stay_apart() -> None:
    """Cells joined into one token ("INV-CW-22912026-02-01") would hide the value a rule reads."""
    table = "<table><tr><th>Invoice</th><th>Date</th></tr><tr><td>INV-CW-2291</td><td>2026-02-01</td></tr></table>"
    assert plain_text(table) == "Invoice\tDate\n\nINV-CW-2291\t2026-02-01"
    assert plain_text("<p>Orders:</p><ul><li>A-1</li><li>A-2</li></ul>") == "Orders:\n\n- A-1\n- A-2"
