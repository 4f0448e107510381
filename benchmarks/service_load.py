"""Load on the real pre-submit service: requests/s, p50/p95/p99 latency, errors and 503s.

Starts `holdthread serve --workers 2` on a free loopback port, then drives /v1/check with
realistic check requests (a rotating set of escalations, handoffs and replies with their
threads) from 16 concurrent clients, paced to a target rate; then again at twice that rate, to
show how the service sheds load (503 with Retry-After) or answers within its time budget.

    python benchmarks/service_load.py --duration 20 --rate 100

Only loopback traffic; every phase is bounded in time and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from server_helpers import BEARER, GOOD_ESCALATION, VAGUE_ESCALATION, ServerProcess, generic_check

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


def requests_pool() -> list[dict[str, Any]]:
    pool = []
    for index in range(60):
        request = generic_check(NOTES[index % len(NOTES)], f"T-{9000 + index}")
        if index % len(NOTES) == 5:
            request["draft"].update(kind="reply", public=True)
        pool.append(request)
    return pool


@dataclass
class Phase:
    name: str
    rate: float
    latencies: list[float] = field(default_factory=list)
    ok: int = 0
    shed: int = 0
    timed_out: int = 0
    errors: int = 0
    cancelled: int = 0
    elapsed: float = 0.0


async def run_phase(url: str, phase: Phase, duration: float, clients: int) -> None:
    pool = requests_pool()
    interval = clients / phase.rate  # each client sends one request per interval (0: as fast as answered)
    deadline = time.monotonic() + duration

    async def client(number: int, http: httpx.AsyncClient) -> None:
        next_send = time.monotonic() + number * interval / clients
        sent = number
        while True:
            now = time.monotonic()
            if now >= deadline:
                return
            if next_send > now:
                await asyncio.sleep(next_send - now)
            next_send += interval
            started = time.monotonic()
            try:
                response = await http.post("/v1/check", json=pool[sent % len(pool)])
            except httpx.HTTPError:
                phase.errors += 1
                continue
            finally:
                sent += clients
            phase.latencies.append(time.monotonic() - started)
            if response.status_code == 503:
                phase.shed += 1
            elif response.status_code != 200:
                phase.errors += 1
            else:
                phase.ok += 1
                phase.timed_out += bool(response.json().get("timed_out"))

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, headers=BEARER, timeout=10, limits=limits) as http:
        started = time.monotonic()
        await asyncio.gather(*(client(i, http) for i in range(clients)))
        phase.elapsed = time.monotonic() - started


async def run_open_loop(url: str, phase: Phase, duration: float, max_connections: int) -> None:
    """Arrivals on a fixed schedule whatever the server does (as helpdesk traffic arrives), up to
    ``max_connections`` at once; latency counts from when a request is actually sent."""
    pool = requests_pool()
    count = int(phase.rate * duration)
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
    # Waiting requests queue on this semaphore, not in httpx's pool (whose waiting list is slow).
    slots = asyncio.Semaphore(max_connections)
    async with httpx.AsyncClient(base_url=url, headers=BEARER, timeout=10, limits=limits) as http:
        start = time.monotonic()

        async def one(index: int) -> None:
            scheduled = start + index / phase.rate
            await asyncio.sleep(max(0.0, scheduled - time.monotonic()))
            async with slots:
                sent = time.monotonic()
                try:
                    response = await http.post("/v1/check", json=pool[index % len(pool)])
                except httpx.HTTPError:
                    phase.errors += 1
                    return
                phase.latencies.append(time.monotonic() - sent)
            if response.status_code == 503:
                phase.shed += 1
                if "retry-after" not in response.headers:
                    phase.errors += 1
            elif response.status_code != 200:
                phase.errors += 1
            else:
                phase.ok += 1
                phase.timed_out += bool(response.json().get("timed_out"))

        tasks = [asyncio.create_task(one(i)) for i in range(count)]
        # Bounded: whatever the client could not send or get answered within the phase (+5 s) is
        # cancelled and counted, so an overloaded machine cannot stretch the run.
        _done, pending = await asyncio.wait(tasks, timeout=duration + 5)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        phase.cancelled = len(pending)
        phase.elapsed = time.monotonic() - start


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def report(phase: Phase) -> None:
    total = phase.ok + phase.shed + phase.errors
    ms = [v * 1000 for v in phase.latencies]
    print(f"{phase.name:<22} target {phase.rate:>5.0f}/s  achieved {total / phase.elapsed:>6.1f} req/s  "
          f"p50 {percentile(ms, 50):6.1f} ms  p95 {percentile(ms, 95):6.1f} ms  p99 {percentile(ms, 99):6.1f} ms  "
          f"ok {phase.ok}  503 {phase.shed}  timed_out {phase.timed_out}  errors {phase.errors}"
          + (f"  unanswered at the deadline {phase.cancelled}" if phase.cancelled else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per phase (default 60)")
    parser.add_argument("--rate", type=float, default=100.0, help="target requests/s of the first phase")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="holdthread-load-") as tmp:
        server = ServerProcess(Path(tmp), workers=args.workers)
        try:
            print(f"holdthread serve --workers {args.workers} on {server.url}; {args.clients} clients, "
                  f"{args.duration:.0f} s per phase, {os.cpu_count()} CPUs")
            asyncio.run(run_phase(server.url, Phase("warm-up", args.rate), min(3.0, args.duration), args.clients))
            target = Phase("target rate", args.rate)
            asyncio.run(run_phase(server.url, target, args.duration, args.clients))
            report(target)
            # Sustainable: as fast as 16 clients get answers, each waiting for its answer.
            saturated = Phase("saturation (unpaced)", float("inf"))
            asyncio.run(run_phase(server.url, saturated, args.duration, args.clients))
            sustainable = (saturated.ok + saturated.shed + saturated.errors) / saturated.elapsed
            saturated.rate = sustainable
            report(saturated)
            overload = Phase("2x sustainable (open)", 2 * sustainable)
            asyncio.run(run_open_loop(server.url, overload, args.duration, max_connections=64))
            report(overload)
            alive = httpx.get(f"{server.url}/readyz").status_code == 200
            print(f"server still ready after the overload phase: {alive}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
