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
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Mapping
from datetime import datetime

from holdthread.server.credentials import Secret

#: How far a signed timestamp may be from the server's clock.
MAX_SKEW_SECONDS = 300


class AuthError(Exception):
    """The request is not authenticated; answered with 401 and this message."""


def _require(secret: Secret | None, variable: str) -> Secret:
    if secret is None:
        raise AuthError(f"this endpoint is not configured: the server has no {variable} (see docs/service.md)")
    return secret


def _check_skew(moment: float, now: float | None, header: str) -> None:
    now = time.time() if now is None else now
    if abs(now - moment) > MAX_SKEW_SECONDS:
        raise AuthError(f"{header} is more than 5 minutes from the server's clock; check the clocks, or "
                        f"this is a replay")


def zendesk_signature(secret: Secret, timestamp: str, body: bytes) -> str:
    """The signature Zendesk sends for ``body`` at ``timestamp``."""
    digest = hmac.new(secret.encoded(), timestamp.encode("utf-8") + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_zendesk(headers: Mapping[str, str], body: bytes, secret: Secret | None, *, now: float | None = None) -> None:
    """Check a Zendesk webhook's signature and timestamp window."""
    key = _require(secret, "HOLDTHREAD_ZENDESK_SECRET")
    signature = headers.get("x-zendesk-webhook-signature")
    timestamp = headers.get("x-zendesk-webhook-signature-timestamp")
    if not signature or not timestamp:
        raise AuthError("missing X-Zendesk-Webhook-Signature or X-Zendesk-Webhook-Signature-Timestamp header")
    try:
        moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise AuthError("X-Zendesk-Webhook-Signature-Timestamp is not an ISO-8601 time") from None
    if not hmac.compare_digest(zendesk_signature(key, timestamp, body), signature.strip()):
        raise AuthError("bad Zendesk webhook signature: check HOLDTHREAD_ZENDESK_SECRET against the "
                        "webhook's signing secret")
    _check_skew(moment, now, "X-Zendesk-Webhook-Signature-Timestamp")


def intercom_signature(secret: Secret, body: bytes) -> str:
    """The ``X-Hub-Signature`` value Intercom sends for ``body``."""
    return "sha1=" + hmac.new(secret.encoded(), body, hashlib.sha1).hexdigest()


def verify_intercom(headers: Mapping[str, str], body: bytes, secret: Secret | None) -> None:
    """Check an Intercom webhook's ``X-Hub-Signature``."""
    key = _require(secret, "HOLDTHREAD_INTERCOM_SECRET")
    signature = headers.get("x-hub-signature")
    if not signature:
        raise AuthError("missing X-Hub-Signature header")
    if not hmac.compare_digest(intercom_signature(key, body), signature.strip()):
        raise AuthError("bad X-Hub-Signature: check HOLDTHREAD_INTERCOM_SECRET against the Intercom "
                        "app's client secret")


def api_signature(secret: Secret, timestamp: str, body: bytes) -> str:
    """The ``X-Holdthread-Signature`` value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    message = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encoded(), message, hashlib.sha256).hexdigest()


def verify_api(headers: Mapping[str, str], body: bytes, token: Secret | None, secret: Secret | None,
               *, now: float | None = None) -> None:
    """A bearer token or an HMAC-SHA256 signature, whichever the caller sent."""
    if token is None and secret is None:
        raise AuthError("this endpoint is not configured: set HOLDTHREAD_API_TOKEN or "
                        "HOLDTHREAD_API_SECRET (see docs/service.md)")
    authorization = headers.get("authorization", "")
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer" or token is None:
            raise AuthError("unsupported Authorization header: send 'Bearer <HOLDTHREAD_API_TOKEN>'")
        if not hmac.compare_digest(value.strip().encode("utf-8"), token.encoded()):
            raise AuthError("bad bearer token: check the token set in the helpdesk app against HOLDTHREAD_API_TOKEN")
        return
    signature = headers.get("x-holdthread-signature")
    timestamp = headers.get("x-holdthread-timestamp")
    if signature and timestamp and secret is not None:
        try:
            moment = float(timestamp)
        except ValueError:
            raise AuthError("X-Holdthread-Timestamp is not Unix seconds") from None
        if not hmac.compare_digest(api_signature(secret, timestamp, body), signature.strip()):
            raise AuthError("bad X-Holdthread-Signature: check the key against HOLDTHREAD_API_SECRET")
        _check_skew(moment, now, "X-Holdthread-Timestamp")
        return
    raise AuthError("missing credentials: send 'Authorization: Bearer <token>' or X-Holdthread-Signature "
                    "and X-Holdthread-Timestamp")


def verify_shared_token(headers: Mapping[str, str], query: Mapping[str, str], token: Secret | None) -> None:
    """A shared token in ``X-Holdthread-Token`` or ``?token=`` for senders that cannot sign."""
    key = _require(token, "HOLDTHREAD_DJANGO_HELPDESK_TOKEN")
    sent = headers.get("x-holdthread-token") or query.get("token")
    if not sent:
        raise AuthError("missing token: add ?token=<HOLDTHREAD_DJANGO_HELPDESK_TOKEN> to the webhook URL")
    if not hmac.compare_digest(sent.encode("utf-8"), key.encoded()):
        raise AuthError("bad token: check the webhook URL's token against HOLDTHREAD_DJANGO_HELPDESK_TOKEN")
