"""The service over real HTTP: every endpoint, every signature scheme, every refusal, the store.

One `holdthread serve --workers 2` process serves the whole module, on a free loopback port.
"""

from __future__ import annotations

import asyncio
import csv
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
from server_helpers import (
    API_TOKEN,
    BEARER,
    DJANGO_TOKEN,
    GOOD_ESCALATION,
    VAGUE_ESCALATION,
    ServerProcess,
    api_hmac_headers,
    django_helpdesk_body,
    freshdesk_app_body,
    generic_check,
    intercom_headers,
    intercom_note_event,
    zendesk_app_body,
    zendesk_comment_event,
    zendesk_headers,
)

from holdthread import Linter
from holdthread.linter.qa import SCORE_COLUMNS
from holdthread.server import payloads


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path_factory.mktemp("serve"), workers=2, args=["--max-inflight", "64"])
    yield process
    process.stop()
    log = process.log()
    # Note bodies never reach the logs, whatever happened.
    for text in (VAGUE_ESCALATION, GOOD_ESCALATION, "VPN disconnects every 10 minutes"):
        assert text not in log


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def rows(server: ServerProcess, where: str = "1=1", wait_for: int = 1) -> list[dict[str, Any]]:
    """Rows of the findings store (written just after each answer, so poll briefly)."""
    path = server.store.removeprefix("sqlite:///")
    found: list[dict[str, Any]] = []
    for _ in range(50):
        with sqlite3.connect(path) as db:
            db.row_factory = sqlite3.Row
            found = [dict(r) for r in db.execute(f"SELECT * FROM holdthread_checks WHERE {where}")]
        if len(found) >= wait_for:
            break
        time.sleep(0.05)
    return found


def expected(linter: Linter, converted: payloads.Converted) -> tuple[str, int, list[str]]:
    assert converted.request is not None
    report = linter.check(converted.request.ticket, converted.request.draft)
    return report.verdict, report.score, [a.rule for a in report.annotations]


def test_health_ready_and_metrics(server: ServerProcess) -> None:
    assert httpx.get(f"{server.url}/healthz").json()["status"] == "ok"
    ready = httpx.get(f"{server.url}/readyz").json()
    assert ready["status"] == "ready"
    assert ready["policy"]["sources"] == ["<preset recommended>"]
    server.post("/v1/check", generic_check(), BEARER)
    text = httpx.get(f"{server.url}/metrics").text
    assert 'holdthread_requests_total{endpoint="/v1/check",status="200"}' in text
    assert 'holdthread_findings_total{rule="missing-owner",severity="error"}' in text
    assert "holdthread_request_seconds_bucket" in text


def test_generic_check_blocks_a_vague_escalation_with_a_message(server: ServerProcess, linter: Linter) -> None:
    response = server.post("/v1/check", generic_check(), BEARER)
    assert response.status_code == 200
    answer = response.json()
    verdict, score, rules = expected(linter, payloads.from_generic(generic_check()))
    assert (answer["verdict"], answer["score"]) == (verdict, score) == ("block", score)
    assert [a["rule"] for a in answer["annotations"]] == rules
    assert answer["message"].startswith("Blocked:")
    assert "No next-step owner" in answer["message"]
    assert answer["timed_out"] is False
    assert set(answer) >= {"verdict", "score", "message", "annotations", "timed_out"}


def test_generic_check_accepts_an_hmac_signature(server: ServerProcess) -> None:
    raw = json.dumps(generic_check(GOOD_ESCALATION)).encode()
    response = server.post("/v1/check", raw, api_hmac_headers(raw))
    assert response.status_code == 200, response.text
    assert response.json()["verdict"] != "block"
    stale = api_hmac_headers(raw, timestamp=int(time.time()) - 3600)
    assert server.post("/v1/check", raw, stale).status_code == 401
    tampered = api_hmac_headers(raw)
    assert server.post("/v1/check", raw.replace(b"Friday", b"Monday"), tampered).status_code == 401


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token"},
                                     {"Authorization": f"Basic {API_TOKEN}"}])
def test_generic_and_app_endpoints_refuse_bad_credentials(server: ServerProcess, headers: dict[str, str]) -> None:
    for path, body in (("/v1/check", generic_check()), ("/v1/zendesk/check", zendesk_app_body()),
                       ("/v1/freshdesk/check", freshdesk_app_body("Hi Dana"))):
        response = server.post(path, body, headers)
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert "error" in response.json()


def test_zendesk_app_check(server: ServerProcess, linter: Linter) -> None:
    response = server.post("/v1/zendesk/check", zendesk_app_body(), BEARER)
    assert response.status_code == 200
    answer = response.json()
    assert (answer["verdict"], answer["score"], [a["rule"] for a in answer["annotations"]]) == expected(
        linter, payloads.from_zendesk_app(zendesk_app_body()))
    assert "vague-language" in [a["rule"] for a in answer["annotations"]]
    assert answer["ticket_id"] == "4812"


def test_freshdesk_app_check_flags_asking_again(server: ServerProcess, linter: Linter) -> None:
    body = freshdesk_app_body("Hi Dana, sorry for the wait. Could you send me your order number so I can check?")
    answer = server.post("/v1/freshdesk/check", body, BEARER).json()
    assert (answer["verdict"], answer["score"], [a["rule"] for a in answer["annotations"]]) == expected(
        linter, payloads.from_freshdesk_app(body))
    assert "repeated-ask" in [a["rule"] for a in answer["annotations"]]


def test_freshdesk_app_payload_reads_the_documented_ticket_conversation_and_agent_fields() -> None:
    body = freshdesk_app_body("Thanks Dana, the refund for order 1182 went out today.")
    request = payloads.from_freshdesk_app(body).request
    assert request is not None and request.draft is not None
    ticket = request.ticket
    assert (ticket.id, ticket.subject, ticket.type, ticket.tags) == ("733", "Charged twice", "Refund", ["billing"])
    assert (ticket.status, ticket.priority, ticket.group) == ("open", "high", "7001")
    assert ticket.requester is not None and ticket.requester.id == "5001"
    assert ticket.assignee is not None and ticket.assignee.id == "6001"
    assert ticket.created_at is not None and ticket.created_at.isoformat() == "2026-11-20T10:00:00+00:00"
    description, message = ticket.comments
    assert (description.body, description.author.role, description.author.id) == (
        "I was charged twice for order 1182.", "customer", "5001")
    assert (message.id, message.body, message.author.role, message.public) == (
        "9001", "Any update? My order number is 1182.", "customer", True)
    assert message.created_at is not None and message.created_at.isoformat() == "2026-11-20T11:00:00+00:00"
    author = request.draft.author
    assert author is not None and (author.id, author.name, author.email) == ("6001", "Rahul Agent", "rahul@example.com")
    assert request.draft.public is True and request.draft.body.startswith("Thanks Dana")


def test_freshdesk_app_payload_roles_and_html_fallbacks_match_the_export_source() -> None:
    body = freshdesk_app_body("Hi Dana, checking with billing now.")
    ticket_fields = {k: v for k, v in body["ticket"].items() if k != "description_text"}
    body["ticket"] = {**ticket_fields, "description": "<p>I was charged twice.</p>"}
    body["conversations"] = [
        # The requester's public note (not incoming) is the customer's; HTML body when no body_text.
        {"id": 9002, "body": "<div>Statement attached.</div>", "private": False, "incoming": False, "user_id": 5001},
        # A private note is an agent's even when it was created from outside.
        {"id": 9003, "body_text": "Bank says chargeback.", "private": True, "incoming": True, "user_id": 6002},
        {"id": 9004, "body_text": "Refund queued.", "private": False, "incoming": False, "user_id": 6002},
    ]
    body["reply"] = {"body_text": "Hi Dana, checking with billing now.", "private": True}
    request = payloads.from_freshdesk_app(body).request
    assert request is not None and request.draft is not None
    assert [(c.body, c.author.role, c.public) for c in request.ticket.comments] == [
        ("<p>I was charged twice.</p>", "customer", True), ("<div>Statement attached.</div>", "customer", True),
        ("Bank says chargeback.", "agent", False), ("Refund queued.", "agent", True)]
    assert request.draft.public is False


SCREENSHOT_ASK = "Could you send a screenshot of the error?"


def with_attachments(helpdesk: str, draft: str = SCREENSHOT_ASK) -> dict[str, Any]:
    """An app or webhook payload whose customer sent a screenshot earlier in the thread, each in
    the helpdesk's own attachment fields, and whose public draft is ``draft``."""
    if helpdesk == "zendesk":
        body = zendesk_app_body(draft)
        body["comment"]["type"] = "publicReply"
        body["ticket"]["comments"][0]["attachments"] = [{
            "id": 498120331, "file_name": "refund-error.png", "content_type": "image/png", "size": 88120,
            "content_url": "https://acme.zendesk.com/attachments/token/Xq8rT2/?name=refund-error.png"}]
        return body
    if helpdesk == "freshdesk":
        body = freshdesk_app_body(draft)
        body["ticket"]["attachments"] = [{"id": 1, "name": "order-1182.pdf", "content_type": "application/pdf",
                                          "size": 20480, "attachment_url": "https://s3.example/order-1182.pdf"}]
        body["conversations"][0]["attachments"] = [{
            "id": 2, "name": "double-charge.jpg", "content_type": "image/jpeg", "size": 51200,
            "attachment_url": "https://s3.example/double-charge.jpg"}]
        return body
    event = intercom_note_event(notification="notif_attach")
    event["topic"] = "conversation.admin.replied"
    conversation = event["data"]["item"]
    conversation["source"]["attachments"] = [{"type": "upload", "name": "invoice-no-vat.png",
                                              "url": "https://downloads.example/i.png", "content_type": "image/png",
                                              "filesize": 64000, "width": 800, "height": 600}]
    parts = conversation["conversation_parts"]["conversation_parts"]
    # The customer then sends only a file: kept in the thread with an empty body.
    parts.insert(1, {"id": "p1b", "part_type": "comment", "body": None, "created_at": 1764062000,
                     "author": {"type": "user", "id": "u-9", "name": "Ines Duarte"},
                     "attachments": [{"type": "upload", "name": "invoice.pdf", "content_type": "application/pdf",
                                      "filesize": 30000, "url": "https://downloads.example/invoice.pdf"}]})
    parts[-1].update(part_type="comment", body=f"<p>{draft}</p>")
    return event


def test_app_and_webhook_payloads_carry_the_thread_attachments_as_name_type_and_size() -> None:
    zendesk = payloads.from_zendesk_app(with_attachments("zendesk")).request
    assert zendesk is not None
    [comment] = zendesk.ticket.comments
    assert [(a.name, a.content_type, a.size) for a in comment.attachments] == [("refund-error.png", "image/png", 88120)]
    freshdesk = payloads.from_freshdesk_app(with_attachments("freshdesk")).request
    assert freshdesk is not None
    assert [[(a.name, a.content_type, a.size) for a in c.attachments] for c in freshdesk.ticket.comments] == [
        [("order-1182.pdf", "application/pdf", 20480)], [("double-charge.jpg", "image/jpeg", 51200)]]
    intercom = payloads.from_intercom_webhook(with_attachments("intercom")).request
    assert intercom is not None and intercom.draft is not None
    assert [(c.id, c.body, [(a.name, a.content_type, a.size) for a in c.attachments])
            for c in intercom.ticket.comments] == [
        ("src1", "<p>The invoice PDF for November has no VAT number.</p>",
         [("invoice-no-vat.png", "image/png", 64000)]),
        ("p1", "<p>Thanks Ines, checking now.</p>", []),
        ("p1b", "", [("invoice.pdf", "application/pdf", 30000)])]
    assert intercom.draft.body == f"<p>{SCREENSHOT_ASK}</p>" and intercom.draft.public is True


def test_a_ticket_opened_with_only_a_file_keeps_it_as_the_first_comment() -> None:
    body = with_attachments("freshdesk", "Thanks, checking now.")
    body["ticket"]["description_text"] = ""
    request = payloads.from_freshdesk_app(body).request
    assert request is not None
    first = request.ticket.comments[0]
    assert (first.body, first.author.role, [a.name for a in first.attachments]) == ("", "customer", ["order-1182.pdf"])


@pytest.mark.parametrize(("helpdesk", "path", "file_name"), [
    ("zendesk", "/v1/zendesk/check", "refund-error.png"),
    ("freshdesk", "/v1/freshdesk/check", "double-charge.jpg"),
    ("intercom", "/v1/intercom/webhook", "invoice-no-vat.png"),
])
def test_asking_again_for_an_attached_screenshot_is_a_repeated_ask(server: ServerProcess, helpdesk: str, path: str,
                                                                   file_name: str) -> None:
    raw = json.dumps(with_attachments(helpdesk)).encode()
    headers = intercom_headers(raw) if helpdesk == "intercom" else BEARER
    response = server.post(path, raw, headers)
    assert response.status_code == 200, response.text
    found = [e["text"] for a in response.json()["annotations"] if a["rule"] == "repeated-ask" for e in a["evidence"]]
    assert f"attachment {file_name}" in found


@pytest.mark.parametrize(("helpdesk", "path", "spoil", "pointer"), [
    ("zendesk", "/v1/zendesk/check", lambda b: b["ticket"]["comments"][0].update(attachments="refund-error.png"),
     "/ticket/comments/0/attachments"),
    ("freshdesk", "/v1/freshdesk/check", lambda b: b["conversations"][0].update(attachments=["double-charge.jpg"]),
     "/conversations/0/attachments/0"),
    ("freshdesk", "/v1/freshdesk/check", lambda b: b["ticket"].update(attachments={"name": "order-1182.pdf"}),
     "/ticket/attachments"),
    ("intercom", "/v1/intercom/webhook",
     lambda b: b["data"]["item"]["conversation_parts"]["conversation_parts"][1].update(attachments=[{"name": 7}]),
     "/data/item/conversation_parts/conversation_parts/1/attachments/0/name"),
])
def test_malformed_attachments_are_refused_with_their_pointer(server: ServerProcess, helpdesk: str, path: str,
                                                              spoil: Any, pointer: str) -> None:
    body = with_attachments(helpdesk)
    if helpdesk == "intercom":
        body["id"] = f"notif_bad_{len(pointer)}"  # a new delivery, never taken for a repeat of the good one
    spoil(body)
    raw = json.dumps(body).encode()
    response = server.post(path, raw, intercom_headers(raw) if helpdesk == "intercom" else BEARER)
    assert response.status_code == 400, response.text
    assert pointer in [p["pointer"] for p in response.json()["problems"]]


def test_zendesk_webhook_signed_recorded_and_deduplicated(server: ServerProcess) -> None:
    raw = json.dumps(zendesk_comment_event(ticket_id="50001")).encode()
    first = server.post("/v1/zendesk/webhook", raw, zendesk_headers(raw, invocation="inv-50001"))
    assert first.status_code == 200, first.text
    assert first.json()["delivery_id"] == "inv-50001"
    again = server.post("/v1/zendesk/webhook", raw, zendesk_headers(raw, invocation="inv-50001"))
    assert again.json() == {"status": "duplicate", "delivery_id": "inv-50001"}
    recorded = rows(server, "ticket_id = '50001'")
    assert len(recorded) == 1
    assert recorded[0]["source"] == "zendesk-webhook"
    assert recorded[0]["verdict"] == first.json()["verdict"]
    assert recorded[0]["body"] is None
    assert all("text" not in a for a in json.loads(recorded[0]["annotations"]))


def test_zendesk_webhook_signature_failures(server: ServerProcess) -> None:
    raw = json.dumps(zendesk_comment_event(ticket_id="50002")).encode()
    wrong_key = zendesk_headers(raw, secret="bm90IHRoZSBzZWNyZXQ=", invocation="inv-50002")
    assert server.post("/v1/zendesk/webhook", raw, wrong_key).status_code == 401
    stale = zendesk_headers(raw, timestamp="2026-11-25T08:00:00Z", invocation="inv-50002")
    assert server.post("/v1/zendesk/webhook", raw, stale).status_code == 401
    assert server.post("/v1/zendesk/webhook", raw, {"X-Zendesk-Webhook-Invocation-Id": "x"}).status_code == 401
    # Zendesk's documented test vector is a valid signature, but from 2021: outside the window.
    vector = b'{"event":"ticket.updated","id":123}'
    headers = {"X-Zendesk-Webhook-Signature": "S/RDdU2ERmj7LHDDoWJ2onPYH+t7/f2+LTM4dL7UiLM=",
               "X-Zendesk-Webhook-Signature-Timestamp": "2021-03-25T05:09:27Z"}
    response = server.post("/v1/zendesk/webhook", vector, headers)
    assert response.status_code == 401
    assert "5 minutes" in response.json()["error"]
    assert rows(server, "ticket_id = '50002'", wait_for=0) == []


def test_zendesk_webhook_ignores_other_events_and_customer_comments(server: ServerProcess) -> None:
    event = zendesk_comment_event(ticket_id="50003")
    event["event"]["comment"]["author"]["is_staff"] = False
    raw = json.dumps(event).encode()
    response = server.post("/v1/zendesk/webhook", raw, zendesk_headers(raw, invocation="inv-50003"))
    assert response.status_code == 202
    assert "end user" in response.json()["reason"]


def test_intercom_webhook(server: ServerProcess, linter: Linter) -> None:
    raw = json.dumps(intercom_note_event(notification="notif_a1")).encode()
    response = server.post("/v1/intercom/webhook", raw, intercom_headers(raw))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["verdict"], answer["score"], [a["rule"] for a in answer["annotations"]]) == expected(
        linter, payloads.from_intercom_webhook(intercom_note_event()))
    assert server.post("/v1/intercom/webhook", raw, intercom_headers(raw)).json()["status"] == "duplicate"
    assert server.post("/v1/intercom/webhook", raw, intercom_headers(raw, "other")).status_code == 401
    assert server.post("/v1/intercom/webhook", raw).status_code == 401


def test_django_helpdesk_webhook_token(server: ServerProcess) -> None:
    body = django_helpdesk_body()
    assert server.post(f"/v1/django-helpdesk/webhook?token={DJANGO_TOKEN}", body).status_code == 200
    again = server.post("/v1/django-helpdesk/webhook", body, {"X-Holdthread-Token": DJANGO_TOKEN})
    assert again.json()["status"] == "duplicate"
    assert server.post("/v1/django-helpdesk/webhook?token=guess", body).status_code == 401
    assert server.post("/v1/django-helpdesk/webhook", body).status_code == 401
    assert DJANGO_TOKEN not in server.log()


def test_body_over_the_limit_is_refused_while_streaming(server: ServerProcess) -> None:
    big = json.dumps(generic_check("Escalating. " * 30_000)).encode()
    assert len(big) > 256 * 1024
    declared = server.post("/v1/check", big, BEARER)
    assert declared.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer encoding
        for start in range(0, len(big), 16_384):
            yield big[start:start + 16_384]

    streamed = httpx.post(f"{server.url}/v1/check", content=chunks(),
                          headers={"Content-Type": "application/json", **BEARER}, timeout=30)
    assert streamed.status_code == 413
    assert "256" in streamed.json()["error"]


def test_wrong_content_type(server: ServerProcess) -> None:
    response = server.post("/v1/check", b"ticket=1", {**BEARER, "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415


@pytest.mark.parametrize(("path", "body", "pointer"), [
    ("/v1/check", b'{"ticket": {"id": "T-1"}, "draft": {"body": "x"', ""),
    ("/v1/check", json.dumps({"ticket": {"id": "T-1", "comments": [{"id": "c1", "author": {}}]}}).encode(),
     "/ticket/comments/0/body"),
    ("/v1/check", json.dumps({"draft": {"body": "Escalating"}}).encode(), "/ticket"),
    ("/v1/zendesk/check", json.dumps({**zendesk_app_body(), "comment": {"type": "internalNote"}}).encode(),
     "/comment/text"),
    ("/v1/freshdesk/check", json.dumps({**freshdesk_app_body("Hi"), "conversations": [{"body_text": "x"}]}).encode(),
     "/conversations/0/id"),
    ("/v1/check", b"[1, 2]", ""),
])
def test_malformed_and_invalid_bodies_point_at_the_problem(server: ServerProcess, path: str, body: bytes,
                                                           pointer: str) -> None:
    response = server.post(path, body, BEARER)
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert pointer in [p["pointer"] for p in problems]


def test_concurrent_requests_are_all_answered(server: ServerProcess, linter: Linter) -> None:
    notes = [VAGUE_ESCALATION, GOOD_ESCALATION, "Handing over to @tier2-sync: Jo Lee owns it, due Monday."]
    wanted = {note: expected(linter, payloads.from_generic(generic_check(note)))[0] for note in notes}

    async def run() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=server.url, headers=BEARER, timeout=30) as client:
            return await asyncio.gather(*(client.post("/v1/check", json=generic_check(notes[i % 3], f"T-C{i}"))
                                          for i in range(60)))

    responses = asyncio.run(run())
    assert [r.status_code for r in responses] == [200] * 60
    for index, response in enumerate(responses):
        assert response.json()["verdict"] == wanted[notes[index % 3]]
    assert len(rows(server, "ticket_id LIKE 'T-C%'", wait_for=60)) == 60


def test_scores_command_writes_the_audit_csv(server: ServerProcess, tmp_path: Path) -> None:
    server.post("/v1/zendesk/check", zendesk_app_body(ticket_id=7001), BEARER)
    rows(server, "ticket_id = '7001'")
    out = tmp_path / "scores.csv"
    done = subprocess.run([sys.executable, "-m", "holdthread", "scores", "--store", server.store, "--since", "7d",
                           "--out", str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(table[0]) == list(SCORE_COLUMNS)  # the audit's fixed columns, whatever the policy's rules
    by_key = {(row["ticket_id"], row["agent"]): row for row in table}
    row = by_key["7001", "Rahul Agent"]
    assert row["team"] == "Billing"
    assert row["category"] == "Handoff quality"
    assert int(row["findings"]) >= 1 and row["result"] == "fail"
    assert len(by_key) == len(table)  # one row per ticket and agent
