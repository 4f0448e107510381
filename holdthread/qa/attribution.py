"""Who is charged for what: each finding belongs to the author of the comment it is on.

A ticket passes through several hands. Charging every finding to the last assignee (what QA
exports usually do) blames the agent who picked up a badly escalated ticket for the vague note
someone else wrote. Here:

- a finding on a comment is charged to that comment's author, and to the author's team at the
  time: the ticket's group when the author first wrote a linted comment on it (a group change at
  the same instant counts unless the author made it: an agent who hands a ticket over with a note
  wrote it from the team they hand it from);
- a finding on a draft (the pre-submit service) is charged to the draft's author;
- a ticket-level finding (``owner-bounce``, ``customer-repeated``: the rule reads the whole
  ticket, not one note) belongs to the ticket. The policy's ``scoring.ticket_findings`` says
  whether it also costs every agent who wrote on the ticket (``involved``) or no one personally
  (``ticket``, the default: a ticket that bounced between teams is a routing problem, and a
  customer who had to repeat themselves was failed by the thread, not by one note).

Each author of a linted comment gets a row (a score of 100 when nothing was charged to them), so
an agent who wrote good notes on a ticket shows as such instead of not showing at all.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

from holdthread.linter.history import utc
from holdthread.linter.models import Annotation, CheckRequest, Comment, Person, Report, Ticket
from holdthread.linter.policy import Policy, Scoring
from holdthread.linter.qa import FindingRow, ScoreRow, ticket_link
from holdthread.linter.scoring import passed, score_for, verdict_for


@dataclass(frozen=True)
class Rubric:
    """What charging findings needs from the policy: its scoring, its ticket-level rules, its ticket link."""

    scoring: Scoring
    ticket_rules: frozenset[str] = frozenset()
    ticket_url: str | None = None

    @classmethod
    def from_policy(cls, policy: Policy) -> Rubric:
        ticket_rules = frozenset(
            rule_id
            for rule_id, config in policy.rules.items()
            if config.rule_class is not None and config.rule_class.scope == "ticket"
        )
        template = policy.data.get("ticket_url")
        return cls(policy.scoring, ticket_rules, template if isinstance(template, str) else None)


@dataclass(frozen=True)
class TicketScore:
    """The ticket as a whole, every finding on it scored once: the audit's ticket-level view."""

    ticket_id: str
    ticket_url: str
    created_at: str
    score: int
    passed: bool
    verdict: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Attribution:
    """A linted ticket: its own score, one score row per author, one row per finding."""

    ticket: TicketScore
    authors: tuple[ScoreRow, ...] = ()
    findings: tuple[FindingRow, ...] = ()

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Attribution:
        data = json.loads(text)
        return cls(
            ticket=TicketScore(**data["ticket"]),
            authors=tuple(ScoreRow(**row) for row in data["authors"]),
            findings=tuple(FindingRow(**row) for row in data["findings"]),
        )


def person_label(person: Person | None) -> str:
    """How an agent is named in scores: their name, else email, else helpdesk id."""
    if person is None:
        return ""
    return person.name or person.email or person.id or ""


def _is(person: Person, who: str | None) -> bool:
    return who is not None and who in {person.id, person.name, person.email}


class GroupTimeline:
    """A ticket's group changes in time order, to tell which group it was in at a moment."""

    def __init__(self, ticket: Ticket) -> None:
        self.current = ticket.group
        self.changes = sorted(
            ((utc(e.at), e) for e in ticket.events if e.type == "group_change" and e.at is not None),
            key=lambda change: change[0],
        )

    def at(self, moment: datetime | None, author: Person | None = None) -> str:
        """The group at ``moment``; the current group without one. A change at the very moment
        counts unless ``author`` made it (they wrote from the group they moved the ticket from)."""
        if moment is None or not self.changes:
            return self.current or (self.changes[-1][1].to if self.changes else None) or ""
        when = utc(moment)
        group = self.changes[0][1].from_
        for at, change in self.changes:
            if at > when or (at == when and author is not None and _is(author, change.actor)):
                break
            group = change.to
        return group or ""


def team_at(ticket: Ticket, moment: datetime | None, author: Person | None = None) -> str:
    """The ticket's group at ``moment`` (see :meth:`GroupTimeline.at`)."""
    return GroupTimeline(ticket).at(moment, author)


@dataclass
class _Author:
    team: str
    charged: list[Annotation] = field(default_factory=list)


def _created_at(ticket: Ticket) -> str:
    moment = ticket.created_at or next((c.created_at for c in ticket.comments if c.created_at), None)
    return moment.isoformat() if moment else ""


def attribute(report: Report, request: CheckRequest, linted: Sequence[str], rubric: Rubric) -> Attribution:
    """Charge ``report``'s findings on ``request``; ``linted`` are the ids of the comments linted."""
    ticket = request.ticket
    comments: dict[str, Comment] = {c.id: c for c in ticket.comments}
    authors: dict[str, _Author] = {}
    groups = GroupTimeline(ticket)

    def author_of(comment: Comment) -> str:
        label = person_label(comment.author)
        if label not in authors:
            authors[label] = _Author(groups.at(comment.created_at, comment.author))
        return label

    for comment_id in linted:
        if comment_id in comments:
            author_of(comments[comment_id])
    draft_author = None
    if request.draft is not None:
        draft_author = person_label(request.draft.author)
        authors.setdefault(draft_author, _Author(groups.at(None)))
    ticket_level: list[Annotation] = []
    findings: list[FindingRow] = []
    for annotation in report.annotations:
        label = ""
        if annotation.comment_id is not None and annotation.comment_id in comments:
            label = author_of(comments[annotation.comment_id])
            authors[label].charged.append(annotation)
        elif annotation.rule in rubric.ticket_rules or draft_author is None:
            ticket_level.append(annotation)
        else:
            label = draft_author
            authors[label].charged.append(annotation)
        findings.append(
            FindingRow(
                report.ticket_id,
                annotation.comment_id or "",
                label,
                annotation.rule,
                annotation.severity,
                annotation.message,
            )
        )
    url = ticket_link(rubric.ticket_url, ticket.id)
    created_at = _created_at(ticket)
    shared = ticket_level if rubric.scoring.ticket_findings == "involved" else []
    rows = []
    for label, author in authors.items():
        charged = [*author.charged, *shared]
        score = score_for(charged, rubric.scoring)
        rows.append(
            ScoreRow(
                report.ticket_id,
                url,
                label,
                author.team,
                created_at,
                score,
                passed(score, rubric.scoring),
                verdict_for(charged),
                len(charged),
            )
        )
    whole = TicketScore(
        report.ticket_id,
        url,
        created_at,
        report.score,
        passed(report.score, rubric.scoring),
        report.verdict,
        report.counts(),
    )
    return Attribution(whole, tuple(rows), tuple(findings))
