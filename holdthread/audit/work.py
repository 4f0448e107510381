"""The worker side of an audit: lint a chunk of tickets with a Linter built once per process.

Tickets travel as their JSON text (``CheckRequest.model_dump_json``): it is cheaper to send and to
validate than a pickled model, and the same text is what the cache hashes. Each ticket's outcome
is either its findings line and QA attribution (its score, one score row per author, one row per
finding), or the reason it could not be linted, so that one bad ticket (a comment over
``limits.max_note_chars``) never takes its chunk down with it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from holdthread.linter.engine import Linter
from holdthread.linter.errors import HoldthreadError
from holdthread.linter.models import CheckRequest, Report
from holdthread.qa.attribution import Attribution, Rubric, attribute


@dataclass(frozen=True)
class Outcome:
    """What became of one ticket: a findings line and its QA attribution, or an error."""

    line: str | None = None
    attribution: Attribution | None = None
    #: Ids of the comments the rules read (whose authors get a score row), for re-scoring.
    linted: tuple[str, ...] = ()
    error: str | None = None
    #: The JSON path of the problem for an error (e.g. ``$.comments[3].body``), if known.
    path: str | None = None

    def to_json(self) -> str:
        """The outcome as cache text (only linted outcomes are cached)."""
        attribution = self.attribution.to_json() if self.attribution else None
        return json.dumps({"line": self.line, "attribution": attribution, "linted": list(self.linted)})

    @classmethod
    def from_json(cls, text: str) -> Outcome:
        data = json.loads(text)
        attribution = Attribution.from_json(data["attribution"]) if data.get("attribution") else None
        return cls(line=data["line"], attribution=attribution, linted=tuple(data.get("linted", ())))


def policy_key(policy_data: Mapping[str, Any]) -> str:
    """A stable hash of the effective policy, for cache keys and per-process linters."""
    canonical = json.dumps(policy_data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_LINTERS: dict[str, tuple[Linter, Rubric]] = {}


def _linter_and_rubric(policy_data: Mapping[str, Any]) -> tuple[Linter, Rubric]:
    key = policy_key(policy_data)
    found = _LINTERS.get(key)
    if found is None:
        linter = Linter(dict(policy_data))
        found = _LINTERS[key] = (linter, Rubric.from_policy(linter.policy))
    return found


def linter_for(policy_data: Mapping[str, Any]) -> Linter:
    """This process's Linter for a policy, built on first use (spaCy loads once per process)."""
    return _linter_and_rubric(policy_data)[0]


def init_worker(policy_data: Mapping[str, Any]) -> None:
    """Process-pool initializer: build the Linter before the first chunk arrives."""
    linter_for(policy_data)


def _outcome(linter: Linter, rubric: Rubric, request: CheckRequest, report: Report) -> Outcome:
    linted = tuple(linter.linted_comment_ids(request))
    return Outcome(line=report.model_dump_json(), attribution=attribute(report, request, linted, rubric), linted=linted)


def _failure(exc: Exception) -> Outcome:
    if isinstance(exc, HoldthreadError):
        problems = getattr(exc, "problems", None)
        if problems:
            first = problems[0]
            return Outcome(error="; ".join(p.message for p in problems), path=first.path or None)
        return Outcome(error=str(exc))
    # A bug in a rule or plugin must not lose the ticket: it is rejected, with what to report.
    return Outcome(
        error=f"internal error while linting ({type(exc).__name__}: {exc}); "
        "please report it to the holdthread maintainers with the rule ids of your policy"
    )


def lint_items(policy_data: Mapping[str, Any], items: Sequence[str]) -> list[Outcome]:
    """Lint request JSON texts; outcomes in the same order, one per item."""
    linter, rubric = _linter_and_rubric(policy_data)
    requests: list[CheckRequest | Outcome] = []
    for text in items:
        try:
            requests.append(CheckRequest.model_validate_json(text))
        except ValueError as exc:  # the source built it, so this only happens with a broken source
            requests.append(Outcome(error=f"the source produced an invalid ticket: {exc}"))
    valid = [r for r in requests if isinstance(r, CheckRequest)]
    try:
        reports = iter(list(linter.check_many(valid)))
        return [r if isinstance(r, Outcome) else _outcome(linter, rubric, r, next(reports)) for r in requests]
    except Exception:
        pass
    outcomes: list[Outcome] = []
    for request in requests:
        if isinstance(request, Outcome):
            outcomes.append(request)
            continue
        try:
            report = next(iter(linter.check_many([request])))
        except Exception as exc:
            outcomes.append(_failure(exc))
            continue
        outcomes.append(_outcome(linter, rubric, request, report))
    return outcomes
