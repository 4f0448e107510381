"""missing-owner: an escalation or handoff that names nobody to own the next step."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets
from holdthread.rules.missing_owner.patterns import (
    ASKED_BY_CUSTOMER,
    ASSIGN,
    CUSTOMER_ASIDE,
    HANDOFF_WORDS,
    HINTS,
    ONCALL_LOOKING,
    OWNER_LABEL,
    PERSON_WILL,
    PERSONAL_PRONOUN,
    TAKE_IT,
    TEAM_AFTER,
    YOURS,
    only_informed,
)
from holdthread.rules.missing_owner.people import NOT_ONCALL_OWNERS, is_person
from holdthread.text.lexicon import alternation


class MissingOwnerOptions(Options):
    count_mentions: bool = Field(
        default=True, description="Count any @mention of a person or handle (not @here/@channel) as an owner."
    )


class MissingOwner(Rule[MissingOwnerOptions]):
    id = "missing-owner"
    summary = (
        "An escalation or handoff names no next-step owner: no person, no on-call or queue handle, no new assignee."
    )
    default_severity = "error"
    needs = frozenset()
    targets = Targets(kinds=["escalation", "handoff"])
    Options = MissingOwnerOptions
    doc = """
        ## What it does
        Fires when an escalation or handoff note names nobody to own the next step. Any of
        these is an owner:

        - a person: an @mention (`@lee.park`), `Owner: Lee Park`, "assigning / handing this to
          Lee", "Lee will / is going to / to take it", "Grace picks this up Monday",
          "payments on-call (Lee) is looking", "Ravi, this week's SRE on call, is picking it up",
          "Dee — yours", "Siobhan, over to you", "Please Kofi take this";
        - an on-call or queue handle such as `@payments-oncall`, or a team that the policy's
          `owners` directory maps to a handle or person;
        - a new assignee set together with the draft.

        A team or department alone ("escalating to engineering", "sending to Tier 2") is not an
        owner, and nor are "someone", "whoever is on call", "the team", "they", `@here`, a
        distribution list such as `@field-ops-all`, a mention that only informs ("CC @lee for
        visibility", "FYI @ines") or "Owner: TBD". People named as past actors ("Priya looked at it yesterday") are not
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

    def __init__(self, options: MissingOwnerOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        teams = [name for name, handle in settings.owners.items() if handle.strip()]
        self.directory = re.compile(rf"(?<![\w-])(?:{alternation(teams)})(?![\w-])", re.IGNORECASE) if teams else None

    def owner_evidence(self, context: RuleContext) -> str | None:
        """What in the note (or draft) names the next owner, or ``None``."""
        target = context.target
        if target.new_assignee is not None and (target.new_assignee.id or target.new_assignee.name):
            return "new assignee"
        text = context.text
        lowered = context.note.lower
        for pattern in (OWNER_LABEL, ASSIGN, PERSON_WILL, ONCALL_LOOKING, TAKE_IT, YOURS):
            hints = HINTS.get(pattern)
            if hints is not None and not any(hint in lowered for hint in hints):
                continue  # the pattern's key words are absent: skip a scan at every capitalised word
            for match in pattern.finditer(text):
                group = "who" if match.group("who") is not None else "addressed"
                who = match.group(group)
                if pattern is ONCALL_LOOKING:
                    if who.lower() not in NOT_ONCALL_OWNERS:
                        return match.group(0)
                    continue
                groups = match.groupdict()
                aside = groups.get("aside") or groups.get("apposition")
                if aside and CUSTOMER_ASIDE.search(aside):
                    continue  # "Camille (customer admin) will add the domain": not our owner
                if TEAM_AFTER.match(text, match.end(group)):
                    continue  # "to Digital team", "Growth squad will": a team named alone
                asked_by_customer = ASKED_BY_CUSTOMER.search(text, max(0, match.start() - 60), match.start())
                if pattern is PERSON_WILL and asked_by_customer:
                    continue  # "the customer will ask Ana to change the role": Ana is on their side
                referred_to = PERSONAL_PRONOUN.match(text, match.end(), match.end() + 80) is not None
                if self._in_directory(who) or is_person(
                    who, context, after_the=bool(groups.get("the")), referred_to=referred_to
                ):
                    return match.group(0)
        if self.options.count_mentions:
            for start, end in context.note.mentions:
                if only_informed(text, start, end):
                    continue  # told, not asked to own it
                if is_person(text[start:end], context):
                    return text[start:end]
        if self.directory is not None:
            named = self.directory.search(text)
            if named:
                return named.group(0)
        return None

    def _in_directory(self, who: str) -> bool:
        return self.directory is not None and self.directory.fullmatch(who.strip()) is not None

    def check(self, context: RuleContext) -> Iterator[Finding]:
        if self.owner_evidence(context) is not None:
            return
        text = context.text
        handoff = HANDOFF_WORDS.search(text)
        start, end = handoff.span() if handoff else context.note.first_line
        yield Finding(
            start,
            end,
            "No next-step owner: the note names no person, on-call or queue handle, and sets no assignee.",
            'Name who owns the next step (e.g. "Owner: @payments-oncall" or "Lee Park will take it"), '
            "or set the assignee with the note.",
        )


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [MissingOwner]
