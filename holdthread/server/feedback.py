"""The false-alarm loop's service half: finding ids in answers, and ``POST /v1/feedback``.

Every finding in a service answer carries an ``id``. It is stable: the same finding on the same
ticket (same note, rule and flagged words, counted in order when a note has the same words
twice) gets the same id on every check, so an agent's "Not right?" on a re-checked draft lands
on the finding they saw. The id is a hash: it reveals nothing of the note.

``POST /v1/feedback`` takes ``{"finding_id", "verdict", "reason"}`` with the same credentials as
``/v1/check``. ``verdict`` is ``false_alarm`` ("Not right?"), ``useful``, or ``override`` (the
agent saved a blocked note anyway; a reason is required). The answer is 201 when recorded, 404
for an id no answer carried, 400 for a bad body. Findings are recorded just after their answer
is sent, so feedback sent within milliseconds of an answer may find nothing yet (404).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import Counter
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from holdthread.linter.models import CheckRequest, Report
from holdthread.qa.attribution import person_label
from holdthread.server.bodies import HTTPProblem, check_content_type, parse_json, read_limited, validation_pointers
from holdthread.server.feedback_store import FeedbackStore, ShownFinding
from holdthread.server.metrics import LATENCY, REQUESTS
from holdthread.server.signatures import AuthError
from holdthread.server.store import FindingsStore

if TYPE_CHECKING:
    from holdthread.server.app import Authenticate, ServerState

log = logging.getLogger("holdthread.server")

PATH = "/v1/feedback"
MAX_REASON_CHARS = 1000


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def finding_ids(report: Report) -> list[str]:
    """A stable id for each finding of ``report``, in order (see the module docstring)."""
    seen: Counter[tuple[str, ...]] = Counter()
    ids = []
    for annotation in report.annotations:
        key = (report.ticket_id, annotation.comment_id or "", annotation.rule, _words(annotation.text))
        occurrence = seen[key]
        seen[key] += 1
        digest = hashlib.sha256("\0".join((*key, str(occurrence))).encode("utf-8")).hexdigest()
        ids.append("f_" + digest[:24])
    return ids


def annotations_with_ids(report: Report) -> list[dict[str, Any]]:
    """The answer's annotations, each with its ``id``."""
    return [
        {**annotation.model_dump(mode="json"), "id": finding_id}
        for annotation, finding_id in zip(report.annotations, finding_ids(report), strict=True)
    ]


def record_findings(store: FindingsStore, source: str, check: CheckRequest, report: Report, policy: str) -> None:
    """Remember the findings an answer showed, so feedback on them can be recorded and counted.

    Each is noted with the kind of note it was on and that note's author (as QA scores charge it).
    """
    comments = {comment.id: comment for comment in check.ticket.comments}
    shown = []
    for annotation, finding_id in zip(report.annotations, finding_ids(report), strict=True):
        comment = comments.get(annotation.comment_id or "")
        kind: str
        if comment is not None:
            kind, agent = comment.effective_kind, person_label(comment.author)
        elif check.draft is not None:
            kind, agent = check.draft.kind, person_label(check.draft.author)
        else:
            kind, agent = "ticket", ""
        shown.append(ShownFinding(finding_id, report.ticket_id, annotation.rule, annotation.severity, kind, agent))
    FeedbackStore(store.engine).record_findings(shown, source=source, policy=policy)


class FeedbackBody(BaseModel):
    """What an agent says about one finding."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    finding_id: str = Field(min_length=1, max_length=64)
    verdict: Literal["false_alarm", "useful", "override"]
    reason: str | None = Field(default=None, max_length=MAX_REASON_CHARS)

    @model_validator(mode="after")
    def _override_has_a_reason(self) -> FeedbackBody:
        if self.verdict == "override" and not self.reason:
            raise ValueError("an override needs a reason: say why the note is saved despite the block")
        return self


async def _record(request: Request, authenticate: Authenticate) -> Response:
    state: ServerState = request.app.state.holdthread
    check_content_type(request.headers)
    raw = await read_limited(request.headers, request.stream(), state.settings.max_body_bytes)
    try:
        authenticate(request, raw, state.secrets)
    except AuthError as exc:
        raise HTTPProblem(401, str(exc), headers={"WWW-Authenticate": 'Bearer realm="holdthread"'}) from None
    try:
        body = FeedbackBody.model_validate(parse_json(raw))
    except ValidationError as exc:
        problems = validation_pointers(exc)
        raise HTTPProblem(
            400,
            'send {"finding_id": ..., "verdict": "false_alarm" | "useful" | "override", '
            '"reason": ...}; ' + "; ".join(p.message for p in problems),
            problems,
        ) from None
    store = FeedbackStore(state.store.engine)
    finding = await asyncio.to_thread(store.find, body.finding_id)
    if finding is None:
        raise HTTPProblem(404, "no answer carried this finding id; send the id of a finding from a /v1/check answer")
    include = state.service.current.store.include_bodies
    await asyncio.to_thread(store.record_feedback, finding, body.verdict, body.reason if include else None)
    log.info("%s ticket=%s rule=%s verdict=%s", PATH, finding["ticket_id"], finding["rule"], body.verdict)
    return JSONResponse(
        {"status": "recorded", "finding_id": body.finding_id, "rule": finding["rule"], "verdict": body.verdict},
        status_code=201,
    )


def feedback_routes(authenticate: Authenticate) -> list[Route]:
    """The feedback endpoint, checking credentials with ``authenticate`` (the one /v1/check uses)."""

    async def handle(request: Request) -> Response:
        started = time.monotonic()
        status = 500
        try:
            response = await _record(request, authenticate)
            status = response.status_code
            return response
        except HTTPProblem as problem:
            status = problem.status
            log.info("%s refused: %d %s", PATH, problem.status, problem.message)
            return JSONResponse(problem.body(), status_code=problem.status, headers=problem.headers)
        except Exception as exc:
            log.error("%s failed: %s", PATH, type(exc).__name__)
            return JSONResponse(
                {"error": "holdthread could not record this feedback; the server log says why"}, status_code=500
            )
        finally:
            REQUESTS.labels(PATH, str(status)).inc()
            LATENCY.labels(PATH).observe(time.monotonic() - started)

    return [Route(PATH, handle, methods=["POST"])]
