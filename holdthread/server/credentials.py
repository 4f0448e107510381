"""Secrets from environment variables or files, never from the command line, never logged.

Each secret ``NAME`` is read from ``HOLDTHREAD_<NAME>``, or from the file named by
``HOLDTHREAD_<NAME>_FILE`` (systemd credentials, Docker or Kubernetes secrets). The file form
wins when both are set, so an admin can move a secret out of the environment without a restart
surprise. Values are kept in :class:`Secret`, whose ``repr`` hides them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: Every secret the service reads, with what it protects (the docs table is built from the same facts).
SECRET_NAMES: dict[str, str] = {
    "API_TOKEN": "Bearer token for /v1/check, /v1/zendesk/check and /v1/freshdesk/check",
    "API_SECRET": "HMAC-SHA256 key for the X-Holdthread-Signature header on the same endpoints",
    "ZENDESK_SECRET": "Zendesk webhook signing secret (/v1/zendesk/webhook)",
    "INTERCOM_SECRET": "Intercom app client secret (/v1/intercom/webhook)",
    "DJANGO_HELPDESK_TOKEN": "Shared token in ?token= or X-Holdthread-Token (/v1/django-helpdesk/webhook)",
}


class CredentialError(Exception):
    """A secret file is named but cannot be read."""


@dataclass(frozen=True)
class Secret:
    """A secret value that does not show itself in logs, tracebacks or reprs."""

    value: str = field(repr=False)

    def __repr__(self) -> str:
        return "Secret(****)"

    def encoded(self) -> bytes:
        return self.value.encode("utf-8")


def read_secret(name: str, environ: dict[str, str] | None = None) -> Secret | None:
    """``HOLDTHREAD_<name>_FILE`` (first line, stripped) or ``HOLDTHREAD_<name>``; None when unset."""
    env = os.environ if environ is None else environ
    file_var = f"HOLDTHREAD_{name}_FILE"
    path = env.get(file_var)
    if path:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
            value = lines[0].strip() if lines else ""  # the first line, as documented (a trailing note is ignored)
        except OSError as exc:
            raise CredentialError(f"{file_var} names {path}, which cannot be read: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise CredentialError(f"{file_var} names {path}, which is not UTF-8 text") from None
        return Secret(value) if value else None
    value = env.get(f"HOLDTHREAD_{name}", "").strip()
    return Secret(value) if value else None


def load_secrets(environ: dict[str, str] | None = None) -> dict[str, Secret]:
    """Every configured secret by name; unset ones are absent (their endpoints answer 401)."""
    found: dict[str, Secret] = {}
    for name in SECRET_NAMES:
        secret = read_secret(name, environ)
        if secret is not None:
            found[name] = secret
    return found
