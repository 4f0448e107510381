"""The service under attack: every hostile request is refused cleanly (4xx), never a 500, a
forged log line or a stalled worker. Connection-level cases run over real HTTP on loopback; the
request-parsing cases run through the ASGI app in process."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_helpers import (
    API_TOKEN,
    BEARER,
    ZENDESK_SECRET,
    ServerProcess,
    api_hmac_headers,
    generic_check,
    in_process_client,
    zendesk_app_body,
    zendesk_headers,
)
from starlette.testclient import TestClient

from holdthread.audit.report import CSP, SCRIPT
from holdthread.server.credentials import Secret, read_secret
from holdthread.server.signatures import AuthError, verify_api, verify_zendesk

KNOWN_ISSUE = "known issue, " * 4000  # quadratic in unsupported-claim: seconds of work per check


# --- over real HTTP ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    tmp = tmp_path_factory.mktemp("hostile")
    policy = tmp / "holdthread.yaml"
    policy.write_text("extends: recommended\nlimits:\n  time_budget_ms: 300\n", encoding="utf-8")
    process = ServerProcess(tmp, policy=str(policy), args=["--client-timeout", "1", "--max-connections", "20"])
    yield process
    process.stop()


def _connect(server: ServerProcess) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    return sock


def _read_all(sock: socket.socket) -> bytes | None:
    """Everything the server sends until it closes the connection; None if it keeps it open."""
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except ConnectionResetError:
        pass
    except TimeoutError:
        return None
    return b"".join(chunks)


def test_a_bad_token_is_refused_before_the_body_is_sent(server: ServerProcess) -> None:
    with _connect(server) as sock:
        sock.sendall(
            b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer wrong\r\nContent-Length: 200000\r\n\r\n"
        )
        answer = _read_all(sock)  # the body is never sent: an answer proves it was not waited for
    assert answer is not None and answer.startswith(b"HTTP/1.1 401"), answer


def test_a_slow_client_is_cut_off_and_the_worker_keeps_answering(server: ServerProcess) -> None:
    with _connect(server) as sock:
        sock.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\n")  # ... and never the rest
        sock.settimeout(15)  # --client-timeout is 1 s: the server closes long before this
        assert _read_all(sock) == b""
    assert httpx.get(f"{server.url}/readyz", timeout=5).status_code == 200


def _eventually(check: Callable[[], bool], within: float = 15.0) -> bool:
    """Whether ``check`` becomes true within ``within`` seconds (polled): a wait, not a timing."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _readyz_answers(server: ServerProcess) -> bool:
    try:
        return httpx.get(f"{server.url}/readyz", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def test_connections_past_the_cap_are_refused_and_idle_ones_time_out(server: ServerProcess) -> None:
    held = [_connect(server) for _ in range(30)]
    try:
        answers = [_read_all(sock) for sock in held[-5:]]  # the last ones are past --max-connections 20
        assert all(answer is not None and answer.startswith(b"HTTP/1.1 503") for answer in answers), answers
        # Past --client-timeout the half-open ones are closed by the server, which answers again.
        assert _eventually(lambda: _readyz_answers(server))
    finally:
        for sock in held:
            sock.close()


def test_a_client_that_goes_away_is_neither_an_error_nor_a_500(server: ServerProcess) -> None:
    with _connect(server) as sock:
        sock.sendall(
            b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + API_TOKEN.encode() + b'\r\nContent-Length: 5000\r\n\r\n{"ticket"'
        )
    counted = 'holdthread_requests_total{endpoint="/v1/check",status="499"}'
    assert _eventually(lambda: counted in httpx.get(f"{server.url}/metrics", timeout=5).text)
    assert 'status="500"' not in httpx.get(f"{server.url}/metrics", timeout=5).text
    assert "ERROR" not in server.log()


def test_a_ticket_id_cannot_forge_a_log_line(server: ServerProcess) -> None:
    forged = "T-1\nINFO:     [1] holdthread: /v1/check ticket=FORGED verdict=pass"
    response = server.post("/v1/check", generic_check("Escalating to @billing-oncall: refund failed.", forged), BEARER)
    assert response.status_code == 200
    assert _eventually(lambda: "T-1\\nINFO:" in server.log())
    assert not [line for line in server.log().splitlines() if "ticket=FORGED" in line and "T-1" not in line]
    assert "T-1\\nINFO:" in server.log()


def test_a_check_past_its_budget_does_not_hold_the_worker(server: ServerProcess) -> None:
    slow = server.post("/v1/check", generic_check(KNOWN_ISSUE, "T-SLOW"), BEARER)
    assert slow.json()["timed_out"] is True
    # Queued behind the slow lint, this check would time out too (its budget is 300 ms).
    quick = server.post("/v1/check", generic_check("Escalating to @billing-oncall: refund failed.", "T-Q"), BEARER)
    assert quick.status_code == 200 and quick.json()["timed_out"] is False
    assert "holdthread_abandoned_lints_total 1.0" in httpx.get(f"{server.url}/metrics", timeout=5).text


# --- in process, through the ASGI app ------------------------------------------------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with in_process_client(tmp_path_factory.mktemp("asgi")) as test_client:
        yield test_client


def _post(
    client: TestClient, raw: bytes | str, headers: dict[str, str] | None = None, path: str = "/v1/check"
) -> httpx.Response:
    content = raw.encode("utf-8") if isinstance(raw, str) else raw
    return client.post(path, content=content, headers={"Content-Type": "application/json", **(headers or BEARER)})


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param('{"ticket": {"id": "T-1"}, "draft": {"body": "export ' + "\\ud800" + '"}}', id="lone-surrogate"),
        pytest.param(
            '{"ticket": {"id": "T-1", "tags": ' + "[" * 5000 + "]" * 5000 + '}, "draft": {"body": "x"}}', id="deep-json"
        ),
        pytest.param(
            '{"ticket": {"id": "T-1", "tags": ' + "[" * 80 + "]" * 80 + '}, "draft": {"body": "x"}}',
            id="nested-past-the-cap",
        ),
        pytest.param('{"ticket": {"id": ' + "9" * 5000 + '}, "draft": {"body": "x"}}', id="huge-integer"),
        pytest.param('{"ticket": {"id": "T-1"}, "draft": {"body": "x", "public": NaN}}', id="nan"),
        pytest.param('{"ticket": {"id": "T-1", "priority": Infinity}, "draft": {"body": "x"}}', id="infinity"),
    ],
)
def test_unreadable_bodies_are_400_with_a_pointer(client: TestClient, raw: str) -> None:
    response = _post(client, raw)
    assert response.status_code == 400, response.text
    assert response.json()["problems"]


def test_a_lone_surrogate_in_a_helpdesk_payload_is_400_at_its_pointer(client: TestClient) -> None:
    body = json.dumps(zendesk_app_body("Escalating: export \ud800 fails"))
    response = _post(client, body, path="/v1/zendesk/check")
    assert response.status_code == 400
    assert response.json()["problems"][0]["pointer"] == "/comment/text"


@pytest.mark.parametrize(
    ("draft", "ticket"),
    [
        pytest.param("<p>Escalating to @billing-oncall</p><br><![ x", {"id": "T-1"}, id="html-declaration"),
        pytest.param(
            "Escalating to @billing-oncall: refund failed.",
            {"id": "T-1", "requester": {"name": " "}},
            id="requester-named-space",
        ),
    ],
)
def test_bodies_that_crashed_the_lint_are_answered(client: TestClient, draft: str, ticket: dict[str, Any]) -> None:
    response = _post(client, json.dumps({"ticket": ticket, "draft": {"body": draft}}))
    assert response.status_code == 200, response.text


def test_signature_headers_that_are_not_ascii_are_401(client: TestClient) -> None:
    raw = json.dumps(generic_check()).encode()
    headers = api_hmac_headers(raw)
    for name in ("X-Holdthread-Signature", "X-Holdthread-Timestamp"):
        sent = {**headers, name: headers[name] + "é"}
        response = client.post(
            "/v1/check",
            content=raw,
            headers={"Content-Type": "application/json", **{k: v.encode("latin-1") for k, v in sent.items()}},
        )
        assert response.status_code == 401, response.text
    zendesk = {**zendesk_headers(raw), "X-Zendesk-Webhook-Signature": "é"}
    response = client.post(
        "/v1/zendesk/webhook",
        content=raw,
        headers={"Content-Type": "application/json", **{k: v.encode("latin-1") for k, v in zendesk.items()}},
    )
    assert response.status_code == 401


# --- units --------------------------------------------------------------------------------------


def test_a_signed_request_stamped_nan_or_infinity_is_refused() -> None:
    secret = Secret("k")
    for stamp in ("nan", "NaN", "inf", "-inf", "1e999"):
        from holdthread.server.signatures import api_signature

        headers = {"x-holdthread-signature": api_signature(secret, stamp, b"{}"), "x-holdthread-timestamp": stamp}
        with pytest.raises(AuthError, match="5 minutes"):
            verify_api(headers, b"{}", None, secret)


def test_a_zendesk_timestamp_without_a_zone_is_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14: read as local time, it is 14 hours off
    time.tzset()
    try:
        stamp = "2026-03-02T10:00:00"
        now = 1772445600.0  # 2026-03-02T10:00:00Z
        raw = b'{"type": "x"}'
        headers = {k.lower(): v for k, v in zendesk_headers(raw, timestamp=stamp).items()}
        verify_zendesk(headers, raw, Secret(ZENDESK_SECRET), now=now)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_secret_file_is_read_up_to_its_first_line(tmp_path: Path) -> None:
    secret = tmp_path / "token"
    secret.write_text("s3cret-token\nrotated 2026-03-01 by ops\n", encoding="utf-8")
    found = read_secret("API_TOKEN", {"HOLDTHREAD_API_TOKEN_FILE": str(secret)})
    assert found is not None and found.value == "s3cret-token"


def test_the_report_allows_only_its_own_inline_script() -> None:
    script_sources = re.search(r"script-src ([^;]+)", CSP)
    assert script_sources is not None
    assert "unsafe-inline" not in script_sources.group(1)
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode()
    assert script_sources.group(1).strip() == f"'sha256-{digest}'"
