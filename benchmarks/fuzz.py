"""Fuzz every reader of untrusted input for minutes, and print what was tried and what was slow.

    python benchmarks/fuzz.py --minutes 10            # round-robin over the five components
    python benchmarks/fuzz.py --cases 100000          # until this many cases (or --minutes) are done
    python benchmarks/fuzz.py --only check_text --max-chars 100000

The strategies and properties are those of ``tests/test_fuzz.py`` (``tests/fuzz_strategies.py``),
here with notes up to ``--max-chars`` (100 KB by default) instead of the test run's 4 KB. The run
fails (exit 1) on any crash and on any input slower than 1 s of CPU time per 100 KB of note (1 s
at least; CPU time, so that other work on the machine does not count),
printing hypothesis's smallest reproduction; otherwise it prints, per component, the cases
tried and the slowest input class with its time.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the shared strategies and the service test helpers

import fuzz_strategies as fuzz  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

COMPONENTS = ("check_text", "check", "policy", "sources", "service")
#: Examples per hypothesis run, per component (fewer where one example can take seconds); runs
#: repeat until the time or the case count is reached.
BATCH = {"check_text": 10, "check": 10, "policy": 50, "sources": 100, "service": 100}
#: Seconds each component runs in turn: equal time, so fast readers are tried far more often.
SLICE_SECONDS = 20.0


def _runner(strategy: st.SearchStrategy[Any], action: Callable[[Any], None], batch: int) -> Callable[[], None]:
    """A hypothesis run of ``batch`` examples of ``action`` over ``strategy`` (a fresh seed each
    call). No shrinking: a slow input shrinks for many minutes, and the failure names its input."""
    quiet = settings(
        max_examples=batch,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )

    @quiet
    @given(strategy)
    def run(case: Any) -> None:
        action(case)

    return run


@contextlib.contextmanager
def _runners(max_chars: int, only: set[str]) -> Iterator[dict[str, Callable[[], None]]]:
    from server_helpers import in_process_client

    with tempfile.TemporaryDirectory(prefix="holdthread-fuzz-") as folder:
        tmp = Path(folder)
        runners = {
            "check_text": _runner(fuzz.note_cases(max_chars), fuzz.check_text_property, BATCH["check_text"]),
            "check": _runner(fuzz.ticket_cases(max_chars), fuzz.check_property, BATCH["check"]),
            "policy": _runner(fuzz.policy_cases(), fuzz.policy_property, BATCH["policy"]),
            "sources": _runner(fuzz.export_cases(), lambda case: fuzz.export_property(case, tmp), BATCH["sources"]),
        }
        if "service" in only:
            with in_process_client(tmp) as client:
                logging.getLogger("holdthread.server").setLevel(logging.WARNING)  # a line per request is noise here
                post = fuzz.signed_post(client)
                fuzz.warm_up(post)
                runners["service"] = _runner(
                    fuzz.request_cases(max_chars), lambda case: fuzz.request_property(case, post), BATCH["service"]
                )
                yield {name: run for name, run in runners.items() if name in only}
        else:
            fuzz.warm_up()
            yield {name: run for name, run in runners.items() if name in only}


def _summary(exc: BaseException) -> str:
    """What failed, short enough to read: the innermost error and the input, cut."""
    inner: BaseException = exc
    while isinstance(inner, BaseExceptionGroup) and inner.exceptions:
        inner = inner.exceptions[0]
    frames = traceback.extract_tb(inner.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(inner).__name__}{where}: {fuzz.printable(str(inner), 300)}\n  input: {fuzz.printable(str(exc), 400)}"


def _report(started: float) -> None:
    timing = fuzz.TIMING
    print(f"\n{sum(timing.cases.values()):,} cases in {time.monotonic() - started:.0f} s")
    print(f"{'component':<11} {'cases':>8}  slowest input class (seconds, size)")
    for component in ("check_text", "check", "policy", "sources", "service"):
        slowest = timing.slowest_class(component)
        shown = f"{slowest[0]} ({slowest[1]:.3f} s, {slowest[2]:,} chars) {slowest[3]}" if slowest else "-"
        print(f"{component:<11} {timing.cases.get(component, 0):>8,}  {shown}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0, help="stop after this long (default 5)")
    parser.add_argument("--cases", type=int, default=0, help="stop once this many cases are tried (0: no limit)")
    parser.add_argument("--max-chars", type=int, default=100_000, help="largest generated note (default 100,000)")
    parser.add_argument("--only", action="append", choices=COMPONENTS, help="fuzz only these components")
    args = parser.parse_args()
    only = set(args.only or COMPONENTS)
    fuzz.ENFORCE_TIME_LIMIT = True
    deadline = time.monotonic() + args.minutes * 60
    started = time.monotonic()
    failed = False
    with _runners(args.max_chars, only) as runners:

        def done() -> bool:
            return time.monotonic() >= deadline or bool(args.cases and sum(fuzz.TIMING.cases.values()) >= args.cases)

        while not done() and not failed:
            for name, run in runners.items():
                slice_end = min(deadline, time.monotonic() + SLICE_SECONDS)
                while time.monotonic() < slice_end and not done():
                    try:
                        run()
                    except Exception as exc:
                        failed = True
                        print(f"\nFAILED {name}: {_summary(exc)}", file=sys.stderr)
                        break
                print(f"\r{sum(fuzz.TIMING.cases.values()):,} cases", end="", file=sys.stderr, flush=True)
                if failed or done():
                    break
    _report(started)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
