"""Policy reload over real HTTP: SIGHUP to the parent of two workers swaps the policy without
dropping a request; an invalid new policy keeps the old one and the log says why; the file watch
reloads without a signal."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
from server_helpers import BEARER, VAGUE_ESCALATION, ServerProcess, generic_check

STRICT = "extends: recommended\nrules:\n  missing-owner: error\n"
LENIENT = "extends: recommended\nrules:\n  missing-owner: off\n  missing-repro-steps: off\n  vague-language: info\n"


def verdicts(server: ServerProcess, count: int = 12) -> set[tuple[str, str]]:
    found = set()
    for _ in range(count):
        answer = server.post("/v1/check", generic_check(VAGUE_ESCALATION), BEARER).json()
        found.add((answer["verdict"], answer["policy"]))
    return found


def wait_for_log(server: ServerProcess, text: str, count: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while server.log().count(text) < count:
        assert time.monotonic() < deadline, server.log()
        time.sleep(0.1)


def test_sighup_reload_valid_then_invalid(tmp_path: Path) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(STRICT, encoding="utf-8")
    server = ServerProcess(tmp_path, policy=str(policy), workers=2, args=["--watch-interval", "0"])
    try:
        server.wait_workers(2)
        before = verdicts(server)
        assert {v for v, _ in before} == {"block"}
        statuses: list[int] = []
        stop = threading.Event()

        def traffic() -> None:
            with httpx.Client(base_url=server.url, headers=BEARER, timeout=30) as client:
                while not stop.is_set():
                    statuses.append(client.post("/v1/check", json=generic_check()).status_code)

        worker = threading.Thread(target=traffic)
        worker.start()
        policy.write_text(LENIENT, encoding="utf-8")
        server.hup()
        wait_for_log(server, "policy reloaded (SIGHUP)", 2)
        stop.set()
        worker.join()
        assert statuses and set(statuses) == {200}  # no request dropped during the reload
        after = verdicts(server)
        assert "block" not in {v for v, _ in after}  # missing-owner is off now
        lenient_digest = {d for _, d in after}
        assert len(lenient_digest) == 1 and lenient_digest != {d for _, d in before}

        policy.write_text("extends: recommended\nrules:\n  vague-langauge: error\n", encoding="utf-8")
        server.hup()
        wait_for_log(server, "policy reload (SIGHUP) failed", 2)
        assert "did you mean 'vague-language'" in server.log()
        assert verdicts(server) == after  # still the last valid policy
        assert httpx.get(f"{server.url}/readyz").json()["policy"]["digest"] in lenient_digest
    finally:
        server.stop()


def test_file_watch_reloads_without_a_signal(tmp_path: Path) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(STRICT, encoding="utf-8")
    server = ServerProcess(tmp_path, policy=str(policy), args=["--watch-interval", "0.2"])
    try:
        assert {v for v, _ in verdicts(server, 2)} == {"block"}
        policy.write_text(LENIENT, encoding="utf-8")
        wait_for_log(server, "policy reloaded (policy file changed)", 1)
        assert "block" not in {v for v, _ in verdicts(server, 2)}
    finally:
        server.stop()
