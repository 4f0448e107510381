"""Accuracy guard: every rule keeps precision >= 0.90 and recall >= 0.85 on the development corpus.

The figures themselves come from ``benchmarks/accuracy.py`` (README table); this test keeps a
change to a rule or a word list from silently losing them.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV_FILES = sorted((ROOT / "tests" / "corpus").glob("*-dev.jsonl"))


def _accuracy_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("holdthread_accuracy", ROOT / "benchmarks" / "accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores():  # type: ignore[no-untyped-def]
    return _accuracy_module().score_corpus(DEV_FILES, "recommended")


def test_the_development_corpus_is_large_enough() -> None:
    cases = sum(1 for path in DEV_FILES for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    assert cases >= 200


@pytest.mark.parametrize("rule", ["missing-owner", "missing-repro-steps", "repeated-ask", "vague-language"])
def test_core_rules_meet_their_targets_on_the_dev_corpus(scores, rule: str) -> None:  # type: ignore[no-untyped-def]
    rows = {name: score for (rid, name), score in scores.items() if rid == rule}
    assert rows, f"no corpus cases are labelled for {rule}"
    for name, score in rows.items():
        assert score.precision >= 0.90, (name, score.misses)
        assert score.recall >= 0.85, (name, score.misses)
