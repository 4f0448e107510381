"""Hostile input records: each is one located rejection (audit), exit 2 (check) or InputError (API).

Each test reproduces a defect found by attacking holdthread for an hour: before the fix, these
inputs aborted an audit with a traceback, stopped reading a file half-way, or crashed ``check``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from core_helpers import holdthread

from holdthread import Linter
from holdthread.linter.errors import InputError
from holdthread.linter.text import html_to_text

LONE_SURROGATE = "\ud800"
DEEP = "[" * 5000 + "]" * 5000
HUGE_INT = "9" * 5000


def _ticket(ticket_id: str, body: str = "Escalating to billing: the export fails with error 500 since Monday.") -> str:
    return json.dumps(
        {
            "id": ticket_id,
            "comments": [{"id": f"{ticket_id}-1", "author": {"role": "agent"}, "public": False, "body": body}],
        }
    )


def _audit(tmp_path: Path, *args: str | Path) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    out = tmp_path / "out"
    run = holdthread("audit", *args, "--out", out, "--jobs", "1", "--no-cache")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rejected = [json.loads(line) for line in (out / "rejected.jsonl").read_text(encoding="utf-8").splitlines()]
    return summary["counts"], rejected, run.exit_code


def test_a_lone_surrogate_is_one_rejection_with_its_json_path_and_the_audit_goes_on(tmp_path: Path) -> None:
    export = tmp_path / "tickets.jsonl"
    # json.dumps writes the surrogate as the escape \ud800, as a broken integration would.
    export.write_text(
        "\n".join([_ticket("A"), _ticket("B", "stuck " + LONE_SURROGATE), _ticket("C")]) + "\n", encoding="utf-8"
    )
    counts, rejected, _ = _audit(tmp_path, export)
    assert (counts["read"], counts["linted"], counts["rejected"]) == (3, 2, 1)
    assert rejected[0]["line"] == 2 and rejected[0]["path"] == "$.comments[0].body"
    assert "surrogate" in rejected[0]["reason"]


def test_a_lone_surrogate_in_check_is_exit_2_with_a_located_message(tmp_path: Path) -> None:
    request = tmp_path / "request.json"
    request.write_text(
        json.dumps({"ticket": {"id": "T-1"}, "draft": {"body": "export " + LONE_SURROGATE}}), encoding="utf-8"
    )
    run = holdthread("check", request)
    assert run.exit_code == 2
    assert "$.draft.body" in run.stderr and "surrogate" in run.stderr


def test_the_python_api_answers_a_lone_surrogate_with_an_input_error() -> None:
    with pytest.raises(InputError) as caught:
        Linter().check_text("export fails " + LONE_SURROGATE)
    assert caught.value.problems[0].path == "$.draft.body"


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param('{"id": "B", "comments": [], "tags": ' + DEEP + "}", id="deeply-nested"),
        pytest.param('{"id": "B", "comments": [], "tags": ' + "[" * 80 + "]" * 80 + "}", id="nested-past-the-cap"),
        pytest.param('{"comments": [], "id": ' + HUGE_INT + "}", id="huge-integer"),
        pytest.param('{"id": "B", "priority": NaN, "comments": []}', id="nan"),
    ],
)
@pytest.mark.parametrize("position", [0, 1])
def test_one_bad_json_record_is_one_rejection_and_the_rest_of_the_file_is_read(
    tmp_path: Path, bad: str, position: int
) -> None:
    lines = [_ticket("A"), _ticket("C"), _ticket("D")]
    lines.insert(position, bad)
    export = tmp_path / "a.jsonl"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    other = tmp_path / "b.jsonl"
    other.write_text(_ticket("E") + "\n", encoding="utf-8")
    counts, rejected, _ = _audit(tmp_path, export, other)
    assert (counts["read"], counts["linted"], counts["rejected"]) == (5, 4, 1)
    assert rejected[0]["line"] == position + 1


def test_a_deep_record_in_a_json_list_rejects_that_record_alone(tmp_path: Path) -> None:
    records = [json.loads(_ticket("A")), {"id": "B", "tags": json.loads("[" * 80 + "]" * 80)}, json.loads(_ticket("C"))]
    export = tmp_path / "tickets.json"
    export.write_text(json.dumps({"tickets": records}, indent=1), encoding="utf-8")
    counts, rejected, _ = _audit(tmp_path, export, "--source", "jsonl")
    assert (counts["read"], counts["linted"], counts["rejected"]) == (3, 2, 1)
    assert rejected[0]["path"].startswith("$.tickets[1].tags[0][0]")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{"draft": {"body": "export broken"}, "ticket": {"id": "T", "tags": ' + DEEP + "}}", id="deep"),
        pytest.param('{"draft": {"body": "export broken"}, "ticket": {"id": ' + HUGE_INT + "}}", id="huge-integer"),
        pytest.param('{"ticket": {"id": "T"}, "draft": {"body": "export broken", "public": Infinity}}', id="infinity"),
    ],
)
def test_check_answers_exit_2_for_json_it_cannot_read(tmp_path: Path, text: str) -> None:
    request = tmp_path / "request.json"
    request.write_text(text, encoding="utf-8")
    run = holdthread("check", request)
    assert run.exit_code == 2
    assert "line 1, column" in run.stderr


def test_a_malformed_html_declaration_in_a_body_is_read_as_a_browser_would() -> None:
    assert html_to_text("<br><![ x") == ""
    assert html_to_text("<p>Export fails</p><br><![ after").startswith("Export fails")
    report = Linter().check(
        {
            "id": "T-1",
            "comments": [
                {"id": "c1", "author": {"role": "agent"}, "public": False, "body": "<p>Escalating</p><br><![ x"}
            ],
        }
    )
    assert report.ticket_id == "T-1"


def test_a_requester_named_with_a_single_space_is_a_requester_without_a_name() -> None:
    ticket = {
        "id": "T-1",
        "requester": {"name": " "},
        "comments": [{"id": "c1", "author": {"role": "customer"}, "body": "My export fails with error 500."}],
    }
    report = Linter().check(ticket, "Escalating to billing: export fails with error 500 for the customer.")
    assert report.ticket_id == "T-1"


def test_an_intercom_time_past_the_year_9999_rejects_that_conversation_alone(tmp_path: Path) -> None:
    def conversation(conversation_id: str, created_at: int) -> str:
        return json.dumps(
            {
                "type": "conversation",
                "id": conversation_id,
                "created_at": created_at,
                "source": {"id": "s", "body": "<p>My export fails</p>", "author": {"type": "user"}},
                "conversation_parts": {
                    "conversation_parts": [
                        {
                            "id": "p1",
                            "part_type": "note",
                            "body": "<p>Escalating to billing: export fails</p>",
                            "author": {"type": "admin", "id": "7"},
                            "created_at": 1_700_000_100,
                        }
                    ]
                },
            }
        )

    export = tmp_path / "intercom.jsonl"
    export.write_text(
        "\n".join([conversation("1", 1_700_000_000), conversation("2", 10**18), conversation("3", 1_700_000_000)])
        + "\n",
        encoding="utf-8",
    )
    counts, rejected, _ = _audit(tmp_path, export)
    assert (counts["read"], counts["linted"], counts["rejected"]) == (3, 2, 1)
    assert rejected[0]["path"] == "$.created_at"


def test_a_freshdesk_priority_that_is_a_list_rejects_that_ticket_alone(tmp_path: Path) -> None:
    """Found by the fuzz suite: ``"priority": [1]`` stopped the Freshdesk source (unhashable type)."""
    fixture = Path(__file__).parent / "fixtures" / "exports" / "freshdesk_tickets.jsonl"
    tickets = [json.loads(line) for line in fixture.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(tickets) >= 2
    tickets[0]["priority"] = [1]
    export = tmp_path / "freshdesk.jsonl"
    export.write_text("\n".join(json.dumps(t) for t in tickets) + "\n", encoding="utf-8")
    counts, rejected, _ = _audit(tmp_path, export, "--source", "freshdesk")
    assert (counts["read"], counts["rejected"]) == (len(tickets), 1)
    assert rejected[0]["path"] == "$.priority"
