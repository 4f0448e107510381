"""What charging findings to their authors costs an audit, next to the lint itself.

For the same generated tickets (seeded), times per ticket: the lint (``Linter.check_many``),
finding the linted comments (``Linter.linted_comment_ids``) and the attribution
(``holdthread.qa.attribution.attribute``). Each is the best of ``--repeat`` runs, so a busy
machine disturbs it less.

    python benchmarks/attribution.py                 # 2,000 tickets, best of 5
    python benchmarks/attribution.py --tickets 500
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from holdthread.audit.synthetic import tickets
from holdthread.linter.engine import Linter, as_request
from holdthread.qa.attribution import Rubric, attribute


def best_ms_per_ticket(work: Callable[[], object], count: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return 1000 * best / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    requests = [as_request(t) for t in tickets(args.tickets, seed=3)]
    linter = Linter()
    rubric = Rubric.from_policy(linter.policy)
    reports = list(linter.check_many(requests))
    linted = [linter.linted_comment_ids(r) for r in requests]
    n = len(requests)
    lint = best_ms_per_ticket(lambda: list(linter.check_many(requests)), n, args.repeat)
    ids = best_ms_per_ticket(lambda: [linter.linted_comment_ids(r) for r in requests], n, args.repeat)
    charge = best_ms_per_ticket(
        lambda: [attribute(rep, req, ids_, rubric) for rep, req, ids_ in zip(reports, requests, linted, strict=True)],
        n,
        args.repeat,
    )
    print(f"{n} tickets, best of {args.repeat} (ms per ticket)")
    print(f"  lint                 {lint:7.3f}")
    print(f"  linted comment ids   {ids:7.3f}")
    print(f"  attribution          {charge:7.3f}")
    print(f"  attribution overhead {100 * (ids + charge) / lint:6.1f}% of the lint")


if __name__ == "__main__":
    main()
