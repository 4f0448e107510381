"""What one server process needs to know, passed from ``holdthread serve`` to every worker.

uvicorn starts workers as fresh processes that import the app by name, so the settings travel as
JSON in an environment variable. Secrets never travel this way: each worker reads them itself
(see :mod:`holdthread.server.credentials`).
"""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field

ENV_VAR = "HOLDTHREAD_SERVER_SETTINGS"
DEFAULT_STORE = "sqlite:///holdthread-findings.db"


class ServerSettings(BaseModel):
    """Everything but secrets: the policy, the store, the limits of one worker."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Policy file path or preset name; ``None`` discovers holdthread.yaml or uses ``recommended``.
    policy: str | None = None
    #: SQLAlchemy URL of the findings store.
    store: str = DEFAULT_STORE
    #: Largest request body accepted, in bytes.
    max_body_bytes: int = Field(default=256 * 1024, gt=0)
    #: Checks one worker runs or queues at once; beyond it the answer is 503 with Retry-After.
    max_inflight: int = Field(default=16, gt=0)
    #: Seconds between checks of the policy files' modification times; 0 turns the watch off.
    watch_interval: float = Field(default=2.0, ge=0)
    #: Seconds a client should wait before retrying after a 503.
    retry_after: int = Field(default=1, gt=0)
    #: Connections one worker keeps open at once; more are answered 503 and closed.
    max_connections: int = Field(default=1000, gt=0)
    #: Seconds a client has to send a request's headers, and again its body, before it is cut off.
    client_timeout: float = Field(default=10.0, gt=0)

    def to_env(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_env(cls) -> ServerSettings:
        """The settings ``holdthread serve`` left for this worker, or the defaults."""
        raw = os.environ.get(ENV_VAR)
        return cls.model_validate_json(raw) if raw else cls()
