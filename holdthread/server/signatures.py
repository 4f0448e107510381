"""Request authentication, one scheme per source, all compared in constant time.

- Zendesk webhooks: ``X-Zendesk-Webhook-Signature`` = base64(HMAC-SHA256(secret, timestamp + body))
  with ``X-Zendesk-Webhook-Signature-Timestamp`` (ISO-8601) within five minutes of now.
- Intercom webhooks: ``X-Hub-Signature: sha1=<hex HMAC-SHA1(client secret, body)>``.
- The generic and app endpoints: ``Authorization: Bearer <token>``, or
  ``X-Holdthread-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`` with
  ``X-Holdthread-Timestamp`` (Unix seconds) within five minutes of now.
- django-helpdesk (which cannot sign): a shared token in ``?token=`` or ``X-Holdthread-Token``.

Every failure raises :class:`AuthError`, whose message says what is missing without echoing
what was sent.

Each check runs in two steps, so that a request is refused before its body is read whenever
its headers are enough to refuse it: ``*_headers(headers, ...)`` checks what the headers say
(a bearer or shared token completely; a signature's presence and its timestamp's window) and
returns the check of the body, which needs the body only for an HMAC. ``verify_*`` run both.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from holdthread.server.credentials import Secret

#: How far a signed timestamp may be from the server's clock.
MAX_SKEW_SECONDS = 300


class AuthError(Exception):
    """The request is not authenticated; answered with 401 and this message."""


#: The check of a body, once the headers passed.
BodyCheck = Callable[[bytes], None]


def _nothing_more(_body: bytes) -> None:
    """The body check of a request its headers fully authenticate (a bearer or shared token)."""


def _require(secret: Secret | None, variable: str) -> Secret:
    if secret is None:
        raise AuthError(f"this endpoint is not configured: the server has no {variable} (see docs/service.md)")
    return secret


def _ascii_header(headers: Mapping[str, str], name: str, shown: str) -> str | None:
    """A header's value, or None when absent; a value with non-ASCII characters is refused
    (signatures and timestamps are ASCII; HTTP servers decode headers as Latin-1)."""
    value = headers.get(name)
    if value is not None and not value.isascii():
        raise AuthError(f"{shown} holds characters that are not ASCII; send the value the sender computed")
    return value


def _same(expected: str, sent: str) -> bool:
    """Constant-time comparison of text, whatever characters ``sent`` holds."""
    return hmac.compare_digest(expected.encode("utf-8"), sent.strip().encode("utf-8", "surrogateescape"))


def _check_skew(moment: float, now: float | None, header: str) -> None:
    now = time.time() if now is None else now
    # NaN compares false with everything, so a "nan" timestamp would never expire: refuse it first.
    if not math.isfinite(moment) or abs(now - moment) > MAX_SKEW_SECONDS:
        raise AuthError(
            f"{header} is more than 5 minutes from the server's clock; check the clocks, or this is a replay"
        )


def zendesk_signature(secret: Secret, timestamp: str, body: bytes) -> str:
    """The signature Zendesk sends for ``body`` at ``timestamp``."""
    digest = hmac.new(secret.encoded(), timestamp.encode("utf-8") + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def zendesk_headers(headers: Mapping[str, str], secret: Secret | None, *, now: float | None = None) -> BodyCheck:
    """A Zendesk webhook's signature headers and timestamp window; returns the signature check.

    A timestamp without a zone is UTC (Zendesk writes UTC), never the server's local time.
    """
    key = _require(secret, "HOLDTHREAD_ZENDESK_SECRET")
    signature = _ascii_header(headers, "x-zendesk-webhook-signature", "X-Zendesk-Webhook-Signature")
    timestamp = _ascii_header(headers, "x-zendesk-webhook-signature-timestamp", "X-Zendesk-Webhook-Signature-Timestamp")
    if not signature or not timestamp:
        raise AuthError("missing X-Zendesk-Webhook-Signature or X-Zendesk-Webhook-Signature-Timestamp header")
    try:
        parsed = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
        moment = (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()
    except (ValueError, OverflowError):
        raise AuthError("X-Zendesk-Webhook-Signature-Timestamp is not an ISO-8601 time") from None
    _check_skew(moment, now, "X-Zendesk-Webhook-Signature-Timestamp")

    def check(body: bytes) -> None:
        if not _same(zendesk_signature(key, timestamp, body), signature):
            raise AuthError(
                "bad Zendesk webhook signature: check HOLDTHREAD_ZENDESK_SECRET against the webhook's signing secret"
            )

    return check


def verify_zendesk(headers: Mapping[str, str], body: bytes, secret: Secret | None, *, now: float | None = None) -> None:
    """Check a Zendesk webhook's signature and timestamp window."""
    zendesk_headers(headers, secret, now=now)(body)


def intercom_signature(secret: Secret, body: bytes) -> str:
    """The ``X-Hub-Signature`` value Intercom sends for ``body``."""
    return "sha1=" + hmac.new(secret.encoded(), body, hashlib.sha1).hexdigest()


def intercom_headers(headers: Mapping[str, str], secret: Secret | None) -> BodyCheck:
    """An Intercom webhook's ``X-Hub-Signature`` header; returns the signature check."""
    key = _require(secret, "HOLDTHREAD_INTERCOM_SECRET")
    signature = _ascii_header(headers, "x-hub-signature", "X-Hub-Signature")
    if not signature:
        raise AuthError("missing X-Hub-Signature header")

    def check(body: bytes) -> None:
        if not _same(intercom_signature(key, body), signature):
            raise AuthError(
                "bad X-Hub-Signature: check HOLDTHREAD_INTERCOM_SECRET against the Intercom app's client secret"
            )

    return check


def verify_intercom(headers: Mapping[str, str], body: bytes, secret: Secret | None) -> None:
    """Check an Intercom webhook's ``X-Hub-Signature``."""
    intercom_headers(headers, secret)(body)


def api_signature(secret: Secret, timestamp: str, body: bytes) -> str:
    """The ``X-Holdthread-Signature`` value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    message = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encoded(), message, hashlib.sha256).hexdigest()


def api_headers(
    headers: Mapping[str, str], token: Secret | None, secret: Secret | None, *, now: float | None = None
) -> BodyCheck:
    """A bearer token (checked here), or an HMAC signature's headers; returns the body check."""
    if token is None and secret is None:
        raise AuthError(
            "this endpoint is not configured: set HOLDTHREAD_API_TOKEN or HOLDTHREAD_API_SECRET (see docs/service.md)"
        )
    authorization = headers.get("authorization", "")
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer" or token is None:
            raise AuthError("unsupported Authorization header: send 'Bearer <HOLDTHREAD_API_TOKEN>'")
        if not _same(token.value, value):
            raise AuthError("bad bearer token: check the token set in the helpdesk app against HOLDTHREAD_API_TOKEN")
        return _nothing_more
    signature = _ascii_header(headers, "x-holdthread-signature", "X-Holdthread-Signature")
    timestamp = _ascii_header(headers, "x-holdthread-timestamp", "X-Holdthread-Timestamp")
    if signature and timestamp and secret is not None:
        try:
            moment = float(timestamp)
        except ValueError:
            raise AuthError("X-Holdthread-Timestamp is not Unix seconds") from None
        _check_skew(moment, now, "X-Holdthread-Timestamp")

        def check(body: bytes) -> None:
            if not _same(api_signature(secret, timestamp, body), signature):
                raise AuthError("bad X-Holdthread-Signature: check the key against HOLDTHREAD_API_SECRET")

        return check
    raise AuthError(
        "missing credentials: send 'Authorization: Bearer <token>' or X-Holdthread-Signature and X-Holdthread-Timestamp"
    )


def verify_api(
    headers: Mapping[str, str], body: bytes, token: Secret | None, secret: Secret | None, *, now: float | None = None
) -> None:
    """A bearer token or an HMAC-SHA256 signature, whichever the caller sent."""
    api_headers(headers, token, secret, now=now)(body)


def shared_token_headers(headers: Mapping[str, str], query: Mapping[str, str], token: Secret | None) -> BodyCheck:
    """A shared token in ``X-Holdthread-Token`` or ``?token=`` for senders that cannot sign."""
    key = _require(token, "HOLDTHREAD_DJANGO_HELPDESK_TOKEN")
    sent = headers.get("x-holdthread-token") or query.get("token")
    if not sent:
        raise AuthError("missing token: add ?token=<HOLDTHREAD_DJANGO_HELPDESK_TOKEN> to the webhook URL")
    if not _same(key.value, sent):
        raise AuthError("bad token: check the webhook URL's token against HOLDTHREAD_DJANGO_HELPDESK_TOKEN")
    return _nothing_more


def verify_shared_token(headers: Mapping[str, str], query: Mapping[str, str], token: Secret | None) -> None:
    """A shared token in ``X-Holdthread-Token`` or ``?token=`` for senders that cannot sign."""
    shared_token_headers(headers, query, token)(b"")
