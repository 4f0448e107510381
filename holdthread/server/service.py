"""The lint behind every endpoint: one Linter per worker, a time budget, bounded load, reloads.

- The Linter (policy + spaCy pipeline) is built once at start-up, before ``/readyz`` says ready.
- Lints run on one worker thread, so the event loop keeps answering while a check runs; the
  request waits at most the policy's ``limits.time_budget_ms`` and then answers ``pass`` with
  ``timed_out``, so a slow check never blocks an agent.
- At most ``max_inflight`` checks are queued or running; more are refused (503, Retry-After).
  A timed-out lint still holds its place until it really ends, so overload cannot pile up.
- A reload builds a new Linter on the side and swaps it in; requests already running finish
  with the old one, and an invalid policy leaves the old one in place and says why in the log.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from holdthread.linter.engine import Linter
from holdthread.linter.errors import HoldthreadError
from holdthread.linter.models import CheckRequest, Report
from holdthread.linter.policy import StoreSettings
from holdthread.server.metrics import RELOADS
from holdthread.server.settings import ServerSettings

log = logging.getLogger("holdthread.server")


@dataclass(frozen=True)
class Loaded:
    """A policy in service: its Linter, a short digest to tell versions apart, store options."""

    linter: Linter
    digest: str
    store: StoreSettings
    loaded_at: datetime
    mtimes: dict[str, int] = field(default_factory=dict)

    @property
    def sources(self) -> list[str]:
        return self.linter.policy.sources

    @property
    def budget_seconds(self) -> float:
        return self.linter.policy.settings.limits.time_budget_ms / 1000


def _policy_files(sources: list[str]) -> dict[str, int]:
    """Modification times of the policy's files (presets have none), for the cheap file watch."""
    found: dict[str, int] = {}
    for source in sources:
        path = Path(source)
        if not source.startswith("<") and path.is_file():
            found[source] = path.stat().st_mtime_ns
    return found


def load_policy_linter(policy: str | None) -> Loaded:
    """Build the Linter for ``policy``; raises HoldthreadError with located problems."""
    linter = Linter(policy)
    data = json.dumps(linter.policy.data, sort_keys=True, default=str)
    return Loaded(
        linter=linter,
        digest=hashlib.sha256(data.encode("utf-8")).hexdigest()[:12],
        store=StoreSettings.model_validate(linter.policy.data.get("store") or {}),
        loaded_at=datetime.now(UTC),
        mtimes=_policy_files(linter.policy.sources),
    )


class LintService:
    """Owns the current policy and the lint thread of one worker process."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self._current: Loaded | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="holdthread-lint")
        self._inflight = 0
        self._reload_lock = asyncio.Lock()

    @property
    def ready(self) -> bool:
        return self._current is not None

    @property
    def current(self) -> Loaded:
        if self._current is None:
            raise RuntimeError("the policy is not loaded yet")
        return self._current

    def start(self) -> None:
        """Load the policy and pipeline; an invalid policy stops the worker before it serves."""
        self._current = load_policy_linter(self.settings.policy)
        log.info("policy loaded from %s (digest %s)", " <- ".join(self._current.sources), self._current.digest)

    def stop(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def reload(self, reason: str) -> bool:
        """Swap in the policy as it is now on disk; keep the old one if the new one is invalid."""
        async with self._reload_lock:
            try:
                loaded = await asyncio.to_thread(load_policy_linter, self.settings.policy)
            except HoldthreadError as exc:
                RELOADS.labels("failed").inc()
                log.error("policy reload (%s) failed; still serving the policy loaded at %s (digest %s):\n%s",
                          reason, self.current.loaded_at.isoformat(timespec="seconds"), self.current.digest, exc)
                # Remember these file versions, so the watch does not retry the same broken file.
                if self._current is not None:
                    self._current = Loaded(self._current.linter, self._current.digest, self._current.store,
                                           self._current.loaded_at, _policy_files(self._current.sources))
                return False
            previous = self.current.digest
            self._current = loaded
            RELOADS.labels("ok").inc()
            log.info("policy reloaded (%s): digest %s -> %s", reason, previous, loaded.digest)
            return True

    async def watch(self) -> None:
        """Reload when a policy file's modification time changes (every ``watch_interval`` s)."""
        interval = self.settings.watch_interval
        while interval > 0:
            await asyncio.sleep(interval)
            current = self.current
            if _policy_files(current.sources) != current.mtimes or any(
                    not Path(s).is_file() for s in current.mtimes):
                await self.reload("policy file changed")

    # --- load shedding -----------------------------------------------------------------------

    def try_acquire(self) -> bool:
        """Take a place for one check, or False when ``max_inflight`` are queued or running."""
        if self._inflight >= self.settings.max_inflight:
            return False
        self._inflight += 1
        return True

    def release(self) -> None:
        self._inflight = max(0, self._inflight - 1)

    @property
    def inflight(self) -> int:
        return self._inflight

    # --- the check ---------------------------------------------------------------------------

    async def check(self, request: CheckRequest, started: float) -> tuple[Report | None, Loaded]:
        """Lint within the time budget (counted from ``started``, a ``time.monotonic()``).

        The caller holds a place from :meth:`try_acquire`; it is released when the lint really
        ends. Returns ``(None, loaded)`` when the budget ran out. Input errors propagate.
        """
        loaded = self.current
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, _lint, loaded.linter, request)
        future.add_done_callback(lambda _: self.release())
        remaining = loaded.budget_seconds - (time.monotonic() - started)
        try:
            report = await asyncio.wait_for(asyncio.shield(future), timeout=max(0.0, remaining))
        except TimeoutError:
            # The lint keeps its place until it ends; swallow its result or error then.
            future.add_done_callback(lambda f: f.exception())
            return None, loaded
        return report, loaded


def _lint(linter: Linter, request: CheckRequest) -> Report:
    return next(iter(linter.check_many([request])))
