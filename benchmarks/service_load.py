"""Load on the real pre-submit service: requests/s, p50/p95/p99 latency, errors and 503s.

Starts `holdthread serve --workers 2` on a free loopback port and drives /v1/check with
realistic check requests (escalations, handoffs and replies with their threads), in three phases
of ``--duration`` seconds each:

1. **target rate**: 16 concurrent clients (keep-alive connections) paced to ``--rate`` in total;
2. **saturation**: the same 16 clients, unpaced: the sustainable rate is what they get answered;
3. **2x sustainable**: arrivals on a fixed schedule at twice that rate, whatever the server does
   (as helpdesk traffic arrives), over up to 64 connections: the service must shed load (503 with
   Retry-After) or answer within its time budget, and stay up.

    python benchmarks/service_load.py --duration 20 --rate 100

The client is a minimal HTTP/1.1 keep-alive client on asyncio streams with pre-encoded requests,
because the machine has 2 cores shared by client and server: a full HTTP client library would
spend more CPU than the server and measure itself. Only loopback traffic; every phase is bounded
in time and stops by itself (requests still unanswered 5 s after a phase ends are cancelled and
counted).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from server_helpers import API_TOKEN, GOOD_ESCALATION, VAGUE_ESCALATION, ServerProcess, generic_check

NOTES = [
    VAGUE_ESCALATION,
    GOOD_ESCALATION,
    "Handing over to the night shift: @tier2-sync (Jo Lee) owns the SSO loop; next update due 09:00 UTC. "
    "Steps: 1. Log in with Okta 2. Choose the Acme workspace 3. Redirect loops back to the login page.",
    "Escalating to engineering. Steps to reproduce: 1. Open Reports 2. Pick March 3. Click Export CSV. "
    "Expected a file, got Error 504 after 60 s. Owner: Priya Shah until the fix ships.",
    "customer is angry, something with billing again, can someone look at this soon",
    "Hi Dana, thanks for the order number 1182. Priya from billing will refund the duplicate charge by Friday.",
]
GRACE_SECONDS = 5.0


def encoded_requests(port: int) -> list[bytes]:
    """60 distinct check requests as ready-to-send HTTP/1.1 bytes."""
    pool = []
    for index in range(60):
        request = generic_check(NOTES[index % len(NOTES)], f"T-{9000 + index}")
        if index % len(NOTES) == 5:
            request["draft"].update(kind="reply", public=True)
        body = json.dumps(request).encode()
        head = (f"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {API_TOKEN}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
        pool.append(head.encode() + body)
    return pool


class Connection:
    """One keep-alive HTTP/1.1 connection: send pre-encoded bytes, read status, headers, body."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            self.writer.write(raw)
            head = await self.reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            self.close()
            raise
        if headers.get("connection", "").lower() == "close":
            self.close()
        return int(lines[0].split(" ", 2)[1]), headers, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Phase:
    name: str
    rate: float
    latencies: list[float] = field(default_factory=list)
    #: From the moment the request was written to the connection (open loop only).
    server_times: list[float] = field(default_factory=list)
    ok: int = 0
    shed: int = 0
    timed_out: int = 0
    errors: int = 0
    cancelled: int = 0
    elapsed: float = 0.0

    def count(self, status: int, headers: dict[str, str], body: bytes, latency: float) -> None:
        self.latencies.append(latency)
        if status == 503:
            self.shed += 1
            self.errors += "retry-after" not in headers  # a 503 without Retry-After is an error
        elif status != 200:
            self.errors += 1
        else:
            self.ok += 1
            self.timed_out += b'"timed_out":true' in body


async def closed_loop(port: int, phase: Phase, duration: float, clients: int) -> None:
    """``clients`` connections, each sending its next request when the last is answered (paced
    to ``phase.rate`` in total, or unpaced when the rate is infinite)."""
    pool = encoded_requests(port)
    interval = clients / phase.rate
    start = time.monotonic()
    deadline = start + duration

    async def client(number: int) -> None:
        connection = Connection(port)
        next_send = start + number * interval / clients
        sent = number
        while time.monotonic() < deadline:
            delay = next_send - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            next_send += interval
            begun = time.monotonic()
            try:
                status, headers, body = await connection.send(pool[sent % len(pool)])
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                phase.errors += 1
                continue
            finally:
                sent += clients
            phase.count(status, headers, body, time.monotonic() - begun)
        connection.close()

    tasks = [asyncio.create_task(client(i)) for i in range(clients)]
    await _bounded(tasks, duration, phase)
    phase.elapsed = time.monotonic() - start


async def open_loop(port: int, phase: Phase, duration: float, connections: int) -> None:
    """Arrivals on a fixed schedule at ``phase.rate``; each takes a free connection (waiting for
    one if all ``connections`` are busy). Latency counts from the scheduled arrival, so time spent
    waiting for a connection is not hidden."""
    pool = encoded_requests(port)
    free: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(connections):
        free.put_nowait(Connection(port))
    start = time.monotonic()
    tasks: list[asyncio.Task[None]] = []

    async def arrival(index: int, scheduled: float) -> None:
        connection = await free.get()
        sent = time.monotonic()
        try:
            status, headers, body = await connection.send(pool[index % len(pool)])
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            phase.errors += 1
            return
        finally:
            free.put_nowait(connection)
        phase.count(status, headers, body, time.monotonic() - scheduled)
        phase.server_times.append(time.monotonic() - sent)

    index = 0
    while True:
        scheduled = start + index / phase.rate
        if scheduled - start >= duration:
            break
        delay = scheduled - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(arrival(index, scheduled)))
        index += 1
    await _bounded(tasks, GRACE_SECONDS - duration, phase)
    phase.elapsed = time.monotonic() - start
    while not free.empty():
        free.get_nowait().close()


async def _bounded(tasks: list[asyncio.Task[None]], duration: float, phase: Phase) -> None:
    """Wait for the tasks until the phase (plus grace) ends; cancel and count the rest."""
    _done, pending = await asyncio.wait(tasks, timeout=max(0.0, duration) + GRACE_SECONDS)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    phase.cancelled = len(pending)


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(phase: Phase) -> None:
    answered = phase.ok + phase.shed
    ms = [v * 1000 for v in phase.latencies]
    print(f"{phase.name:<22} target {phase.rate:>5.0f}/s  answered {answered / phase.elapsed:>6.1f} req/s  "
          f"p50 {percentile(ms, 50):6.1f} ms  p95 {percentile(ms, 95):6.1f} ms  p99 {percentile(ms, 99):7.1f} ms  "
          f"200 {phase.ok}  503 {phase.shed}  timed_out {phase.timed_out}  errors {phase.errors}"
          + (f"  unanswered at the deadline {phase.cancelled}" if phase.cancelled else ""))
    if phase.server_times:
        server_ms = [v * 1000 for v in phase.server_times]
        print(f"{'':<22} from send (excluding the wait for one of the 64 connections): "
              f"p50 {percentile(server_ms, 50):.1f} ms  p95 {percentile(server_ms, 95):.1f} ms  "
              f"p99 {percentile(server_ms, 99):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per phase (default 60)")
    parser.add_argument("--rate", type=float, default=100.0, help="target requests/s of the first phase")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="holdthread-load-") as tmp:
        server = ServerProcess(Path(tmp), workers=args.workers)
        try:
            server.wait_workers(args.workers)
            print(f"holdthread serve --workers {args.workers} on {server.url}; {args.clients} clients, "
                  f"{args.duration:.0f} s per phase, {os.cpu_count()} CPUs shared by client and server")
            asyncio.run(closed_loop(server.port, Phase("warm-up", args.rate), min(3.0, args.duration), args.clients))
            target = Phase("target rate", args.rate)
            asyncio.run(closed_loop(server.port, target, args.duration, args.clients))
            report(target)
            saturated = Phase("saturation (unpaced)", float("inf"))
            asyncio.run(closed_loop(server.port, saturated, args.duration, args.clients))
            saturated.rate = (saturated.ok + saturated.shed) / saturated.elapsed
            report(saturated)
            overload = Phase("2x sustainable (open)", 2 * saturated.rate)
            asyncio.run(open_loop(server.port, overload, args.duration, connections=64))
            report(overload)
            ready = httpx.get(f"{server.url}/readyz", timeout=10).status_code == 200
            print(f"server still ready after the overload phase: {ready}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
