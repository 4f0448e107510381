"""Helpers for the service tests: a real `holdthread serve` process on a free loopback port,
realistic helpdesk payloads, and signing helpers that follow each helpdesk's documented scheme."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from holdthread.server.app import create_app
from holdthread.server.settings import ServerSettings

API_TOKEN = "ht-test-api-token-5f2c"
API_SECRET = "ht-test-api-hmac-key-91ab"
ZENDESK_SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="
INTERCOM_SECRET = "ic-client-secret-77d1"
DJANGO_TOKEN = "dh-shared-token-0c4e"
SECRET_ENV = {
    "HOLDTHREAD_API_TOKEN": API_TOKEN,
    "HOLDTHREAD_API_SECRET": API_SECRET,
    "HOLDTHREAD_ZENDESK_SECRET": ZENDESK_SECRET,
    "HOLDTHREAD_INTERCOM_SECRET": INTERCOM_SECRET,
    "HOLDTHREAD_DJANGO_HELPDESK_TOKEN": DJANGO_TOKEN,
}
BEARER = {"Authorization": f"Bearer {API_TOKEN}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """`python -m holdthread serve` as a subprocess; waits for /readyz, stops with SIGTERM."""

    def __init__(self, tmp: Path, *, policy: str | None = None, workers: int = 1, args: Sequence[str] = (),
                 env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.store = f"sqlite:///{tmp / 'findings.db'}"
        self.log_path = tmp / f"server-{self.port}.log"
        command = [sys.executable, "-m", "holdthread", "serve", "--port", str(self.port), "--workers", str(workers),
                   "--store", self.store, *args]
        if policy is not None:
            command += ["--policy", policy]
        full_env = {**os.environ, **SECRET_ENV, **(env or {})}
        full_env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, env=full_env, cwd=tmp)
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server not ready in {timeout}s:\n{self.log()}")

    def wait_workers(self, count: int, timeout: float = 60) -> None:
        """Wait until ``count`` different worker processes have answered /readyz."""
        seen: set[int] = set()
        deadline = time.monotonic() + timeout
        while len(seen) < count:
            assert time.monotonic() < deadline, f"only {len(seen)} workers ready:\n{self.log()}"
            response = httpx.get(f"{self.url}/readyz", timeout=5)
            if response.status_code == 200:
                seen.add(response.json()["pid"])

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def hup(self) -> None:
        self.process.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        return httpx.post(f"{self.url}{path}", content=raw, headers=all_headers, timeout=30, **kwargs)


def zendesk_headers(raw: bytes, *, secret: str = ZENDESK_SECRET, timestamp: str | None = None,
                    invocation: str = "inv-1") -> dict[str, str]:
    timestamp = timestamp or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hmac.new(secret.encode(), timestamp.encode() + raw, hashlib.sha256).digest()
    return {"X-Zendesk-Webhook-Signature": base64.b64encode(digest).decode(),
            "X-Zendesk-Webhook-Signature-Timestamp": timestamp,
            "X-Zendesk-Webhook-Invocation-Id": invocation, "X-Zendesk-Webhook-Id": "01HWEBHOOK"}


def intercom_headers(raw: bytes, secret: str = INTERCOM_SECRET) -> dict[str, str]:
    return {"X-Hub-Signature": "sha1=" + hmac.new(secret.encode(), raw, hashlib.sha1).hexdigest()}


def api_hmac_headers(raw: bytes, *, timestamp: int | None = None, secret: str = API_SECRET) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = hmac.new(secret.encode(), ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
    return {"X-Holdthread-Signature": f"sha256={signature}", "X-Holdthread-Timestamp": ts}


# --- realistic payloads ----------------------------------------------------------------------

VAGUE_ESCALATION = "Customer says the CSV export doesn't work, pls check ASAP."
GOOD_ESCALATION = (
    "Escalating to Tier 2 billing. Owner: Priya Shah (@billing-oncall) will confirm the duplicate charge "
    "for order 1182 and refund it by Friday 17:00 UTC. Charge ids ch_3PqA and ch_3PqB, both 49.00 EUR on 2026-11-20."
)


def generic_check(body: str = VAGUE_ESCALATION, ticket_id: str = "T-1042") -> dict[str, Any]:
    return {
        "ticket": {
            "id": ticket_id, "subject": "CSV export fails for the March report", "type": "incident",
            "priority": "high", "tags": ["reports", "export"], "group": "Tier 1",
            "comments": [{"id": "c1", "author": {"name": "Dana Okafor", "role": "customer"}, "public": True,
                          "body": "Since this morning the CSV export of the March sales report spins forever "
                                  "and then shows 'Error 504'. Account acme-eu, Chrome 131."}],
        },
        "draft": {"body": body, "kind": "escalation", "public": False,
                  "author": {"name": "Rahul Mehta", "role": "agent"}},
    }


def zendesk_app_body(text: str = VAGUE_ESCALATION, ticket_id: int = 4812) -> dict[str, Any]:
    return {
        "ticket": {
            "id": ticket_id, "subject": "Refund for order 1182", "status": "open", "priority": "high",
            "type": "incident", "tags": ["refund", "vip"],
            "requester": {"id": 11, "name": "Dana Customer", "email": "dana@example.org"},
            "assignee": {"user": {"id": 21, "name": "Rahul Agent"}, "group": {"id": 31, "name": "Billing"}},
            "comments": [{"id": 1001, "author": {"id": 11, "name": "Dana Customer", "role": "end-user"},
                          "value": "<p>I was charged twice for order 1182 on 20 November.</p>",
                          "createdAt": "2026-11-20T10:00:00Z"}],
        },
        "comment": {"text": text, "type": "internalNote"},
        "currentUser": {"id": 21, "name": "Rahul Agent", "role": "agent"},
    }


def freshdesk_app_body(reply: str, ticket_id: int = 733) -> dict[str, Any]:
    return {
        "ticket": {"id": ticket_id, "subject": "Charged twice", "description_text": "I was charged twice "
            "for order 1182.",
                   "status": 2, "priority": 3, "type": "Refund", "tags": ["billing"], "requester_id": 5001,
                   "responder_id": 6001, "group_id": 7001, "created_at": "2026-11-20T10:00:00Z"},
        "conversations": [{"id": 9001, "body_text": "Any update? My order number is 1182.", "private": False,
                           "incoming": True, "user_id": 5001, "created_at": "2026-11-20T11:00:00Z"}],
        "reply": {"body_text": reply, "private": False},
        "agent": {"id": 6001, "contact": {"name": "Rahul Agent", "email": "rahul@example.com"}},
    }


def zendesk_comment_event(body: str = VAGUE_ESCALATION, ticket_id: str = "35436",
                          comment_id: str = "9901") -> dict[str, Any]:
    return {
        "type": "zen:event-type:ticket.comment_added", "account_id": 22129848,
        "id": "cbe4028c-7239-495d-b020-f22348516046", "time": "2026-11-25T10:00:00Z",
        "zendesk_event_version": "2022-11-06", "subject": f"zen:ticket:{ticket_id}",
        "detail": {"id": ticket_id, "subject": "Login loop after SSO change", "status": "OPEN", "priority": "HIGH",
                   "type": "INCIDENT", "tags": ["sso"], "assignee_id": "21", "group_id": "31",
                   "requester_id": "11", "created_at": "2026-11-24T09:12:00Z"},
        "event": {"comment": {"id": comment_id, "body": body, "is_public": False,
                              "author": {"id": "21", "is_staff": True, "name": "Rahul Agent"}}},
    }


def intercom_note_event(note: str = VAGUE_ESCALATION, notification: str = "notif_7c1e") -> dict[str, Any]:
    return {
        "type": "notification_event", "id": notification, "topic": "conversation.admin.noted",
        "app_id": "abc123", "created_at": 1764064800,
        "data": {"item": {
            "type": "conversation", "id": "215467891234", "title": "Invoice PDF missing VAT number",
            "created_at": 1764060000, "state": "open", "admin_assignee_id": 814, "team_assignee_id": 55,
            "tags": {"type": "tag.list", "tags": [{"type": "tag", "id": "1", "name": "billing"}]},
            "source": {"id": "src1", "body": "<p>The invoice PDF for November has no VAT number.</p>",
                       "author": {"type": "user", "id": "u-9", "name": "Ines Duarte"}},
            "conversation_parts": {"type": "conversation_part.list", "conversation_parts": [
                {"id": "p1", "part_type": "comment", "body": "<p>Thanks Ines, checking now.</p>",
                 "created_at": 1764061000, "author": {"type": "admin", "id": "814", "name": "Rahul Agent"}},
                {"id": "p2", "part_type": "note", "body": f"<p>{note}</p>", "created_at": 1764064700,
                 "author": {"type": "admin", "id": "814", "name": "Rahul Agent"}},
            ]},
        }},
    }


def django_helpdesk_body(comment: str = VAGUE_ESCALATION, followup_id: int = 2) -> dict[str, Any]:
    return {
        "ticket": {"id": 17, "queue": 1, "title": "VPN drops every 10 minutes",
                   "description": "Since Monday the VPN disconnects every 10 minutes on Windows 11.",
                   "assigned_to": 3, "status": 1, "priority": 2,
                   "followup_set": [
                       {"id": 1, "user": None, "title": "Ticket Opened", "comment": "Since Monday the VPN disconnects.",
                        "public": True, "new_status": None, "date": "2026-11-24T08:00:00Z"},
                       {"id": followup_id, "user": 3, "title": "Comment", "comment": comment, "public": False,
                        "new_status": None, "date": "2026-11-24T09:00:00Z"}]},
        "queue_slug": "it-helpdesk", "followup_id": followup_id,
    }


@contextlib.contextmanager
def in_process_client(tmp: Path, policy: str | None = None) -> Iterator[TestClient]:
    """The service's ASGI app in this process (lifespan run, secrets set), for tests that send
    many requests: a client of its own, without a server process or a socket."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SECRET_ENV.items():
            patch.setenv(name, value)
        settings = ServerSettings(policy=policy, store=f"sqlite:///{tmp / 'inprocess.db'}", watch_interval=0)
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            yield client
