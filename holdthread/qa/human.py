"""Human QA verdicts, read from whatever export the team's QA tool gives.

One review is one human verdict on one ticket (and, when the export says, on one agent's work on
it). Column names are matched case-insensitively, with spaces, dots and dashes read as
underscores, so ``Reviewee email``, ``reviewee.email`` and ``reviewee_email`` are the same column.

==============  =============================================================================
holdthread      accepted columns (first found wins)
==============  =============================================================================
``ticket_id``   ``ticket_id``, ``ticket``, ``external_id`` / ``externalId`` and
                ``conversation_external_id`` (Zendesk QA), ``gradable_id`` (MaestroQA)
``passed``      ``passed``, ``pass``, ``result`` (true/false, yes/no, 1/0, pass/fail)
``score``       ``score``, ``review_score`` (Zendesk QA, a percentage), ``rubric_score`` out of
                ``max_rubric_score`` (MaestroQA), turned into a percentage
``agent``       ``agent``, ``agent_name``, ``agent_email``, ``agent_id`` (MaestroQA),
                ``reviewee``, ``reviewee_name``, ``reviewee_email``, ``reviewee_id`` (Zendesk QA);
                an agent matches holdthread's by any of these (case ignored)
``reviewer``    ``reviewer``, ``reviewer_email``, ``reviewer_name`` (Zendesk QA), ``grader``,
                ``grader_email``, ``grader_name`` (MaestroQA)
``category``    ``category``, ``rubric_name`` (MaestroQA), ``scorecard`` (Zendesk QA)
==============  =============================================================================

A review passes when ``passed`` says so; without that column, when its score is at or above the
human pass mark. Zendesk QA's export API answers JSON (conversations with ``externalId`` and
``reviews``, each with ``score``, ``reviewer`` and ``reviewee``); such a file is read as well.
docs/qa.md says which of these names each tool documents and which are inferred.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from holdthread.linter import jsondata
from holdthread.linter.errors import HoldthreadError

TICKET_COLUMNS = ("ticket_id", "ticket", "external_id", "externalid", "conversation_external_id", "gradable_id")
PASSED_COLUMNS = ("passed", "pass", "result")
SCORE_COLUMNS = ("score", "review_score", "reviews_score")
MAESTRO_SCORE = ("rubric_score", "max_rubric_score")
AGENT_COLUMNS = (
    "agent",
    "agent_name",
    "agent_email",
    "agent_id",
    "reviewee",
    "reviewee_name",
    "reviewee_email",
    "reviewee_id",
)
REVIEWER_COLUMNS = (
    "reviewer",
    "reviewer_email",
    "reviewer_name",
    "reviewer_id",
    "grader",
    "grader_email",
    "grader_name",
)
CATEGORY_COLUMNS = ("category", "rubric_name", "scorecard", "scorecard_name")
TRUE = frozenset({"true", "yes", "y", "1", "pass", "passed"})
FALSE = frozenset({"false", "no", "n", "0", "fail", "failed"})
_SEPARATORS = re.compile(r"[\s.\-]+")
MAX_PROBLEMS = 1000


@dataclass(frozen=True)
class Review:
    """One human verdict. ``agents`` holds every name the export gives the agent (name, email, id)."""

    ticket_id: str
    passed: bool
    line: int
    agents: tuple[str, ...] = ()
    reviewer: str = ""
    score: float | None = None
    category: str = ""

    @property
    def agent(self) -> str:
        return self.agents[0] if self.agents else ""


@dataclass
class HumanExport:
    """The reviews of an export, and the rows that could not be read (with why)."""

    reviews: list[Review] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    #: Whether the export names agents (then holdthread compares per agent).
    has_agents: bool = False


def column_key(name: str) -> str:
    """``Reviewee email`` / ``reviewee.email`` -> ``reviewee_email``."""
    return _SEPARATORS.sub("_", name.strip().lstrip("\ufeff")).strip("_").lower()


def _first(row: Mapping[str, str], names: tuple[str, ...]) -> str:
    for name in names:
        value = (row.get(name) or "").strip()
        if value:
            return value
    return ""


def _number(text: str) -> float | None:
    try:
        return float(text.rstrip("%").replace(",", "."))
    except ValueError:
        return None


def _review(row: Mapping[str, str], line: int, pass_mark: float) -> Review:
    ticket_id = _first(row, TICKET_COLUMNS)
    if not ticket_id:
        raise ValueError(f"no ticket id (a column named one of: {', '.join(TICKET_COLUMNS)})")
    score = _number(_first(row, SCORE_COLUMNS)) if _first(row, SCORE_COLUMNS) else None
    got, out_of = (_number(_first(row, (name,))) for name in MAESTRO_SCORE)
    if score is None and got is not None and out_of:
        score = 100 * got / out_of
    verdict = _first(row, PASSED_COLUMNS).lower()
    if verdict in TRUE or verdict in FALSE:
        passed = verdict in TRUE
    elif verdict:
        raise ValueError(f"{verdict!r} is not a verdict; use pass/fail, true/false, yes/no or 1/0")
    elif score is not None:
        passed = score >= pass_mark
    else:
        raise ValueError("neither a verdict (passed) nor a score to compare with the pass mark")
    agents = tuple(dict.fromkeys(v.strip() for name in AGENT_COLUMNS if (v := row.get(name) or "").strip()))
    return Review(ticket_id, passed, line, agents, _first(row, REVIEWER_COLUMNS), score, _first(row, CATEGORY_COLUMNS))


def _person(value: Any, prefix: str) -> dict[str, str]:
    """A user object of Zendesk QA's export as ``{prefix}_name``, ``_email``, ``_id`` cells."""
    if not isinstance(value, Mapping):
        return {prefix: str(value)} if value not in (None, "") else {}
    return {f"{prefix}_{key}": str(value[key]) for key in ("email", "name", "id") if value.get(key) not in (None, "")}


def _json_rows(data: Any) -> Iterator[dict[str, str]]:
    """Zendesk QA's export API answer (conversations, each with its reviews) as flat rows."""
    conversations = data
    if isinstance(data, Mapping):
        conversations = next((v for v in data.values() if isinstance(v, list)), [])
    if not isinstance(conversations, list):
        raise HoldthreadError("a JSON QA export must be a list of conversations, each with externalId and reviews")
    for conversation in conversations:
        if not isinstance(conversation, Mapping):
            continue
        for review in conversation.get("reviews") or [{}]:
            if not isinstance(review, Mapping):
                continue
            score = review.get("score")
            row = {"external_id": str(conversation.get("externalId") or "")}
            row["score"] = "" if score is None else str(score)
            row.update(_person(review.get("reviewee"), "reviewee"))
            row.update(_person(review.get("reviewer"), "reviewer"))
            scorecard = review.get("scorecard")
            if isinstance(scorecard, Mapping) and scorecard.get("name"):
                row["scorecard"] = str(scorecard["name"])
            yield row


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, None)
        if header is None:
            return
        keys = [column_key(name) for name in header]
        for cells in reader:
            yield {key: cell for key, cell in zip(keys, cells, strict=False) if key}


def read_reviews(path: Path, pass_mark: float) -> HumanExport:
    """The reviews of a QA export (CSV, or Zendesk QA's JSON), with every unreadable row listed."""
    try:
        head = path.read_bytes()[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
        if head.startswith((b"[", b"{")):
            rows: Iterator[dict[str, str]] = _json_rows(jsondata.parse(path.read_text(encoding="utf-8-sig")))
            first_line = 1
        else:
            rows = _csv_rows(path)
            first_line = 2  # line 1 is the header
        export = HumanExport()
        for line, row in enumerate(rows, start=first_line):
            try:
                review = _review(row, line, pass_mark)
            except ValueError as exc:
                if len(export.problems) < MAX_PROBLEMS:
                    export.problems.append((line, str(exc)))
                continue
            export.reviews.append(review)
            export.has_agents = export.has_agents or bool(review.agents)
    except (OSError, UnicodeDecodeError, ValueError, csv.Error) as exc:
        raise HoldthreadError(f"cannot read the QA export {path}: {exc}") from None
    if not export.reviews:
        reasons = "; ".join(f"line {line}: {reason}" for line, reason in export.problems[:3])
        raise HoldthreadError(f"no review could be read from {path}" + (f" ({reasons})" if reasons else ""))
    return export
