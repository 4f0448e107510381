"""Signature schemes against their documented values, and secrets read from env or files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from holdthread.server.credentials import CredentialError, Secret, load_secrets, read_secret
from holdthread.server.signatures import AuthError, verify_intercom, verify_zendesk, zendesk_signature

# Zendesk's documented webhook test vector (static test secret, timestamp, body, signature).
VECTOR_SECRET = Secret("dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==")
VECTOR_TIMESTAMP = "2021-03-25T05:09:27Z"
VECTOR_BODY = b'{"event":"ticket.updated","id":123}'
VECTOR_SIGNATURE = "S/RDdU2ERmj7LHDDoWJ2onPYH+t7/f2+LTM4dL7UiLM="
VECTOR_NOW = datetime.fromisoformat("2021-03-25T05:10:00+00:00").timestamp()


def _headers(signature: str = VECTOR_SIGNATURE, timestamp: str = VECTOR_TIMESTAMP) -> dict[str, str]:
    return {"x-zendesk-webhook-signature": signature, "x-zendesk-webhook-signature-timestamp": timestamp}


def test_zendesk_documented_test_vector() -> None:
    assert zendesk_signature(VECTOR_SECRET, VECTOR_TIMESTAMP, VECTOR_BODY) == VECTOR_SIGNATURE
    verify_zendesk(_headers(), VECTOR_BODY, VECTOR_SECRET, now=VECTOR_NOW)


@pytest.mark.parametrize(("headers", "body", "now", "reason"), [
    (_headers(), VECTOR_BODY + b" ", VECTOR_NOW, "bad Zendesk webhook signature"),
    (_headers(), VECTOR_BODY, VECTOR_NOW + 301, "5 minutes"),
    (_headers(), VECTOR_BODY, VECTOR_NOW - 400, "5 minutes"),
    (_headers(timestamp="yesterday"), VECTOR_BODY, VECTOR_NOW, "ISO-8601"),
    ({}, VECTOR_BODY, VECTOR_NOW, "missing"),
])
def test_zendesk_rejections(headers: dict[str, str], body: bytes, now: float, reason: str) -> None:
    with pytest.raises(AuthError, match=reason):
        verify_zendesk(headers, body, VECTOR_SECRET, now=now)


def test_unconfigured_source_is_refused() -> None:
    with pytest.raises(AuthError, match="HOLDTHREAD_ZENDESK_SECRET"):
        verify_zendesk(_headers(), VECTOR_BODY, None, now=VECTOR_NOW)


def test_intercom_sha1() -> None:
    # HMAC-SHA1("secret", body), computed independently with `openssl dgst -sha1 -hmac secret`.
    body = b'{"type":"notification_event","topic":"ping"}'
    good = "sha1=e8e5e2592043c6f21a6550288b4b285ba7d35f24"
    verify_intercom({"x-hub-signature": good}, body, Secret("secret"))
    with pytest.raises(AuthError):
        verify_intercom({"x-hub-signature": good.replace("sha1=", "sha256=")}, body, Secret("secret"))


def test_secrets_from_env_and_files(tmp_path: Path) -> None:
    secret_file = tmp_path / "zendesk.secret"
    secret_file.write_text("from-file\n", encoding="utf-8")
    env = {"HOLDTHREAD_API_TOKEN": "from-env", "HOLDTHREAD_ZENDESK_SECRET": "ignored",
           "HOLDTHREAD_ZENDESK_SECRET_FILE": str(secret_file)}
    found = load_secrets(env)
    assert {name: s.value for name, s in found.items()} == {"API_TOKEN": "from-env", "ZENDESK_SECRET": "from-file"}
    assert "from-env" not in repr(found)
    with pytest.raises(CredentialError, match="cannot be read"):
        read_secret("INTERCOM_SECRET", {"HOLDTHREAD_INTERCOM_SECRET_FILE": str(tmp_path / "missing")})
