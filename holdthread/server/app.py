"""The ASGI app: one handler shape for every check and webhook endpoint.

Every POST goes through the same steps, cheapest refusal first: content type (415), body size
while streaming (413), authentication (401), JSON (400), the helpdesk payload (400 with a JSON
pointer), load (503), duplicate delivery (200, skipped), the lint within its time budget, then
the answer; the result is recorded in the findings store after the answer is sent. Logs name the
endpoint, ticket id, verdict and timing, never a body or a query string (it may hold a token).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
import time
import traceback
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from holdthread.linter.errors import InputError
from holdthread.linter.models import CheckRequest, Report
from holdthread.server import payloads
from holdthread.server.bodies import HTTPProblem, Pointed, check_content_type, parse_json, read_limited
from holdthread.server.credentials import Secret, load_secrets
from holdthread.server.feedback import annotations_with_ids, feedback_routes, record_findings
from holdthread.server.messages import TIMED_OUT_MESSAGE, agent_message
from holdthread.server.metrics import (
    CONTENT_TYPE,
    DUPLICATES,
    LATENCY,
    REQUESTS,
    SHED,
    TIMEOUTS,
    exposition,
    observe_report,
)
from holdthread.server.service import LintService, Loaded
from holdthread.server.settings import ServerSettings
from holdthread.server.signatures import (
    AuthError,
    verify_api,
    verify_intercom,
    verify_shared_token,
    verify_zendesk,
)
from holdthread.server.store import CheckRecord, FindingsStore

log = logging.getLogger("holdthread.server")

Authenticate = Callable[[Request, bytes, dict[str, Secret]], None]
Convert = Callable[[Any, Request], payloads.Converted]


@dataclass
class ServerState:
    """What the handlers share within one worker."""

    settings: ServerSettings
    service: LintService
    store: FindingsStore
    secrets: dict[str, Secret] = field(default_factory=dict)


@dataclass(frozen=True)
class Endpoint:
    """One POST endpoint: who may call it, how its body becomes a check, whether it is a webhook."""

    path: str
    source: str
    authenticate: Authenticate
    convert: Convert
    webhook: bool = False


def _api_auth(request: Request, raw: bytes, secrets: dict[str, Secret]) -> None:
    verify_api(request.headers, raw, secrets.get("API_TOKEN"), secrets.get("API_SECRET"))


def _zendesk_auth(request: Request, raw: bytes, secrets: dict[str, Secret]) -> None:
    verify_zendesk(request.headers, raw, secrets.get("ZENDESK_SECRET"))


def _intercom_auth(request: Request, raw: bytes, secrets: dict[str, Secret]) -> None:
    verify_intercom(request.headers, raw, secrets.get("INTERCOM_SECRET"))


def _django_helpdesk_auth(request: Request, raw: bytes, secrets: dict[str, Secret]) -> None:
    verify_shared_token(request.headers, request.query_params, secrets.get("DJANGO_HELPDESK_TOKEN"))


ENDPOINTS = (
    Endpoint("/v1/check", "api", _api_auth, lambda data, _r: payloads.from_generic(data)),
    Endpoint("/v1/zendesk/check", "zendesk-app", _api_auth, lambda data, _r: payloads.from_zendesk_app(data)),
    Endpoint("/v1/freshdesk/check", "freshdesk-app", _api_auth, lambda data, _r: payloads.from_freshdesk_app(data)),
    Endpoint("/v1/zendesk/webhook", "zendesk-webhook", _zendesk_auth,
             lambda data, r: payloads.from_zendesk_webhook(data, r.headers.get("x-zendesk-webhook-invocation-id")),
             webhook=True),
    Endpoint("/v1/intercom/webhook", "intercom-webhook", _intercom_auth,
             lambda data, _r: payloads.from_intercom_webhook(data), webhook=True),
    Endpoint("/v1/django-helpdesk/webhook", "django-helpdesk-webhook", _django_helpdesk_auth,
             lambda data, _r: payloads.from_django_helpdesk(data), webhook=True),
)


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.holdthread
    return state


def _json_pointer(path: str) -> str:
    """``$.draft.body`` or ``$.ticket.comments[2].body`` as ``/draft/body``, ``/ticket/comments/2/body``."""
    return path.lstrip("$").replace("[", ".").replace("]", "").replace(".", "/") if path else ""


def _answer(report: Report, loaded: Loaded, timed_out: bool, extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "verdict": report.verdict,
        "score": report.score,
        "message": TIMED_OUT_MESSAGE if timed_out else agent_message(report),
        "annotations": annotations_with_ids(report),  # each with its stable id, for POST /v1/feedback
        "timed_out": timed_out,
        "ticket_id": report.ticket_id,
        "policy": loaded.digest,
        **extra,
    }


def _record(state: ServerState, endpoint: Endpoint, check: CheckRequest, report: Report, loaded: Loaded,
            timed_out: bool, delivery_id: str | None) -> None:
    """Write one result to the store; a store failure is logged, never shown to the agent."""
    ticket = check.ticket
    draft = check.draft
    agent = (draft.author.name or draft.author.id) if draft is not None else None
    agent = agent or (ticket.assignee.name or ticket.assignee.id if ticket.assignee else None) or ""
    created = ticket.created_at or next((c.created_at for c in ticket.comments if c.created_at), None)
    item = CheckRecord(
        source=endpoint.source, ticket_id=ticket.id, report=report, timed_out=timed_out, agent=agent,
        team=ticket.group or "", ticket_created_at=created.isoformat() if created else "",
        delivery_id=delivery_id, body=draft.body if draft is not None else None, policy=loaded.digest,
    )
    try:
        state.store.record(item, include_bodies=loaded.store.include_bodies)
        record_findings(state.store, endpoint.source, check, report, loaded.digest)
    except Exception as exc:  # the answer is already sent; keep serving and say what failed
        log.error("could not record the result for ticket %s from %s: %s", ticket.id, endpoint.source,
                  type(exc).__name__)


async def _process(request: Request, endpoint: Endpoint, started: float) -> Response:
    state = _state(request)
    check_content_type(request.headers)
    raw = await read_limited(request.headers, request.stream(), state.settings.max_body_bytes)
    try:
        endpoint.authenticate(request, raw, state.secrets)
    except AuthError as exc:
        headers = {"WWW-Authenticate": 'Bearer realm="holdthread"'} if endpoint.source.endswith(("app", "api")) else {}
        raise HTTPProblem(401, str(exc), headers=headers) from None
    converted = endpoint.convert(parse_json(raw), request)
    if converted.request is None:
        return JSONResponse({"status": "ignored", "reason": converted.ignored, "delivery_id": converted.delivery_id},
                            status_code=202)
    if not state.service.try_acquire():
        SHED.inc()
        raise HTTPProblem(503, "holdthread is busy; try again in a moment (the helpdesk apps let the update through)",
                          headers={"Retry-After": str(state.settings.retry_after)})
    handed_off = False
    try:
        delivery_id = converted.delivery_id if endpoint.webhook else None
        if delivery_id is not None and not await asyncio.to_thread(state.store.claim, delivery_id):
            DUPLICATES.labels(endpoint.source).inc()
            return JSONResponse({"status": "duplicate", "delivery_id": delivery_id}, status_code=200)
        handed_off = True
        try:
            report, loaded = await state.service.check(converted.request, started)
        except Exception as exc:
            if delivery_id is not None:
                await asyncio.to_thread(state.store.unclaim, delivery_id)
            if not isinstance(exc, InputError):
                raise
            problems = [Pointed(_json_pointer(p.path), p.message) for p in exc.problems]
            raise HTTPProblem(400, problems[0].message if problems else str(exc), problems) from None
    finally:
        if not handed_off:
            state.service.release()
    timed_out = report is None
    if report is None:
        TIMEOUTS.labels(endpoint.source).inc()
        report = Report(ticket_id=converted.request.ticket.id, verdict="pass", score=100)
    else:
        observe_report(endpoint.source, report)
    extra = {"delivery_id": delivery_id} if endpoint.webhook else {}
    background = BackgroundTask(_record, state, endpoint, converted.request, report, loaded, timed_out, delivery_id)
    log.info("%s ticket=%s verdict=%s score=%d timed_out=%s", endpoint.path, report.ticket_id, report.verdict,
             report.score, timed_out)
    return JSONResponse(_answer(report, loaded, timed_out, extra), background=background)


def _handler(endpoint: Endpoint) -> Callable[[Request], Any]:
    async def handle(request: Request) -> Response:
        started = time.monotonic()
        status = 500
        try:
            response = await _process(request, endpoint, started)
            status = response.status_code
            return response
        except HTTPProblem as problem:
            status = problem.status
            log.info("%s refused: %d %s", endpoint.path, problem.status, problem.message)
            return JSONResponse(problem.body(), status_code=problem.status, headers=problem.headers)
        except Exception as exc:
            # A bug (say, in a plugin rule): name it and where, but not its message, which may
            # quote the note. The helpdesk apps let the update through on any non-2xx answer.
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            log.error("%s failed: %s at %s:%s (in %s)", endpoint.path, type(exc).__name__, frame.filename,
                      frame.lineno, frame.name)
            return JSONResponse({"error": "holdthread failed while checking this update; it was not checked. "
                                          "The server log names the failure."}, status_code=500)
        finally:
            REQUESTS.labels(endpoint.path, str(status)).inc()
            LATENCY.labels(endpoint.path).observe(time.monotonic() - started)

    return handle


async def healthz(_request: Request) -> Response:
    return JSONResponse({"status": "ok", "pid": os.getpid()})


async def readyz(request: Request) -> Response:
    service = _state(request).service
    if not service.ready:
        return JSONResponse({"status": "starting"}, status_code=503)
    loaded = service.current
    return JSONResponse({
        "status": "ready", "pid": os.getpid(), "inflight": service.inflight,
        "policy": {"digest": loaded.digest, "sources": loaded.sources,
                   "loaded_at": loaded.loaded_at.isoformat(timespec="seconds")},
    })


async def metrics(_request: Request) -> Response:
    return Response(exposition(), media_type=CONTENT_TYPE)


def _configure_logging() -> None:
    """Our log lines beside uvicorn's, on stderr; INFO and up (no bodies are ever logged)."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     [%(process)d] holdthread: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def create_app(settings: ServerSettings | None = None) -> Starlette:
    """The app for one worker; the policy and pipeline load in its lifespan, before it serves."""
    settings = settings or ServerSettings.from_env()
    _configure_logging()
    if threading.current_thread() is threading.main_thread():
        # Until the lifespan installs the reload handler, a SIGHUP must not kill a starting worker.
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    state = ServerState(settings=settings, service=LintService(settings), store=FindingsStore(settings.store))

    async def on_hup() -> None:
        state.secrets = load_secrets()
        await state.service.reload("SIGHUP")

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await asyncio.to_thread(state.service.start)
        await asyncio.to_thread(state.store.create)
        state.secrets = load_secrets()
        loop = asyncio.get_running_loop()
        in_main_thread = threading.current_thread() is threading.main_thread()
        tasks: set[asyncio.Task[None]] = set()

        def hup() -> None:
            task = loop.create_task(on_hup())
            tasks.add(task)
            task.add_done_callback(tasks.discard)

        if in_main_thread:  # an app embedded in another server's thread reloads by file watch only
            loop.add_signal_handler(signal.SIGHUP, hup)
        watch = loop.create_task(state.service.watch())
        try:
            yield
        finally:
            if in_main_thread:
                loop.remove_signal_handler(signal.SIGHUP)
            watch.cancel()
            state.service.stop()
            state.store.close()

    routes = [Route(e.path, _handler(e), methods=["POST"]) for e in ENDPOINTS]
    routes += feedback_routes(_api_auth)  # POST /v1/feedback: agents' "Not right?" and overrides (feedback.py)
    routes += [Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics)]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.holdthread = state
    return app
