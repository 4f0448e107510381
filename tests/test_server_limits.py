"""Time budget and load shedding, over real HTTP: a slow check answers `pass` with `timed_out`,
and past `--max-inflight` the service answers 503 with Retry-After instead of queueing forever."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from server_helpers import BEARER, ServerProcess, generic_check

# A long but allowed escalation (under limits.max_note_chars): realistic sentences, repeated.
LONG_NOTE = " ".join(
    f"Step {i}: the customer opened Reports, chose March, clicked Export CSV and got Error 504 after 60 s."
    for i in range(900)
)


@pytest.fixture(scope="module")
def slow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    tmp = tmp_path_factory.mktemp("budget")
    policy = tmp / "holdthread.yaml"
    policy.write_text("extends: recommended\nlimits:\n  time_budget_ms: 1\n", encoding="utf-8")
    process = ServerProcess(tmp, policy=str(policy), args=["--max-inflight", "2"])
    yield process
    process.stop()


def test_time_budget_answers_pass_with_timed_out(slow_server: ServerProcess) -> None:
    assert 50_000 < len(LONG_NOTE) < 100_000
    response = slow_server.post("/v1/check", generic_check(LONG_NOTE, "T-SLOW"), BEARER)
    assert response.status_code == 200
    answer = response.json()
    assert answer["timed_out"] is True
    assert answer["verdict"] == "pass"
    assert "not checked" in answer["message"]
    path = slow_server.store.removeprefix("sqlite:///")
    for _ in range(50):
        with sqlite3.connect(path) as db:
            found = db.execute("SELECT timed_out, verdict FROM holdthread_checks WHERE ticket_id='T-SLOW'").fetchall()
        if found:
            break
        time.sleep(0.05)
    assert found == [(1, "pass")]
    assert 'holdthread_timeouts_total{source="api"}' in httpx.get(f"{slow_server.url}/metrics").text


def test_overload_is_shed_with_retry_after(slow_server: ServerProcess) -> None:
    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=slow_server.url, headers=BEARER, timeout=30) as client:
            return await asyncio.gather(*(client.post("/v1/check", json=generic_check(LONG_NOTE, f"T-B{i}"))
                                          for i in range(12)))

    responses = asyncio.run(burst())
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {200, 503}
    shed = [r for r in responses if r.status_code == 503]
    assert shed, statuses
    assert all(r.headers["retry-after"] == "1" for r in shed)
    assert all(r.json()["timed_out"] for r in responses if r.status_code == 200)
    # The server keeps serving once the burst is over.
    time.sleep(1.0)
    assert httpx.get(f"{slow_server.url}/readyz").status_code == 200


def test_invalid_policy_refuses_to_start(tmp_path: Path) -> None:
    policy = tmp_path / "bad.yaml"
    policy.write_text("rules:\n  missing-ownr: error\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="did you mean 'missing-owner'"):
        ServerProcess(tmp_path, policy=str(policy))
