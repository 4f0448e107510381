"""uvicorn's HTTP protocol with a connection cap and a deadline for slow clients.

uvicorn times out an idle keep-alive connection, but not a client that opens a connection and
then sends its request a byte at a time, or never: 20,000 such half-open connections exhausted
a worker's file descriptors and took ``/readyz`` down. Each worker here:

- closes a new connection at once (after a plain 503) when ``max_connections`` are open;
- gives each request ``client_timeout`` seconds to send its headers, and as long again to send
  its body, then closes the connection (the app sees a client that went away, not an error).

uvicorn creates protocol objects itself, from a class named in its config, and starts worker
processes that must import it, so the limits are read from the settings ``holdthread serve``
leaves in the environment (:class:`~holdthread.server.settings.ServerSettings`).
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from holdthread.server.settings import ServerSettings

_REFUSED = (
    b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain\r\n"
    b"Content-Length: 40\r\nRetry-After: 1\r\n\r\nholdthread: too many open connections.\n"
)


@functools.cache
def _settings() -> ServerSettings:
    return ServerSettings.from_env()


class GuardedHttpProtocol(HttpToolsProtocol):
    """One HTTP connection, closed when the worker has too many or its client is too slow."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > _settings().max_connections:
            transport.write(_REFUSED)
            transport.close()
            return
        self._start_clock()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_clock()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._start_clock()  # the next request on a kept-alive connection has its own deadline

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._start_clock()  # the body gets as long as the headers had

    def on_message_complete(self) -> None:
        self._stop_clock()
        super().on_message_complete()

    def _start_clock(self) -> None:
        self._stop_clock()
        self._deadline = self.loop.call_later(_settings().client_timeout, self._too_slow)

    def _stop_clock(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()
