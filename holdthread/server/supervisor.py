"""Running the app under uvicorn, one process or several, with SIGHUP meaning "reload the policy".

uvicorn's own multi-process supervisor answers SIGHUP by replacing every worker, which would
reload the spaCy pipeline too and, with an invalid policy, fail to start the new workers. We keep
its supervision (restarts of dead workers, SIGTTIN/SIGTTOU) and change only SIGHUP: the parent
passes it on to each worker, and each worker swaps its policy in place
(:meth:`holdthread.server.service.LintService.reload`).
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import tempfile
from pathlib import Path

import uvicorn
from uvicorn.supervisors import Multiprocess

from holdthread.server.settings import ENV_VAR, ServerSettings

log = logging.getLogger("uvicorn.error")
APP = "holdthread.server.app:create_app"
#: prometheus_client's multiprocess directory; read when prometheus_client is imported, so it is
#: set here before the workers start (and never for one worker, which counts in memory).
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


class PolicyReloadingSupervisor(Multiprocess):
    """uvicorn's supervisor, except that SIGHUP is forwarded to the workers instead of restarting them."""

    def handle_hup(self) -> None:
        log.info("SIGHUP: asking %d workers to reload the policy", len(self.processes))
        for process in self.processes:
            if process.pid is not None and process.process.is_alive():
                os.kill(process.pid, signal.SIGHUP)


def _prepare_metrics_dir() -> Path | None:
    """A fresh prometheus multiprocess directory; returns it when we made it (to remove at exit)."""
    configured = os.environ.get(MULTIPROC_ENV)
    if configured:
        directory = Path(configured)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
        return None
    created = tempfile.mkdtemp(prefix="holdthread-metrics-")
    os.environ[MULTIPROC_ENV] = created
    return Path(created)


def run(settings: ServerSettings, *, host: str, port: int, workers: int, log_level: str = "info") -> None:
    """Serve until SIGINT or SIGTERM; in-flight requests finish before a worker exits."""
    os.environ[ENV_VAR] = settings.to_env()
    created = _prepare_metrics_dir() if workers > 1 else None
    try:
        _serve(settings, host=host, port=port, workers=workers, log_level=log_level)
    finally:
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)


def _serve(settings: ServerSettings, *, host: str, port: int, workers: int, log_level: str) -> None:
    config = uvicorn.Config(
        APP, factory=True, host=host, port=port, workers=workers, log_level=log_level,
        # The access log would print query strings, where django-helpdesk's token travels.
        access_log=False, proxy_headers=True, server_header=False, timeout_graceful_shutdown=10,
    )
    if workers <= 1:
        uvicorn.Server(config).run()
        return
    sock = config.bind_socket()
    try:
        PolicyReloadingSupervisor(config, sockets=[sock]).run()
    finally:
        sock.close()
