"""missing-owner: an escalation or handoff that names nobody to own the next step."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field
from spacy.lang.en.stop_words import STOP_WORDS

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets
from holdthread.rules._shared import load_data, phrase_pattern

_NAME = r"(?:[A-Z][a-zA-Z'’-]+(?:\s+[A-Z][a-zA-Z'’-]+){0,2})"
_LOWER_NAME = r"(?:[a-z][a-z'’-]{1,20}(?:\.[a-z][a-z-]{1,20})?)"
_HANDLE = r"@[A-Za-z0-9][\w.-]*[A-Za-z0-9_]"
_TARGET = rf"(?P<who>{_HANDLE}|{_NAME}|{_LOWER_NAME})"
_ASSIGN = re.compile(
    r"\b(?:assign(?:ing|ed)?|hand(?:ing|ed)?(?:\s+(?:it|this|the\s+ticket|the\s+case))?(?:\s+(?:off|over))?"
    r"|pass(?:ing|ed)?(?:\s+(?:it|this|the\s+ticket))?(?:\s+(?:off|over|along|on))?"
    r"|transferr?(?:ing|ed)?|reassign(?:ing|ed)?|routing|routed|escalat(?:ing|ed)(?:\s+(?:it|this|the\s+ticket))?)"
    rf"(?:\s+(?:it|this|the\s+ticket|the\s+case))?\s+to\s+{_TARGET}",
    re.IGNORECASE,
)
_OWNER_LABEL = re.compile(
    rf"\b(?:owner|owned\s+by|assignee|assigned\s+to|dri|point\s+of\s+contact|poc|next\s+owner|new\s+owner|handoff\s+to|handover\s+to)\s*[:=\-–—]?\s*{_TARGET}",
    re.IGNORECASE,
)
_OWNER_VERBS = (
    r"(?:take|own|look|investigate|check|follow|handle|pick|dig|debug|review|get\s+back|reach|triage|fix|work|confirm|"
    r"update|loop|coordinate|chase|call|contact|reply|respond|monitor|send|ping|push|deploy|patch|drive|lead|run|"
    r"keep|be\s+(?:the\s+)?(?:owner|owning|handling|taking|looking|investigating|on\s+point)|"
    r"continue|verify|test|reproduce|escalate|schedule|set\s+up|sync|circle\s+back|own)"
)
_FUTURE = (
    rf"(?:(?:will|['’]ll|is\s+going\s+to|are\s+going\s+to|to)\s+(?:\w+\s+)?{_OWNER_VERBS}|is\s+taking|takes|has\s+taken|is\s+looking|is\s+on\s+it|has\s+it|owns|"
    r"is\s+handling|is\s+investigating|is\s+picking|picks\s+up|is\s+owning|is\s+driving|is\s+checking|can\s+take|"
    r"agreed\s+to|volunteered\s+to|is\s+the\s+owner|is\s+owner|is\s+the\s+dri)"
)
_PERSON_WILL = re.compile(rf"(?<![\w@.])(?P<who>{_HANDLE}|{_NAME})(?:\s+\((?:[^)\n]{{1,40}})\))?\s+(?:from\s+[\w-]+\s+|on[-\s]?call\s+)?{_FUTURE}\b")
_ONCALL_LOOKING = re.compile(rf"(?P<who>\b[\w-]+)\s+on[-\s]?call\s+(?:\([^)\n]{{1,40}}\)\s+)?{_FUTURE}", re.IGNORECASE)
_MENTION = re.compile(rf"(?<![\w.+-]){_HANDLE}")
_TAKE_IT = re.compile(rf"(?P<who>{_HANDLE}|{_NAME})[,:]?\s+(?i:please|pls|can\s+you|could\s+you)\s+(?i:take|own|pick\s+up|look|check|handle)")
_NOT_ONCALL_OWNER = frozenset({
    "whoever", "someone", "somebody", "anyone", "any", "the", "an", "a", "is", "be", "current", "next", "our",
    "their", "whoever's", "whichever", "s", "who", "if", "whoever’s", "team", "being",
})


class MissingOwnerOptions(Options):
    count_mentions: bool = Field(default=True, description="Count any @mention of a person or handle (not @here/@channel) as an owner.")


class MissingOwner(Rule):
    id = "missing-owner"
    summary = "An escalation or handoff names no next-step owner: no person, no on-call or queue handle, no new assignee."
    default_severity = "error"
    needs = frozenset()
    targets = Targets(kinds=["escalation", "handoff"])
    Options = MissingOwnerOptions
    doc = """
        ## What it does
        Fires when an escalation or handoff note names nobody to own the next step. Any of
        these is an owner:

        - a person: an @mention (`@lee.park`), `Owner: Lee Park`, "assigning / handing this to
          Lee", "Lee will / is going to / to take it", "payments on-call (Lee) is looking";
        - an on-call or queue handle such as `@payments-oncall`, or a team that the policy's
          `owners` directory maps to a handle or person;
        - a new assignee set together with the draft.

        A team or department alone ("escalating to engineering", "sending to Tier 2") is not an
        owner, and nor are "someone", "whoever is on call", "the team", "they", `@here` or
        "Owner: TBD". People named as past actors ("Priya looked at it yesterday") are not
        owners either: the rule looks for who takes the *next* step. The customer is never the
        owner.

        ## Why it matters
        A ticket handed to "engineering" sits in a queue nobody watches; the customer waits
        while every team assumes another has it. One name makes the handoff land.

        ## Example
        ```text
        Escalating to engineering, customer can't export invoices since this morning.
        ```

        ## Use instead
        ```text
        Escalating to @billing-oncall (Priya will pick it up today): invoice export fails with E1042.
        ```

        ## How to fix
        Name the person or handle that owns the next step, or set the assignee with the note.
        Map your teams to handles in the policy so that "escalating to payments" counts:
        `owners: {payments: "@payments-oncall"}`.
    """

    def __init__(self, options: MissingOwnerOptions, settings: Settings) -> None:  # type: ignore[override]
        super().__init__(options, settings)
        data = load_data("owners")
        self.not_owners = {w.lower() for w in data["not_owners"]}
        self.broadcast = {w.lower() for w in data["broadcast_mentions"]}
        teams = [name for name, handle in settings.owners.items() if handle.strip()]
        self.directory = (
            re.compile(rf"(?<![\w-])(?:{phrase_pattern(teams)})(?![\w-])", re.IGNORECASE) if teams else None
        )

    def _is_person(self, who: str, context: RuleContext) -> bool:
        cleaned = who.strip().rstrip(".,;:").lower()
        if cleaned.startswith("@"):
            return cleaned[1:] not in self.broadcast
        first = cleaned.split()[0] if cleaned.split() else cleaned
        if cleaned in self.not_owners or first in self.not_owners or first in STOP_WORDS:
            return False
        customers = {p.lower() for p in _customer_names(context)}
        return not (cleaned in customers or first in customers)

    def owner_evidence(self, context: RuleContext) -> str | None:
        """What in the note (or draft) names the next owner, or ``None``."""
        target = context.target
        if target.new_assignee is not None and (target.new_assignee.id or target.new_assignee.name):
            return "new assignee"
        text = context.text
        for pattern in (_OWNER_LABEL, _ASSIGN, _PERSON_WILL, _ONCALL_LOOKING, _TAKE_IT):
            for match in pattern.finditer(text):
                who = match.group("who")
                if pattern is _ONCALL_LOOKING:
                    if who.lower() not in _NOT_ONCALL_OWNER:
                        return match.group(0)
                    continue
                if self._is_person(who, context) or self._in_directory(who):
                    return match.group(0)
        if self.options.count_mentions:
            for match in _MENTION.finditer(text):
                if self._is_person(match.group(0), context):
                    return match.group(0)
        if self.directory is not None:
            match = self.directory.search(text)
            if match:
                return match.group(0)
        return None

    def _in_directory(self, who: str) -> bool:
        return self.directory is not None and self.directory.fullmatch(who.strip()) is not None

    def check(self, context: RuleContext) -> Iterator[Finding]:
        if self.owner_evidence(context) is not None:
            return
        text = context.text
        handoff = re.search(r"\b(?:escalat\w*|hand\w*\s+(?:off|over)|assign\w*|sending|passing|transferr?\w*)\b[^.\n]{0,60}", text, re.IGNORECASE)
        start, end = handoff.span() if handoff else _first_line(text)
        yield Finding(
            start, end,
            "No next-step owner: the note names no person, on-call or queue handle, and sets no assignee.",
            "Name who owns the next step (e.g. \"Owner: @payments-oncall\" or \"Lee Park will take it\"), "
            "or set the assignee with the note.",
        )


def _first_line(text: str) -> tuple[int, int]:
    stripped = len(text) - len(text.lstrip())
    end = text.find("\n", stripped)
    return stripped, end if end != -1 else len(text)


def _customer_names(context: RuleContext) -> set[str]:
    names = set()
    for person in [context.ticket.requester, *(c.author for c in context.thread if c.author.role == "customer")]:
        if person is not None and person.name:
            names.add(person.name)
            names.add(person.name.split()[0])
    return names


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [MissingOwner]
