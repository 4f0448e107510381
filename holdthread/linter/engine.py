"""ticket -> targets -> docs -> rules -> annotations -> verdict and score.

The engine knows no single rule, helpdesk or output format: it asks the registry for rules, the
policy for which of them run where, and spaCy (through :mod:`holdthread.linter.nlp`) for the
least pipeline they need. Texts are processed in batches with ``nlp.pipe``.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from spacy.language import Language

from holdthread.linter.errors import InputError, Problem, RuleError, UnknownRuleError
from holdthread.linter.history import classify
from holdthread.linter.models import (
    Annotation,
    Author,
    CheckRequest,
    Comment,
    Draft,
    Evidence,
    Report,
    Ticket,
)
from holdthread.linter.nlp import build_pipeline
from holdthread.linter.policy import Policy, RuleConfig, load_policy
from holdthread.linter.registry import Registry, default_registry
from holdthread.linter.rule import Finding, Need, Rule, RuleContext, Target
from holdthread.linter.scoring import score_for, verdict_for
from holdthread.linter.suppressions import META_RULE, apply_suppressions
from holdthread.linter.text import LineIndex, plain_text
from holdthread.text import ParsedNote

PolicySource = str | Path | Mapping[str, Any] | Policy | None
BATCH_SIZE = 256


@dataclass(frozen=True)
class ActiveRule:
    """A rule instance with the severity and targets the policy gave it."""

    rule: Rule
    config: RuleConfig

    @property
    def id(self) -> str:
        return self.rule.id


@dataclass
class _Job:
    """One target to lint, with what its rules need to read."""

    index: int
    ticket: Ticket
    target: Target
    thread: Sequence[Comment]
    rules: list[ActiveRule]
    #: Plain text of every comment of the ticket, by id (computed once per ticket).
    texts: dict[str, str]
    #: Earlier comments parsed, by id: shared by every target of the ticket, filled as rules ask.
    thread_notes: dict[str, ParsedNote]


def _findings(active: ActiveRule, context: RuleContext) -> list[Finding]:
    """A rule's findings; a crash becomes a :class:`RuleError` naming the rule, never the text.

    One faulty (often third-party) rule must not end a CI run with a bare traceback: the user
    learns which rule and plugin failed, where in its code, and how to skip it meanwhile.
    """
    try:
        return list(active.rule.check(context))
    except Exception as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = "the draft" if context.target.comment_id is None else f"comment {context.target.comment_id}"
        raise RuleError(
            f"rule {active.id!r} (plugin {active.rule.plugin or type(active.rule).__module__!r}) failed on {where} "
            f"of ticket {context.ticket.id}: {type(exc).__name__} at {frame.filename}:{frame.lineno}. "
            f"This is a bug in the rule: report it to the plugin's authors; meanwhile skip it with --ignore {active.id}"
        ) from exc


def validation_problems(error: ValidationError, source: str, line: int | None = None) -> list[Problem]:
    """pydantic errors as located problems with JSON paths like ``$.ticket.comments[2].body``."""
    problems = []
    for item in error.errors():
        path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in item["loc"])
        problems.append(Problem(source, item["msg"], line, None, path))
    return problems


def as_request(
    ticket: Ticket | Mapping[str, Any], draft: Draft | Mapping[str, Any] | str | None = None, *, source: str = "<input>"
) -> CheckRequest:
    """A check request from models or plain dicts, with JSON-path errors for bad fields."""
    try:
        ticket_model = ticket if isinstance(ticket, Ticket) else Ticket.model_validate(ticket)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, source)) from None
    draft_model: Draft | None
    if draft is None or isinstance(draft, Draft):
        draft_model = draft
    elif isinstance(draft, str):
        draft_model = Draft(body=draft)
    else:
        try:
            draft_model = Draft.model_validate(draft)
        except ValidationError as exc:
            problems = validation_problems(exc, source)
            raise InputError(
                [Problem(p.source, p.message, p.line, p.column, p.path.replace("$", "$.draft", 1)) for p in problems]
            ) from None
    return CheckRequest(ticket=ticket_model, draft=draft_model)


class Linter:
    """Lints tickets and notes with a policy.

    >>> from holdthread import Linter
    >>> report = Linter().check_text("customer says export doesn't work, pls check ASAP")
    >>> report.verdict
    'block'
    """

    def __init__(
        self,
        policy: PolicySource = None,
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        registry: Registry | None = None,
    ) -> None:
        self.registry = registry or default_registry()
        self.policy = load_policy(policy, self.registry)
        self.rules = self._activate(select, ignore)
        self._active_ids = frozenset(a.id for a in self.rules)
        #: Every rule id a suppression may name: registered rules and the policy's own.
        self._known_ids = frozenset(self.registry.rules) | frozenset(self.policy.rules)
        needs: set[Need] = set()
        for active in self.rules:
            needs |= active.rule.requires()
        self.needs = frozenset(needs)
        self.nlp: Language | None = build_pipeline(self.needs) if self.needs else None

    def _activate(self, select: Iterable[str] | None, ignore: Iterable[str] | None) -> list[ActiveRule]:
        select_set = set(select) if select is not None else None
        ignore_set = set(ignore or ())
        for rule_id in (select_set or set()) | ignore_set:
            if rule_id not in self.registry.rules and rule_id not in self.policy.rules:
                near = self.registry.closest(rule_id)
                hint = f"; did you mean {near!r}?" if near else ""
                raise UnknownRuleError(f"unknown rule {rule_id!r}{hint} (`holdthread rules` lists them)")
        configs = dict(self.policy.active())
        if select_set is not None:
            for rule_id in select_set - set(configs):
                # Selecting a rule the policy leaves off runs it with its defaults (a rule the
                # policy defines itself keeps its definition).
                defined = self.policy.rules.get(rule_id)
                if rule_id not in self.registry.rules and defined is not None and defined.rule_class is not None:
                    configs[rule_id] = replace(defined, severity=defined.rule_class.default_severity)
                    continue
                rule_class = self.registry.rules[rule_id]
                configs[rule_id] = RuleConfig(rule_class.default_severity, rule_class.targets, rule_class.Options())
            configs = {rid: cfg for rid, cfg in configs.items() if rid in select_set}
        active = []
        for rule_id, config in configs.items():
            if rule_id in ignore_set:
                continue
            rule_class = config.rule_class or self.registry.rules[rule_id]
            active.append(ActiveRule(rule_class(config.options, self.policy.settings), config))
        return sorted(active, key=lambda a: a.id)

    # --- public API --------------------------------------------------------------------------

    def check(self, ticket: Ticket | Mapping[str, Any], draft: Draft | Mapping[str, Any] | str | None = None) -> Report:
        """Lint a draft in the context of its ticket, or, without a draft, the ticket's comments."""
        return next(iter(self.check_many([as_request(ticket, draft)])))

    def check_text(self, text: str, *, ticket_id: str = "note") -> Report:
        """Lint a plain text or markdown note as an internal escalation with no thread."""
        return self.check(Ticket(id=ticket_id), Draft(body=text))

    def check_many(self, requests: Iterable[CheckRequest]) -> Iterator[Report]:
        """Lint many requests, batching their texts through spaCy; reports in input order."""
        batch: list[CheckRequest] = []
        for request in requests:
            batch.append(request)
            if len(batch) >= BATCH_SIZE:
                yield from self._check_batch(batch)
                batch = []
        if batch:
            yield from self._check_batch(batch)

    def linted_comment_ids(self, request: CheckRequest) -> list[str]:
        """Ids of the comments at least one active rule reads, in thread order.

        QA scores have a row for each author of a linted comment (holdthread/qa/attribution.py):
        an agent whose notes were read and found fine scores 100 on the ticket.
        """
        if request.draft is not None:
            return []
        ticket = request.ticket
        note_rules = [a for a in self.rules if a.rule.scope == "note"]
        roles = {role for a in note_rules for role in a.config.targets.authors}
        # A comment by a role no rule reads is never linted: skip converting it (an empty text is no target).
        texts = {c.id: plain_text(c.body) if c.author.role in roles else "" for c in ticket.comments}
        return [
            target.comment_id for target, _ in self._targets(request, texts)
            if target.comment_id is not None and any(a.config.targets.selects(target, ticket) for a in note_rules)
        ]

    # --- internals ---------------------------------------------------------------------------

    def _targets(self, request: CheckRequest, texts: Mapping[str, str]) -> Iterator[tuple[Target, Sequence[Comment]]]:
        ticket = request.ticket
        limit = self.policy.settings.limits.max_note_chars
        if request.draft is not None:
            draft = request.draft
            text = plain_text(draft.body)
            self._check_size(text, limit, "$.draft.body")
            if not text.strip():
                # Same answer as `holdthread check` on an empty note: nothing to lint is an input
                # error, not a note that "names no owner".
                raise InputError([Problem("<input>", "empty draft: there is nothing to lint", path="$.draft.body")])
            yield Target(None, text, draft.kind, draft.public, draft.author, draft.assignee), ticket.comments
            return
        bodies = [texts[comment.id] for comment in ticket.comments]
        kinds = classify(ticket, bodies, self.policy.settings.history.handoff_window_minutes)
        for index, comment in enumerate(ticket.comments):
            text = bodies[index]
            self._check_size(text, limit, f"$.comments[{index}].body")
            if not text.strip():
                continue  # an attachment-only comment: no words to lint
            target = Target(comment.id, text, kinds[index], comment.public, comment.author)
            yield target, ticket.comments[:index]

    @staticmethod
    def _check_size(text: str, limit: int, path: str) -> None:
        if len(text) > limit:
            raise InputError(
                [
                    Problem(
                        "<input>",
                        f"the text is {len(text):,} characters, over the policy limit of {limit:,} "
                        "(limits.max_note_chars); split it, or raise the limit in the policy",
                        path=path,
                    )
                ]
            )

    def _check_batch(self, requests: list[CheckRequest]) -> list[Report]:
        jobs: list[_Job] = []
        all_texts: list[dict[str, str]] = []
        all_notes: list[dict[str, ParsedNote]] = []
        for index, request in enumerate(requests):
            # Plain text of every comment, converted once per ticket and shared by every rule;
            # each earlier comment is parsed once per ticket, when a rule first reads it.
            texts = {comment.id: plain_text(comment.body) for comment in request.ticket.comments}
            thread_notes: dict[str, ParsedNote] = {}
            all_texts.append(texts)
            all_notes.append(thread_notes)
            for target, thread in self._targets(request, texts):
                rules = [
                    a for a in self.rules if a.rule.scope == "note" and a.config.targets.selects(target, request.ticket)
                ]
                if rules:
                    jobs.append(_Job(index, request.ticket, target, thread, rules, texts, thread_notes))
        docs: list[Any] = [None] * len(jobs)
        if self.nlp is not None and jobs:
            docs = list(self.nlp.pipe((job.target.text for job in jobs), batch_size=BATCH_SIZE))
        annotations: list[list[Annotation]] = [[] for _ in requests]
        for job, doc in zip(jobs, docs, strict=True):
            annotations[job.index].extend(self._run_rules(job, doc))
        for index, request in enumerate(requests):
            annotations[index].extend(self._run_ticket_rules(request, all_texts[index], all_notes[index]))
        return [self._report(request, found) for request, found in zip(requests, annotations, strict=True)]

    def _context(
        self,
        ticket: Ticket,
        target: Target,
        thread: Sequence[Comment],
        config: RuleConfig,
        doc: Any,
        texts: dict[str, str],
        note: ParsedNote,
        thread_notes: dict[str, ParsedNote],
    ) -> RuleContext:
        return RuleContext(
            target=target,
            thread=thread,
            ticket=ticket,
            options=config.options,
            settings=self.policy.settings,
            doc=doc,
            texts=texts,
            thread_notes=thread_notes,
            parsed=note,
        )

    def _run_rules(self, job: _Job, doc: Any) -> list[Annotation]:
        found: list[Annotation] = []
        index = LineIndex(job.target.text)
        note = ParsedNote(job.target.text, doc)  # parsed once, shared by the rules reading this target
        for active in job.rules:
            context = self._context(
                job.ticket, job.target, job.thread, active.config, doc, job.texts, note, job.thread_notes
            )
            for finding in _findings(active, context):
                found.append(self._annotation(active, job.target, finding, index))
        found.sort(key=lambda a: (a.start, a.rule))
        meta = next((a for a in job.rules if a.id == META_RULE), None)
        report_as = None if meta is None or meta.config.severity == "off" else meta.config.severity
        ran = {a.id for a in job.rules}
        return apply_suppressions(found, job.target, ran=ran, known=self._known_ids, report_as=report_as)

    def _run_ticket_rules(
        self, request: CheckRequest, texts: dict[str, str], thread_notes: dict[str, ParsedNote]
    ) -> list[Annotation]:
        found: list[Annotation] = []
        ticket_rules = [a for a in self.rules if a.rule.scope == "ticket"]
        if not ticket_rules:
            return found
        summary = Target(None, request.ticket.subject, "note", False, Author(role="system"))
        note = ParsedNote(summary.text)
        for active in ticket_rules:
            context = self._context(
                request.ticket, summary, request.ticket.comments, active.config, None, texts, note, thread_notes
            )
            for finding in _findings(active, context):
                found.append(self._annotation(active, summary, finding, LineIndex(summary.text)))
        return found

    @staticmethod
    def _annotation(active: ActiveRule, target: Target, finding: Finding, index: LineIndex) -> Annotation:
        start = max(0, min(finding.start, len(target.text)))
        end = max(start, min(finding.end, len(target.text)))
        line, column = index.position(start)
        severity = active.config.severity
        return Annotation(
            rule=active.id,
            severity="info" if severity == "off" else severity,
            message=finding.message,
            comment_id=target.comment_id,
            start=start,
            end=end,
            line=line,
            column=column,
            text=target.text[start:end],
            suggestion=finding.suggestion,
            evidence=[Evidence.model_validate(e) if isinstance(e, Mapping) else e for e in finding.evidence],
        )

    def _report(self, request: CheckRequest, annotations: list[Annotation]) -> Report:
        return Report(
            ticket_id=request.ticket.id,
            verdict=verdict_for(annotations),
            score=score_for(annotations, self.policy.scoring),
            annotations=annotations,
        )
