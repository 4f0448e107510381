"""Which spaCy pipeline should the default policy use? Accuracy and speed, measured both ways.

    python benchmarks/pipeline_choice.py [--bug-reports ../shared/data/bug-reports-dev.jsonl]

``missing-repro-steps`` is the rule that could use part-of-speech tags: it must recognise actions
("opened", "click", "paired"). It runs here twice, in one process:

- ``lexicon``: tokens only (``spacy.blank("en")``), actions from a verb list plus past-tense forms;
- ``pos``: the trained tagger of en_core_web_sm (``tok2vec``, ``tagger``, ``attribute_ruler``),
  any base-form or past verb at the start of a clause.

It prints precision / recall / F1 of each on the development corpus and, when present, on the
real bug reports, and notes per second of each on the same notes.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path
from typing import Any

from holdthread import Linter
from holdthread.linter.errors import PipelineNotInstalledError
from holdthread.linter.models import CheckRequest, Draft, Ticket

ROOT = Path(__file__).resolve().parent.parent
RULE = "missing-repro-steps"


def _accuracy() -> Any:
    spec = importlib.util.spec_from_file_location("holdthread_accuracy", ROOT / "benchmarks" / "accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def policy(mode: str) -> dict[str, Any]:
    return {"extends": "recommended", "rules": {RULE: {"action_detection": mode}}}


def main(argv: list[str] | None = None) -> int:
    accuracy = _accuracy()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bug-reports", type=Path, default=accuracy.DEFAULT_BUG_REPORTS)
    args = parser.parse_args(argv)
    dev = [ROOT / "tests" / "corpus" / "handoff-dev.jsonl"]
    notes = [line for line in (ROOT / "examples").glob("*.md")]
    texts = [path.read_text(encoding="utf-8") for path in notes] * 100
    print(f"| {RULE} | corpus | precision | recall | F1 | notes/s (this rule alone) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for mode in ("lexicon", "pos"):
        try:
            linter = Linter(policy(mode), select=[RULE])
        except PipelineNotInstalledError as exc:
            print(f"{mode}: skipped ({exc})")
            continue
        requests = [
            CheckRequest(ticket=Ticket(id=f"n{i}", type="bug"), draft=Draft(body=t)) for i, t in enumerate(texts)
        ]
        started = time.perf_counter()
        list(linter.check_many(requests))
        rate = len(requests) / (time.perf_counter() - started)
        scores = accuracy.score_corpus(dev, policy(mode))
        for (rule, name), score in sorted(scores.items()):
            if rule == RULE:
                figures = f"{score.precision:.2f} | {score.recall:.2f} | {score.f1:.2f}"
                print(f"| {mode} | {name} | {figures} | {rate:,.0f} |")
        if args.bug_reports.is_file():
            real = accuracy.score_bug_reports(args.bug_reports, policy(mode))[RULE]
            print(f"| {mode} | real bug reports | {real.precision:.2f} | {real.recall:.2f} | {real.f1:.2f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
