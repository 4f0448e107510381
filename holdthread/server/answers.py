"""How every POST endpoint's outcome becomes an answer, a log line and a metric.

One place for it, so that the check and webhook endpoints and ``/v1/feedback`` refuse, fail and
count alike: a refusal (:class:`HTTPProblem`) is its status and JSON body, logged at info; a
client that went away is counted as 499 and logged at info (it is not our error); anything
else is a 500 whose log line names the exception and where, never its message (which may quote
a note).
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Awaitable, Callable

from starlette.responses import JSONResponse, Response

from holdthread.server.bodies import ClientGone, HTTPProblem
from holdthread.server.metrics import LATENCY, REQUESTS

log = logging.getLogger("holdthread.server")
#: The status counted for a request whose client went away before it was read (nginx's code).
CLIENT_CLOSED_REQUEST = 499


async def answered(path: str, process: Callable[[], Awaitable[Response]], failure: str) -> Response:
    """The response of ``process()``, or the answer for its refusal or failure; counted and timed.

    ``failure`` is the sentence a 500 answer says to the caller.
    """
    started = time.monotonic()
    status = 500
    try:
        response = await process()
        status = response.status_code
        return response
    except HTTPProblem as problem:
        status = problem.status
        log.info("%s refused: %d %s", path, problem.status, problem.message)
        return JSONResponse(problem.body(), status_code=problem.status, headers=problem.headers)
    except ClientGone:
        status = CLIENT_CLOSED_REQUEST
        log.info("%s: the client closed the connection before sending its whole request", path)
        return Response(status_code=CLIENT_CLOSED_REQUEST)
    except Exception as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        log.error("%s failed: %s at %s:%s (in %s)", path, type(exc).__name__, frame.filename, frame.lineno, frame.name)
        return JSONResponse({"error": failure}, status_code=500)
    finally:
        REQUESTS.labels(path, str(status)).inc()
        LATENCY.labels(path).observe(time.monotonic() - started)
