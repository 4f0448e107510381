"""The worker side of an audit: lint a chunk of tickets with a Linter built once per process.

Tickets travel as their JSON text (``CheckRequest.model_dump_json``): it is cheaper to send and to
validate than a pickled model, and the same text is what the cache hashes. Each ticket's outcome
is either its findings line and QA score row, or the reason it could not be linted, so that one
bad ticket (a comment over ``limits.max_note_chars``) never takes its chunk down with it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from holdthread.linter.engine import Linter
from holdthread.linter.errors import HoldthreadError
from holdthread.linter.models import CheckRequest, Report
from holdthread.linter.qa import ScoreRow


@dataclass(frozen=True)
class Outcome:
    """What became of one ticket: a findings line and a score row, or an error."""

    line: str | None = None
    row: ScoreRow | None = None
    error: str | None = None
    #: The JSON path of the problem for an error (e.g. ``$.comments[3].body``), if known.
    path: str | None = None

    def to_json(self) -> str:
        """The outcome as cache text (only linted outcomes are cached)."""
        return json.dumps({"line": self.line, "row": asdict(self.row) if self.row else None})

    @classmethod
    def from_json(cls, text: str) -> Outcome:
        data = json.loads(text)
        return cls(line=data["line"], row=ScoreRow(**data["row"]) if data["row"] else None)


def policy_key(policy_data: Mapping[str, Any]) -> str:
    """A stable hash of the effective policy, for cache keys and per-process linters."""
    canonical = json.dumps(policy_data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_LINTERS: dict[str, Linter] = {}


def linter_for(policy_data: Mapping[str, Any]) -> Linter:
    """This process's Linter for a policy, built on first use (spaCy loads once per process)."""
    key = policy_key(policy_data)
    linter = _LINTERS.get(key)
    if linter is None:
        linter = _LINTERS[key] = Linter(dict(policy_data))
    return linter


def init_worker(policy_data: Mapping[str, Any]) -> None:
    """Process-pool initializer: build the Linter before the first chunk arrives."""
    linter_for(policy_data)


def _outcome(linter: Linter, request: CheckRequest, report: Report) -> Outcome:
    row = ScoreRow.from_report(report, request.ticket, linter.policy.scoring)
    return Outcome(line=report.model_dump_json(), row=row)


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
    linter = linter_for(policy_data)
    requests: list[CheckRequest | Outcome] = []
    for text in items:
        try:
            requests.append(CheckRequest.model_validate_json(text))
        except ValueError as exc:  # the source built it, so this only happens with a broken source
            requests.append(Outcome(error=f"the source produced an invalid ticket: {exc}"))
    valid = [r for r in requests if isinstance(r, CheckRequest)]
    try:
        reports = iter(list(linter.check_many(valid)))
        return [r if isinstance(r, Outcome) else _outcome(linter, r, next(reports)) for r in requests]
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
        outcomes.append(_outcome(linter, request, report))
    return outcomes
