"""not-in-thread on notes written over real threads, and on real notes that have no thread.

Used by ``python benchmarks/accuracy.py --real`` (``--holdout`` for the blind set). The notes in
``benchmarks/labels/not-in-thread-{dev,holdout}.jsonl`` are ours, written over real threads that
stay in ``../shared/data/real`` (read in place by id; see benchmarks/labels/README.md). Each note is
linted as a draft of its ``kind`` (an internal handoff or escalation by an agent) with the real
thread as the ticket's comments, and scored three ways:

- **notes**: the rule fires on a note or not, against the label's ``fires``;
- **facts**: a finding is right when it overlaps a fact labelled ``contradicted`` or
  ``unstated``, wrong otherwise (on a supported fact or an agent's finding, or on no fact at all);
  a bad fact is hit when a finding overlaps it;
- **agent findings**: false alarms per 100 faithful notes that add the agent's own findings
  (category ``agent-finding``), the issue's bar of at most 1.

And on real notes that are not summaries of a thread (the tweetsumm summaries and the Bugzilla
comments), linted as handoff notes with no thread: how many the rule fires on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from real_text import LABELS, _fmt, _lf, records

from holdthread import Linter
from holdthread.linter.models import Annotation, Author, CheckRequest, Draft, Ticket

RULE = "not-in-thread"
NOTE_FILES = {"dev": LABELS / "not-in-thread-dev.jsonl", "holdout": LABELS / "not-in-thread-holdout.jsonl"}
#: Real notes with no thread to check against (a rule that "finds" every fact there is useless).
NO_THREAD_SOURCES = ("tweetsumm-summaries", "firefox-coded-comments")
BAD = ("contradicted", "unstated")


@dataclass
class NoteScore:
    """Counts for the written notes of one source (or all)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    findings_right: int = 0
    findings_wrong: int = 0
    facts_hit: int = 0
    facts_missed: int = 0
    agent_notes: int = 0
    agent_notes_fired: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, row: dict[str, Any], found: list[Annotation]) -> None:
        bad = [f["span"] for f in row["facts"] if f["status"] in BAD]
        wrong = [a for a in found if not any(a.start < e and s < a.end for s, e in bad)]
        self.findings_right += len(found) - len(wrong)
        self.findings_wrong += len(wrong)
        hit = sum(1 for s, e in bad if any(a.start < e and s < a.end for a in found))
        self.facts_hit += hit
        self.facts_missed += len(bad) - hit
        fired = bool(found)
        if row["category"] == "agent-finding":
            self.agent_notes += 1
            self.agent_notes_fired += fired
        if row["fires"] and fired:
            self.tp += 1
        elif fired:
            self.fp += 1
        elif row["fires"]:
            self.fn += 1
        else:
            self.tn += 1
        for annotation in wrong:
            self.misses.append(f"wrong finding {row['id']} [{annotation.start}:{annotation.end}] {annotation.text!r}")
        if row["fires"] and hit < len(bad):
            self.misses.append(f"FN {row['id']} ({row['category']})")

    def merge(self, other: NoteScore) -> None:
        for name in ("tp", "fp", "fn", "tn", "findings_right", "findings_wrong", "facts_hit", "facts_missed",
                     "agent_notes", "agent_notes_fired"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def fact_precision(self) -> float | None:
        total = self.findings_right + self.findings_wrong
        return self.findings_right / total if total else None

    @property
    def fact_recall(self) -> float | None:
        total = self.facts_hit + self.facts_missed
        return self.facts_hit / total if total else None

    @property
    def agent_false_alarms_per_100(self) -> float | None:
        return 100 * self.agent_notes_fired / self.agent_notes if self.agent_notes else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "notes": self.tp + self.fp + self.fn + self.tn,
            "positives": self.tp + self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "fact_precision": self.fact_precision,
            "fact_recall": self.fact_recall,
            "agent_false_alarms_per_100": self.agent_false_alarms_per_100,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "findings_right": self.findings_right,
            "findings_wrong": self.findings_wrong,
        }


def load_notes(which: str) -> list[dict[str, Any]]:
    path: Path = NOTE_FILES[which]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def request_for_note(row: dict[str, Any]) -> CheckRequest:
    """The note as a draft of its kind by an agent, with the real thread as the ticket's comments."""
    ticket = Ticket.model_validate(records(row["source"])[row["thread"]])
    comments = [c.model_copy(update={"body": _lf(c.body)}) for c in ticket.comments]
    return CheckRequest(
        ticket=ticket.model_copy(update={"comments": comments}),
        draft=Draft(body=row["note"], kind=row["kind"], public=False, author=Author(role="agent")),
    )


def score_notes(policy: str | None, which: str = "dev", sources: set[str] | None = None) -> dict[str, NoteScore]:
    """Scores of the written notes by source, and over all sources."""
    linter = Linter(policy, select=[RULE])
    rows = [r for r in load_notes(which) if sources is None or r["source"] in sources]
    scores: dict[str, NoteScore] = {}
    reports = linter.check_many(request_for_note(r) for r in rows)
    for row, report in zip(rows, reports, strict=True):
        found = [a for a in report.annotations if a.rule == RULE]
        for group in (f"{row['source']} ({which} notes)", f"all sources ({which} notes)"):
            scores.setdefault(group, NoteScore()).add(row, found)
    return scores


def score_no_thread(policy: str | None, sources: set[str] | None = None) -> dict[str, tuple[int, int]]:
    """(notes, notes the rule fires on) per source of real notes that have no thread."""
    linter = Linter(policy, select=[RULE])
    result = {}
    for source in NO_THREAD_SOURCES:
        if sources is not None and source not in sources:
            continue
        items = list(records(source).items())
        requests = (
            CheckRequest(ticket=Ticket(id=item), draft=Draft(body=_lf(data["text"]), kind="handoff"))
            for item, data in items
        )
        fired = sum(1 for report in linter.check_many(requests) if any(a.rule == RULE for a in report.annotations))
        result[source] = (len(items), fired)
    return result


def tables(notes: dict[str, NoteScore], no_thread: dict[str, tuple[int, int]]) -> list[str]:
    """The Markdown tables of docs/accuracy/not-in-thread.md."""
    lines = [
        "| notes | n | positives | note precision | note recall | fact precision | fact recall | "
        "false alarms / 100 agent-finding notes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, score in sorted(notes.items(), key=lambda kv: (kv[0].startswith("all"), kv[0])):
        d = score.as_dict()
        lines.append(
            f"| {name} | {d['notes']} | {d['positives']} | {_fmt(score.precision)} | {_fmt(score.recall)} | "
            f"{_fmt(score.fact_precision)} | {_fmt(score.fact_recall)} | {_fmt(score.agent_false_alarms_per_100, 1)} |"
        )
    if no_thread:
        lines += [
            "",
            "| real notes without a thread | notes | fired | false alarms / 1,000 |",
            "| --- | ---: | ---: | ---: |",
        ]
        for source, (count, fired) in no_thread.items():
            lines.append(f"| {source} | {count} | {fired} | {_fmt(1000 * fired / count if count else None, 1)} |")
    return lines
