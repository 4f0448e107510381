"""Accuracy on real text: the hand labels in benchmarks/labels/ against the rules.

Used by ``python benchmarks/accuracy.py --real``. The text is third-party data that stays beside
the checkout in ``../shared/data`` and is read in place; the labels name items by source and id
(see benchmarks/labels/README.md). Each item is linted the way the rule meets it in a helpdesk:

- an agent comment in a thread (customer care, support chat, GitHub), for rules that read public
  replies (repeated-ask, pii-in-note): a public reply drafted by that agent, with the thread
  before it as the ticket's comments;
- the first comment of a GitHub issue, for the bug-report rules: an escalation whose subject is
  the issue's title (no ticket type: the rule must tell a defect from a feature request);
- a labelled bug report (bug-reports-dev.jsonl): a bug escalation of its description;
- a note (a Bugzilla comment, a conversation summary) or a maintainer's comment, for the rules
  that read internal notes: an internal handoff note;
- a whole thread (``comment: null`` on a thread source), for ticket-level rules.

Precision and false alarms per 1,000 items are counted on the randomly drawn items only;
recall on every labelled positive (drawn or sought out). For rules labelled with spans
(vague-language, pii-in-note) a finding is right only when it overlaps a labelled span.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from holdthread import Linter
from holdthread.linter.errors import InputError
from holdthread.linter.models import Annotation, Author, CheckRequest, Comment, Draft, Ticket

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "benchmarks" / "labels"
DATA = ROOT.parent / "shared" / "data"
SOURCES: dict[str, Path] = {
    "twitter-care-2017": DATA / "real" / "twitter-care-2017.jsonl",
    "ubuntu-irc-support": DATA / "real" / "ubuntu-irc-support.jsonl",
    "npm-github-issues": DATA / "real" / "npm-github-issues.jsonl",
    "firefox-coded-comments": DATA / "real" / "firefox-coded-comments.jsonl",
    "tweetsumm-summaries": DATA / "real" / "tweetsumm-summaries.jsonl",
    "bug-reports-dev": DATA / "bug-reports-dev.jsonl",
}
#: Rules that read an agent's public reply in the context of its thread.
REPLY_RULES = frozenset({"repeated-ask", "pii-in-note"})
#: Rules that read a bug escalation.
BUG_RULES = frozenset({"missing-repro-steps", "missing-expected-actual", "missing-context"})
#: Label files that are not labels of one rule on real items (notes written over real threads).
NOT_RULE_FILES = ("not-in-thread-",)


def available() -> bool:
    """Whether the real text is beside the checkout (it is never in the repository)."""
    return all(path.is_file() for path in SOURCES.values())


@dataclass(frozen=True)
class Label:
    """One labelled item (see benchmarks/labels/README.md)."""

    rule: str
    source: str
    item: str
    comment: str | None
    random: bool
    fires: bool
    spans: tuple[tuple[int, int], ...]
    extra: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.source}/{self.item}" + (f"/{self.comment}" if self.comment else "")


def load_labels(folder: Path = LABELS) -> dict[str, list[Label]]:
    """Labels by rule id, from ``<rule-id>.jsonl`` files."""
    labels: dict[str, list[Label]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        if path.name.startswith(NOT_RULE_FILES):
            continue
        rule = path.stem
        rows = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            data = json.loads(line)
            try:
                rows.append(
                    Label(
                        rule=rule,
                        source=data["source"],
                        item=str(data["item"]),
                        comment=data.get("comment"),
                        random=data.get("sample", "random") == "random",
                        fires=bool(data["fires"]),
                        spans=tuple((int(s), int(e)) for s, e in data.get("spans") or ()),
                        extra={
                            k: v
                            for k, v in data.items()
                            if k not in {"source", "item", "comment", "sample", "fires", "spans", "reason"}
                        },
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise SystemExit(f"{path}:{number}: bad label ({exc!r}); see benchmarks/labels/README.md") from None
        labels[rule] = rows
    return labels


#: The labels that come with the bug reports: a rule that flags a missing part is right when the
#: report's label says the part is absent (see ../shared/data/README.md).
BUG_REPORT_FIELDS = {"missing-repro-steps": "has_steps", "missing-expected-actual": "has_expected"}


def dataset_labels() -> dict[str, list[Label]]:
    """Labels for the bug reports, from the dataset's own fields (every report was drawn)."""
    labels: dict[str, list[Label]] = {rule: [] for rule in BUG_REPORT_FIELDS}
    for item, record in records("bug-reports-dev").items():
        for rule, name in BUG_REPORT_FIELDS.items():
            labels[rule].append(Label(rule, "bug-reports-dev", item, None, True, not record[name], (), {}))
    return labels


@cache
def records(source: str) -> dict[str, dict[str, Any]]:
    """The source's records by id (read once per process)."""
    path = SOURCES[source]
    result = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            result[str(data["id"])] = data
    return result


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def _bug_description(report: dict[str, Any]) -> str:
    """A labelled bug report's description: the labels code the description, not the title."""
    text: str = report["text"]
    title: str = report["title"]
    body = text[len(title) :].lstrip("\n") if text.startswith(title) else text
    return body or text


def request_for(label: Label) -> CheckRequest:
    """The check request that lints ``label``'s item the way the rule meets it in a helpdesk."""
    record = records(label.source)[label.item]
    if label.source == "bug-reports-dev":
        return CheckRequest(
            ticket=Ticket(id=label.item, subject=record["title"], type="bug"),
            draft=Draft(body=_bug_description(record), kind="escalation"),
        )
    if "comments" not in record:  # a note: a Bugzilla comment or a summary
        return CheckRequest(ticket=Ticket(id=label.item), draft=Draft(body=_lf(record["text"]), kind="handoff"))
    ticket = Ticket.model_validate(record)
    if label.comment is None:
        return CheckRequest(ticket=ticket)
    index = next(i for i, c in enumerate(ticket.comments) if c.id == label.comment)
    comment: Comment = ticket.comments[index]
    body = _lf(comment.body)
    if label.rule in BUG_RULES:
        return CheckRequest(
            ticket=Ticket(id=ticket.id, subject=ticket.subject, tags=ticket.tags),
            draft=Draft(body=body, kind="escalation", author=Author(role="agent")),
        )
    before = ticket.model_copy(update={"comments": ticket.comments[:index]})
    if label.rule in REPLY_RULES:
        return CheckRequest(ticket=before, draft=Draft(body=body, kind="reply", public=True, author=comment.author))
    return CheckRequest(ticket=before, draft=Draft(body=body, kind="handoff", author=comment.author))


def _overlaps(annotation: Annotation, spans: Iterable[tuple[int, int]]) -> bool:
    return any(annotation.start < end and start < annotation.end for start, end in spans)


#: Rules labelled with spans: a finding is right only where it overlaps a labelled span.
SPAN_RULES = frozenset({"vague-language", "pii-in-note"})


@dataclass
class RealScore:
    """Counts for one rule on one set of items."""

    spanned: bool = False
    n: int = 0  # randomly drawn items
    tp: int = 0
    fp: int = 0  # drawn items with at least one wrong finding
    fn: int = 0
    tn: int = 0
    enriched_tp: int = 0
    enriched_fn: int = 0
    #: Span-labelled rules: findings right / wrong on drawn items, labelled spans hit / missed.
    findings_right: int = 0
    findings_wrong: int = 0
    spans_hit: int = 0
    spans_missed: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def positives(self) -> int:
        return self.tp + self.fn + self.enriched_tp + self.enriched_fn

    @property
    def precision(self) -> float | None:
        if self.spanned:
            total = self.findings_right + self.findings_wrong
            return self.findings_right / total if total else None
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        if self.spanned:
            total = self.spans_hit + self.spans_missed
            return self.spans_hit / total if total else None
        return (self.tp + self.enriched_tp) / self.positives if self.positives else None

    @property
    def false_alarms_per_1000(self) -> float | None:
        return 1000 * self.fp / self.n if self.n else None

    def add(self, label: Label, found: list[Annotation]) -> None:
        if self.spanned:
            right = [a for a in found if _overlaps(a, label.spans)]
            wrong = len(found) - len(right)
            hit = sum(1 for span in label.spans if any(_overlaps(a, [span]) for a in found))
            self.spans_hit += hit
            self.spans_missed += len(label.spans) - hit
            if label.random:
                self.findings_right += len(right)
                self.findings_wrong += wrong
            fired_right, fired_wrong = bool(right), wrong > 0
        else:
            fired_right, fired_wrong = label.fires and bool(found), not label.fires and bool(found)
        if not label.random:
            if label.fires:
                self.enriched_tp += fired_right
                self.enriched_fn += not fired_right
                if not fired_right:
                    self.misses.append(f"FN {label.key} (enriched)")
            return
        self.n += 1
        if fired_wrong:
            self.fp += 1
            self.misses.append(f"FP {label.key}")
        if label.fires:
            if fired_right:
                self.tp += 1
            else:
                self.fn += 1
                self.misses.append(f"FN {label.key}")
        elif not fired_wrong:
            self.tn += 1

    def merge(self, other: RealScore) -> None:
        for name in (
            "n",
            "tp",
            "fp",
            "fn",
            "tn",
            "enriched_tp",
            "enriched_fn",
            "findings_right",
            "findings_wrong",
            "spans_hit",
            "spans_missed",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.n,
            "positives": self.positives,
            "precision": self.precision,
            "recall": self.recall,
            "false_alarms_per_1000": self.false_alarms_per_1000,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "enriched_tp": self.enriched_tp,
            "enriched_fn": self.enriched_fn,
        }


def _groups(label: Label) -> Iterator[str]:
    """The rows an item counts in: its source, and its source's subset where labels split one."""
    yield label.source
    if "handoff" in label.extra:
        yield f"{label.source} ({'hand-offs' if label.extra['handoff'] else 'not hand-offs'})"
    if label.extra.get("ask"):
        yield f"{label.source} (asks)"
    if label.source == "bug-reports-dev":
        system = records(label.source)[label.item].get("system")
        if system:
            yield f"{label.source}@{system}"


def score_real(
    policy: str | None, rules: Iterable[str] | None = None, sources: Iterable[str] | None = None
) -> dict[tuple[str, str], RealScore]:
    """Scores by (rule, row), where a row is a source or a named subset of one."""
    labels = load_labels()
    for rule, rows in dataset_labels().items():
        labels.setdefault(rule, []).extend(rows)
    wanted_rules = set(rules) if rules else None
    wanted_sources = set(sources) if sources else None
    scores: dict[tuple[str, str], RealScore] = {}
    for rule, rows in labels.items():
        if wanted_rules is not None and rule not in wanted_rules:
            continue
        rows = [r for r in rows if wanted_sources is None or r.source in wanted_sources]
        if not rows:
            continue
        linter = Linter(policy, select=[rule])
        for label in rows:
            try:
                report = next(iter(linter.check_many([request_for(label)])))
                found = [a for a in report.annotations if a.rule == rule]
            except InputError:
                found = []  # an empty comment: nothing a rule could flag
            groups = [*_groups(label), "all sources"] + (["all sources (asks)"] if label.extra.get("ask") else [])
            for group in groups:
                score = scores.setdefault((rule, group), RealScore(spanned=rule in SPAN_RULES))
                score.add(label, found)
    return scores


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def table(scores: dict[tuple[str, str], RealScore]) -> list[str]:
    """The Markdown table of docs/accuracy.md."""
    lines = [
        "| rule | source | items | positives | precision | recall | false alarms / 1,000 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (rule, row), score in sorted(scores.items(), key=lambda kv: (kv[0][0], kv[0][1] == "all sources", kv[0][1])):
        lines.append(
            f"| {rule} | {row} | {score.n} | {score.positives} | {_fmt(score.precision)} | "
            f"{_fmt(score.recall)} | {_fmt(score.false_alarms_per_1000, 1)} |"
        )
    return lines


def leave_one_source_out(scores: dict[tuple[str, str], RealScore]) -> list[str]:
    """Per rule and source (and per tracker of the bug reports): the figure on it next to the
    figure on all the others pooled.

    Rules are not trained, so "leave one out" is a discipline: a fix is made while reading the
    misses of some sources and is measured on a source it was not made on. This view puts each
    source next to the pool of the rest, so a fix that helped only where it was made shows.
    """
    partitions: dict[tuple[str, str], dict[str, RealScore]] = defaultdict(dict)
    for (rule, row), score in scores.items():
        if row in SOURCES:
            partitions[(rule, "source")][row] = score
        elif row.startswith("bug-reports-dev@"):
            partitions[(rule, "tracker")][row.split("@", 1)[1]] = score
    lines = [
        "| rule | left out | precision there | recall there | precision on the rest | recall on the rest |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for (rule, what), parts in sorted(partitions.items()):
        if len(parts) < 2:
            continue
        for name, score in sorted(parts.items()):
            rest = RealScore(spanned=score.spanned)
            for other, other_score in parts.items():
                if other != name:
                    rest.merge(other_score)
            lines.append(
                f"| {rule} | {what} {name} | {_fmt(score.precision)} | {_fmt(score.recall)} | "
                f"{_fmt(rest.precision)} | {_fmt(rest.recall)} |"
            )
    return lines
