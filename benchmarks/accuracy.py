"""Precision, recall and F1 of every rule on the labelled corpus (and on real bug reports).

    python benchmarks/accuracy.py                      # tests/corpus/*.jsonl, plus shared data if present
    python benchmarks/accuracy.py --corpus my-cases.jsonl --policy strict
    python benchmarks/accuracy.py --bug-reports ../shared/data/bug-reports-dev.jsonl --by-system
    python benchmarks/accuracy.py --real                # hand labels on real text (benchmarks/labels)
    python benchmarks/accuracy.py --real --rules repeated-ask --show-misses --save before.json
    python benchmarks/accuracy.py --real --compare before.json   # what a change moved, per source
    python benchmarks/accuracy.py --real --rules not-in-thread --holdout   # its blind notes: once, at the end

A corpus case is one JSON object per line: ``{"id", "request": {"ticket", "draft"}}`` (or
``"text"`` for a plain note) and ``"expect": {"rule-id": true|false}``: whether the rule should
fire on the case. Each rule is scored on the cases labelled for it. The bug reports (third-party
data, read in place and never copied) score ``missing-repro-steps`` against ``has_steps`` and,
when installed, ``missing-expected-actual`` against ``has_expected``. ``--real`` scores the
rules on real text against the hand labels in benchmarks/labels/ (see benchmarks/real_text.py),
and not-in-thread on the notes written over real threads (see benchmarks/not_in_thread.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from holdthread import Linter
from holdthread.linter.models import CheckRequest, Draft, Ticket
from holdthread.linter.registry import default_registry

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUG_REPORTS = ROOT.parent / "shared" / "data" / "bug-reports-dev.jsonl"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, expected: bool, fired: bool, case_id: str) -> None:
        if expected and fired:
            self.tp += 1
        elif fired:
            self.fp += 1
            self.misses.append(f"FP {case_id}")
        elif expected:
            self.fn += 1
            self.misses.append(f"FN {case_id}")
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self, name: str, label: str) -> str:
        n = self.tp + self.fp + self.fn + self.tn
        return (
            f"| {name} | {label} | {n} | {self.tp + self.fn} | {self.precision:.2f} | {self.recall:.2f} | "
            f"{self.f1:.2f} |"
        )


def load_cases(paths: Iterable[Path]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                case = json.loads(line)
                case.setdefault("id", f"{path.name}:{number}")
                yield path.name, case


def case_request(case: dict[str, Any]) -> CheckRequest:
    if "text" in case:
        return CheckRequest(ticket=Ticket(id=case["id"]), draft=Draft(body=case["text"]))
    return CheckRequest.model_validate(case["request"])


def score_corpus(paths: list[Path], policy: str | None) -> dict[tuple[str, str], Score]:
    cases = list(load_cases(paths))
    labelled = sorted({rule for _, case in cases for rule in case["expect"]})
    known = [rule for rule in labelled if rule in default_registry().rules]
    linter = Linter(policy, select=known)
    scores: dict[tuple[str, str], Score] = defaultdict(Score)
    reports = linter.check_many(case_request(case) for _, case in cases)
    for (name, case), report in zip(cases, reports, strict=True):
        fired = {a.rule for a in report.annotations}
        for rule, expected in case["expect"].items():
            if rule in known:
                scores[(rule, name)].add(bool(expected), rule in fired, case["id"])
    return scores


def description(report: dict[str, Any]) -> str:
    """The report's description: its text without the title line.

    The labels code the description only (the data's README: titles are not coded), so the
    title goes to the ticket's subject, as a helpdesk would hold it. A report whose description
    is empty keeps its title as the body, since there is nothing else to lint.
    """
    text: str = report["text"]
    title: str = report["title"]
    body = text[len(title) :].lstrip("\n") if text.startswith(title) else text
    return body or text


def score_bug_reports(path: Path, policy: str | None, *, by_system: bool = False) -> dict[str, Score]:
    """Lint each report as a bug escalation; the rule is right when the label says it is missing.

    With ``by_system``, scores are also kept per tracker ("missing-repro-steps@firefox"), to see
    whether a change helps every tracker or only one.
    """
    rules = {"missing-repro-steps": "has_steps", "missing-expected-actual": "has_expected"}
    active = [rule for rule in rules if rule in default_registry().rules]
    linter = Linter(policy, select=active)
    reports = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    requests = (
        CheckRequest(
            ticket=Ticket(id=r["id"], subject=r["title"], type="bug"),
            draft=Draft(body=description(r), kind="escalation"),
        )
        for r in reports
    )
    scores: dict[str, Score] = defaultdict(Score)
    for report_data, report in zip(reports, linter.check_many(requests), strict=True):
        fired = {a.rule for a in report.annotations}
        for rule in active:
            missing = not report_data[rules[rule]]
            scores[rule].add(missing, rule in fired, report_data["id"])
            if by_system:
                scores[f"{rule}@{report_data['system']}"].add(missing, rule in fired, report_data["id"])
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, nargs="*", help="corpus JSONL files (default: tests/corpus/*.jsonl)")
    parser.add_argument("--policy", help="policy file or preset (default: recommended)", default="recommended")
    parser.add_argument(
        "--bug-reports", type=Path, default=DEFAULT_BUG_REPORTS, help="labelled bug reports JSONL (skipped when absent)"
    )
    parser.add_argument("--show-misses", action="store_true", help="list the ids of false positives and negatives")
    parser.add_argument("--by-system", action="store_true", help="also score the bug reports per tracker")
    parser.add_argument(
        "--real",
        action="store_true",
        help="score the rules on real text against benchmarks/labels/ (instead of the corpus)",
    )
    parser.add_argument("--rules", nargs="*", help="with --real: only these rules")
    parser.add_argument("--sources", nargs="*", help="with --real: only these sources")
    parser.add_argument("--save", type=Path, help="with --real: write the figures as JSON")
    parser.add_argument("--compare", type=Path, help="with --real: show the change from figures saved earlier")
    parser.add_argument(
        "--holdout",
        action="store_true",
        help="with --real: score not-in-thread on its blind holdout notes instead of the development notes",
    )
    args = parser.parse_args(argv)
    if args.real:
        return real_main(args)

    paths = args.corpus or sorted((ROOT / "tests" / "corpus").glob("*.jsonl"))
    started = time.perf_counter()
    scores = score_corpus(paths, args.policy)
    print("| rule | corpus | cases | positives | precision | recall | F1 |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for (rule, name), score in sorted(scores.items()):
        print(score.row(rule, name))
        if args.show_misses and score.misses:
            print("    " + ", ".join(score.misses), file=sys.stderr)
    if args.bug_reports.is_file():
        for rule, score in sorted(score_bug_reports(args.bug_reports, args.policy, by_system=args.by_system).items()):
            print(score.row(rule, f"real bug reports ({args.bug_reports.name})"))
            print(
                f"    {rule} on {args.bug_reports.name}: TP {score.tp}, FP {score.fp}, FN {score.fn}, "
                f"TN {score.tn}; F1 {score.f1:.3f}"
            )
            if args.show_misses and score.misses:
                print("    " + ", ".join(score.misses[:60]), file=sys.stderr)
    else:
        print(f"(bug reports not found at {args.bug_reports}: skipped)")
    print(f"\nscored in {time.perf_counter() - started:.1f} s")
    return 0


def real_main(args: argparse.Namespace) -> int:
    """``--real``: per rule and source, precision, recall and false alarms per 1,000 items."""
    import real_text  # beside this script

    if not real_text.available():
        print(f"(real text not found under {real_text.DATA}: skipped)")
        return 0
    started = time.perf_counter()
    scores = real_text.score_real(args.policy, args.rules, args.sources)
    figures: dict[str, dict[str, Any]] = {}
    if scores:
        print("\n".join(real_text.table(scores)))
        print()
        print("\n".join(real_text.leave_one_source_out(scores)))
    if args.show_misses:
        for (rule, row), score in sorted(scores.items()):
            if row in real_text.SOURCES and score.misses:
                print(f"    {rule} on {row}: " + ", ".join(score.misses), file=sys.stderr)
    figures.update({f"{rule} | {row}": score.as_dict() for (rule, row), score in sorted(scores.items())})
    if not args.rules or "not-in-thread" in args.rules:
        figures.update(not_in_thread_main(args))
    if args.save:
        args.save.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        print("\n| rule and source | precision before -> after | recall before -> after |")
        print("| --- | --- | --- |")
        for key, now in figures.items():
            old = before.get(key)
            if old is None:
                continue
            p0, p1, r0, r1 = (
                real_text._fmt(v) for v in (old["precision"], now["precision"], old["recall"], now["recall"])
            )
            if (p0, r0) != (p1, r1):
                print(f"| {key} | {p0} -> {p1} | {r0} -> {r1} |")
    print(f"\nscored in {time.perf_counter() - started:.1f} s")
    return 0


def not_in_thread_main(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """not-in-thread on the notes written over real threads, and on real notes without a thread."""
    import not_in_thread  # beside this script

    sources = set(args.sources) if args.sources else None
    which = "holdout" if args.holdout else "dev"
    notes = not_in_thread.score_notes(args.policy, which, sources)
    no_thread = not_in_thread.score_no_thread(args.policy, sources)
    print()
    print("\n".join(not_in_thread.tables(notes, no_thread)))
    if args.show_misses:
        for name, score in sorted(notes.items()):
            if not name.startswith("all") and score.misses:
                print(f"    not-in-thread on {name}:\n      " + "\n      ".join(score.misses), file=sys.stderr)
    figures = {f"not-in-thread | {name}": score.as_dict() for name, score in sorted(notes.items())}
    for source, (count, fired) in no_thread.items():
        rate = 1000 * fired / count if count else None
        figures[f"not-in-thread | {source} (no thread)"] = {
            "items": count, "fired": fired, "precision": None, "recall": None, "false_alarms_per_1000": rate,
        }  # fmt: skip
    return figures


if __name__ == "__main__":
    sys.exit(main())
