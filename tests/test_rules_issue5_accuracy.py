"""Accuracy guard for the issue-5 rules: precision >= 0.90 and recall >= 0.85 on issue5-dev.jsonl.

Figures for the README come from ``benchmarks/accuracy.py``; this keeps a change to a rule or a
word list from silently losing them. The hold-out file is measured, never asserted (no tuning on it).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "corpus" / "issue5-dev.jsonl"
HOLDOUT = ROOT / "tests" / "corpus" / "issue5-holdout.jsonl"
RULES = ("unsupported-claim", "missing-context", "missing-expected-actual", "pii-in-note", "no-next-step", "stale-macro")


def _accuracy() -> ModuleType:
    spec = importlib.util.spec_from_file_location("holdthread_issue5_accuracy", ROOT / "benchmarks" / "accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores() -> dict[tuple[str, str], Any]:
    return _accuracy().score_corpus([DEV], "recommended")  # type: ignore[no-any-return]


def _cases(path: Path) -> list[dict[str, Any]]:
    import json

    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize(("path", "minimum"), [(DEV, 25), (HOLDOUT, 12)])
def test_every_rule_has_enough_cases_of_both_kinds(path: Path, minimum: int) -> None:
    cases = _cases(path)
    assert len({c["id"] for c in cases}) == len(cases), "case ids must be unique"
    for rule in RULES:
        labels = [c["expect"][rule] for c in cases if rule in c["expect"]]
        assert len(labels) >= minimum, rule
        assert sum(labels) >= minimum // 2 - 1 and len(labels) - sum(labels) >= minimum // 2 - 1, rule


@pytest.mark.parametrize("rule", RULES)
def test_rule_meets_its_targets_on_the_dev_corpus(scores: dict[tuple[str, str], Any], rule: str) -> None:
    score = scores[(rule, DEV.name)]
    assert score.precision >= 0.90, score.misses
    assert score.recall >= 0.85, score.misses
