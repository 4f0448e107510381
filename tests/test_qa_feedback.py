"""The false-alarm loop over real HTTP: finding ids, POST /v1/feedback, `holdthread feedback`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_helpers import BEARER, GOOD_ESCALATION, VAGUE_ESCALATION, ServerProcess, api_hmac_headers, generic_check

from holdthread.linter.models import Annotation, Report
from holdthread.linter.policy import FeedbackSettings, load_policy
from holdthread.linter.registry import default_registry
from holdthread.qa.feedback import report, tally
from holdthread.server.feedback import finding_ids

REASON = "The owner is named in the previous note, by handle."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path_factory.mktemp("feedback"))
    yield process
    process.stop()


def check(server: ServerProcess, body: str, ticket_id: str) -> dict[str, Any]:
    response = server.post("/v1/check", generic_check(body, ticket_id), BEARER)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def send_feedback(server: ServerProcess, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    """POST /v1/feedback; a finding is recorded just after its answer, so a 404 is retried briefly."""
    response = server.post("/v1/feedback", body, BEARER if headers is None else headers)
    for _ in range(50):
        if response.status_code != 404:
            break
        time.sleep(0.05)
        response = server.post("/v1/feedback", body, BEARER if headers is None else headers)
    return response


def feedback_json(server: ServerProcess, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "holdthread", "feedback", "--store", server.store, "--format", "json", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def db_rows(server: ServerProcess, table: str) -> list[dict[str, Any]]:
    with sqlite3.connect(server.store.removeprefix("sqlite:///")) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute(f"SELECT * FROM {table}")]


def test_a_false_alarm_round_trip_is_counted_under_its_rule(server: ServerProcess) -> None:
    answer = check(server, VAGUE_ESCALATION, "T-FB1")
    ids = [a["id"] for a in answer["annotations"]]
    assert ids and len(set(ids)) == len(ids)
    assert [a["id"] for a in check(server, VAGUE_ESCALATION, "T-FB1")["annotations"]] == ids  # stable
    vague = next(a for a in answer["annotations"] if a["rule"] == "vague-language")
    response = send_feedback(server, {"finding_id": vague["id"], "verdict": "false_alarm", "reason": REASON})
    assert response.status_code == 201, response.text
    assert response.json() == {
        "status": "recorded",
        "finding_id": vague["id"],
        "rule": "vague-language",
        "verdict": "false_alarm",
    }
    data = feedback_json(server)
    counted = data["rules"]["vague-language"]
    assert counted["false_alarms"] == 1 and counted["useful"] == 0 and counted["overrides"] == 0
    assert counted["findings"] == sum(1 for a in answer["annotations"] if a["rule"] == "vague-language")
    assert counted["false_alarm_rate"] == round(1 / counted["findings"], 4)
    (recorded,) = [r for r in db_rows(server, "holdthread_feedback") if r["finding_id"] == vague["id"]]
    assert recorded["rule"] == "vague-language" and recorded["agent"] == "Rahul Mehta"
    assert recorded["policy"] == answer["policy"]
    assert recorded["reason"] is None  # store.include_bodies is off: the agent's words are not kept


def test_useful_marks_and_overrides_are_counted_apart(server: ServerProcess) -> None:
    answer = check(server, VAGUE_ESCALATION, "T-FB2")
    owner = next(a for a in answer["annotations"] if a["rule"] == "missing-owner")
    assert answer["verdict"] == "block"
    assert send_feedback(server, {"finding_id": owner["id"], "verdict": "useful"}).status_code == 201
    override = {"finding_id": owner["id"], "verdict": "override", "reason": "Customer is waiting; owner is on a call"}
    assert send_feedback(server, override, api_hmac_headers(json.dumps(override).encode())).status_code == 201
    counted = feedback_json(server)["rules"]["missing-owner"]
    assert counted["useful"] >= 1 and counted["overrides"] >= 1


def test_feedback_refusals(server: ServerProcess) -> None:
    answer = check(server, VAGUE_ESCALATION, "T-FB3")
    known = answer["annotations"][0]["id"]
    send_feedback(server, {"finding_id": known, "verdict": "useful"})  # wait until the findings are recorded
    unknown = server.post("/v1/feedback", {"finding_id": "f_000000000000000000000000", "verdict": "useful"}, BEARER)
    assert unknown.status_code == 404 and "no answer carried this finding id" in unknown.json()["error"]
    bad_bodies: list[Any] = [
        {"verdict": "useful"},
        {"finding_id": known, "verdict": "wrong"},
        {"finding_id": known, "verdict": "useful", "note": "unexpected key"},
        {"finding_id": known, "verdict": "override"},  # an override needs its reason
        {"finding_id": known, "verdict": "false_alarm", "reason": "x" * 1001},
        ["not", "an", "object"],
        b"{not json",
    ]
    for body in bad_bodies:
        response = server.post("/v1/feedback", body, BEARER)
        assert response.status_code == 400, (body, response.text)
        assert "error" in response.json()
    assert server.post("/v1/feedback", {"finding_id": known, "verdict": "useful"}).status_code == 401
    wrong_type = server.post("/v1/feedback", b"finding_id=x", {**BEARER, "Content-Type": "text/plain"})
    assert wrong_type.status_code == 415


def test_no_note_text_is_stored_with_findings_or_feedback(server: ServerProcess) -> None:
    answer = check(server, VAGUE_ESCALATION, "T-FB4")
    quoted = {a["text"] for a in answer["annotations"] if a["text"]}
    assert send_feedback(server, {"finding_id": answer["annotations"][0]["id"], "verdict": "useful"}).status_code == 201
    for table in ("holdthread_findings", "holdthread_feedback"):
        cells = [str(value) for row in db_rows(server, table) for value in row.values()]
        assert not any(text in cell for text in quoted for cell in cells), table


def test_reasons_are_stored_when_the_policy_keeps_bodies(tmp_path: Path) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text("extends: recommended\nstore:\n  include_bodies: true\n", encoding="utf-8")
    keeping = ServerProcess(tmp_path, policy=str(policy))
    try:
        answer = check(keeping, VAGUE_ESCALATION, "T-FB5")
        finding = answer["annotations"][0]["id"]
        assert (
            send_feedback(keeping, {"finding_id": finding, "verdict": "false_alarm", "reason": REASON}).status_code
            == 201
        )
        (row,) = db_rows(keeping, "holdthread_feedback")
        assert row["reason"] == REASON
    finally:
        keeping.stop()


def test_the_feedback_command_on_an_empty_store_and_in_text(server: ServerProcess, tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "holdthread", "feedback", "--store", empty, "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rules"] == {}
    fired = {finding["rule"] for finding in check(server, GOOD_ESCALATION, "T-FB6")["annotations"]}
    assert fired, "the check must record findings for the table to list"
    text = subprocess.run(
        [sys.executable, "-m", "holdthread", "feedback", "--store", server.store, "--since", "1d"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert text.returncode == 0, text.stderr
    assert "False-alarm rate" in text.stdout
    assert all(rule in text.stdout for rule in fired)


def annotation(rule: str, text: str, comment_id: str | None = None) -> Annotation:
    return Annotation(
        rule=rule,
        severity="warning",
        message="m",
        comment_id=comment_id,
        start=0,
        end=len(text),
        line=1,
        column=1,
        text=text,
    )


def test_finding_ids_are_stable_and_tell_repeated_words_apart() -> None:
    first = Report(
        ticket_id="T-1",
        verdict="warn",
        score=90,
        annotations=[
            annotation("vague-language", "ASAP"),
            annotation("vague-language", "asap"),
            annotation("vague-language", "ASAP", "c1"),
        ],
    )
    ids = finding_ids(first)
    assert len(set(ids)) == 3
    moved = first.model_copy(update={"annotations": [a.model_copy(update={"start": 40}) for a in first.annotations]})
    assert finding_ids(moved) == ids  # an edit elsewhere in the note keeps the ids
    assert finding_ids(first.model_copy(update={"ticket_id": "T-2"})) != ids


def rows_for(rule: str, kinds: dict[str, tuple[int, int]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Shown findings and false-alarm marks: per kind, (findings, false alarms)."""
    shown, marks = [], []
    for kind, (total, false) in kinds.items():
        for n in range(total):
            finding_id = f"{rule}-{kind}-{n}"
            shown.append({"finding_id": finding_id, "rule": rule, "kind": kind})
            if n < false:
                marks.append({"finding_id": finding_id, "rule": rule, "kind": kind, "verdict": "false_alarm"})
    return shown, marks


def test_noisy_rules_are_named_with_the_change_that_would_quiet_them() -> None:
    policy = load_policy("recommended", default_registry())
    settings = FeedbackSettings(max_false_alarm_rate=0.1, min_findings=20)
    on_replies, _ = rows_for("repeated-ask", {"reply": (20, 8), "escalation": (20, 1)})
    everywhere, _ = rows_for("vague-language", {"reply": (20, 5), "escalation": (20, 5)})
    few, _ = rows_for("missing-owner", {"escalation": (5, 5)})
    shown = on_replies + everywhere + few
    marks = [
        m
        for rule, kinds in (
            ("repeated-ask", {"reply": (20, 8), "escalation": (20, 1)}),
            ("vague-language", {"reply": (20, 5), "escalation": (20, 5)}),
            ("missing-owner", {"escalation": (5, 5)}),
        )
        for m in rows_for(rule, kinds)[1]
    ]
    data = report(tally(shown, marks), policy, settings)
    assert data["rules"]["repeated-ask"] == {
        "findings": 40,
        "false_alarms": 9,
        "useful": 0,
        "overrides": 0,
        "false_alarm_rate": 0.225,
    }
    noisy = {item["rule"]: item for item in data["noisy"]}
    assert set(noisy) == {"repeated-ask", "vague-language"}  # missing-owner: too few findings to judge
    assert noisy["repeated-ask"]["change"] == {"targets": {"kinds": ["escalation"]}}
    assert noisy["repeated-ask"]["policy_yaml"] == "rules:\n  repeated-ask:\n    targets: {kinds: [escalation]}\n"
    assert noisy["vague-language"]["change"] == {"severity": "info"}  # warning in the recommended preset
