"""Throughput and memory of ``holdthread audit`` on generated exports.

Generates realistic generic JSONL exports (about 8 comments a ticket, handoffs with group and
assignee changes and internal notes around them; seeded, so runs compare), then runs the audit as
a child process for ``--jobs 1`` and ``--jobs 2`` at each size, sampling the resident memory of
the whole process tree (the audit and its workers). Prints tickets/s (wall clock, start-up
included, and the pipeline's own rate from summary.json), peak RSS and the ratios the issue sets
targets for: >= 500 tickets/s per core, --jobs 2 >= 1.7x --jobs 1, RSS(100k) <= 1.2x RSS(10k).

    python benchmarks/audit.py                    # 10k and 100k tickets
    python benchmarks/audit.py --sizes 2000,5000  # a quick run
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from holdthread.audit.synthetic import write_jsonl


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def run(export: Path, out: Path, jobs: int) -> dict[str, float]:
    """One audit as a child process: wall seconds, peak tree RSS, the pipeline's own rate."""
    command = [
        sys.executable,
        "-m",
        "holdthread",
        "audit",
        str(export),
        "--out",
        str(out),
        "--jobs",
        str(jobs),
        "--no-cache",
    ]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watched = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, tree_rss(watched))
        time.sleep(0.05)
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"audit failed ({child.returncode}): {child.stderr.read().decode() if child.stderr else ''}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {
        "wall": wall,
        "rss": peak,
        "rate": summary["timing"]["records_per_second"],
        "tickets": summary["counts"]["linted"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated ticket counts (default: 10000,100000)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values (default: 1,2)")
    parser.add_argument("--workdir", type=Path, default=None, help="where exports and outputs go (default: a temp dir)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    jobs_list = [int(j) for j in args.jobs.split(",")]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="holdthread-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"holdthread audit benchmark; {psutil.cpu_count()} cores; work dir {workdir}")
    print(
        f"{'tickets':>8} {'jobs':>4} {'wall s':>8} {'tickets/s (wall)':>17} {'tickets/s (pipeline)':>21} "
        f"{'per core':>9} {'peak RSS MiB':>13}"
    )
    results: dict[tuple[int, int], dict[str, float]] = {}
    for size in sizes:
        export = workdir / f"tickets-{size}.jsonl"
        if not export.exists():
            write_jsonl(export, size, seed=2026)
        for jobs in jobs_list:
            result = run(export, workdir / f"out-{size}-{jobs}", jobs)
            results[size, jobs] = result
            rate = size / result["wall"]
            print(
                f"{size:>8} {jobs:>4} {result['wall']:>8.1f} {rate:>17,.0f} {result['rate']:>21,.0f} "
                f"{result['rate'] / jobs:>9,.0f} {result['rss'] / 2**20:>13,.0f}",
                flush=True,
            )
    print()
    for size in sizes:
        if (size, 1) in results and (size, 2) in results:
            wall = (size / results[size, 2]["wall"]) / (size / results[size, 1]["wall"])
            pipe = results[size, 2]["rate"] / results[size, 1]["rate"]
            print(f"jobs2/jobs1 at {size}: {wall:.2f}x (wall), {pipe:.2f}x (pipeline)   target >= 1.7x")
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        for jobs in jobs_list:
            if (small, jobs) in results and (large, jobs) in results:
                ratio = results[large, jobs]["rss"] / results[small, jobs]["rss"]
                print(f"peak RSS {large}/{small} with --jobs {jobs}: {ratio:.2f}x   target <= 1.2x")


if __name__ == "__main__":
    main()
