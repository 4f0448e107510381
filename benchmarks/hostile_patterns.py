"""How long a hostile policy pattern takes: Python's ``re`` against RE2, and end to end.

Policy-defined rules run patterns written in policy files, which are untrusted. A pattern with
nested quantifiers, like ``(a+)+$`` or ``(x+x+)+y``, makes a backtracking engine (Python's ``re``)
take exponential time on a note that almost matches; RE2, which holdthread uses, stays linear.

Python's ``re`` runs in a subprocess with a hard timeout, so this script always ends. Prints one
line per (pattern, input, engine); run it with::

    /work/venv/bin/python benchmarks/hostile_patterns.py [--timeout 5] [--chars 100000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable

import re2

from holdthread.linter.engine import Linter

#: (pattern, how to build an input of n characters that almost matches).
CASES: list[tuple[str, str, Callable[[int], str]]] = [
    ("(a+)+$", "'a' * n + '!'", lambda n: "a" * (n - 1) + "!"),
    ("(x+x+)+y", "'x' * n", lambda n: "x" * n),
    ("(a|aa)+$", "'a' * n + '!'", lambda n: "a" * (n - 1) + "!"),
]

_CHILD = """
import re, sys, time
pattern, n = sys.argv[1], int(sys.argv[2])
text = {builder}
start = time.perf_counter()
re.search(pattern, text)
print(time.perf_counter() - start)
"""


def python_re(pattern: str, builder: str, n: int, timeout: float) -> str:
    """Seconds Python's ``re`` takes, or "timed out" (it runs in a child that is killed)."""
    code = _CHILD.format(builder=builder)
    try:
        done = subprocess.run([sys.executable, "-c", code, pattern, str(n)], capture_output=True,
                              text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return f"> {timeout:.1f} s (killed)"
    return f"{float(done.stdout):.4f} s"


def re2_time(pattern: str, text: str) -> str:
    compiled = re2.compile(pattern)
    start = time.perf_counter()
    compiled.search(text)
    return f"{time.perf_counter() - start:.4f} s"


def end_to_end(patterns: list[str], text: str) -> tuple[float, int]:
    """A policy-defined existence rule with every hostile pattern, checking one note."""
    policy = {"rules": {"hostile": {"kind": "existence", "patterns": patterns, "message": "found {match}"}}}
    linter = Linter(policy, select=["hostile"])
    start = time.perf_counter()
    report = linter.check_text(text)
    return time.perf_counter() - start, len(report.annotations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds before Python's re is killed")
    parser.add_argument("--chars", type=int, default=100_000, help="size of the large note")
    args = parser.parse_args()
    print(f"{'pattern':<12} {'input':<16} {'chars':>8}  {'python re':>20}  {'re2':>10}")
    for pattern, builder, build in CASES:
        timed_out = False
        for n in (22, 26, args.chars):
            # Once a smaller input timed out, a larger one would too: do not wait for it again.
            slow = f"> {args.timeout:.1f} s (skipped)" if timed_out else python_re(pattern, builder, n, args.timeout)
            timed_out = timed_out or ">" in slow
            print(f"{pattern:<12} {builder:<16} {n:>8,}  {slow:>20}  {re2_time(pattern, build(n)):>10}")
    # End to end: every hostile pattern in one rule, plus one that matches everywhere (capped).
    patterns = [pattern for pattern, _, _ in CASES] + ["a.*b|a"]
    for label, note in (("'a' * n + '!'", CASES[0][2](args.chars)), ("'x' * n", CASES[1][2](args.chars))):
        seconds, found = end_to_end(patterns, note)
        print(f"holdthread, existence rule with {len(patterns)} hostile patterns, note {label} "
              f"({args.chars:,} chars): {seconds:.4f} s, {found} finding(s)")


if __name__ == "__main__":
    main()
