"""missing-context: an escalation without the facts engineering asks for first."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field, field_validator

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets
from holdthread.rules.missing_context.facts import BUILTIN_FACTS, CompiledFact, Fact, compile_policy_pattern
from holdthread.text.fastmatch import PatternSets
from holdthread.text.lexicon import alternation, expand
from holdthread.text.wordlists import load_words


class MissingContextOptions(Options):
    facts: list[Fact | str] = Field(
        default=list(BUILTIN_FACTS),
        description="The facts every escalation must carry. A built-in name alone uses the built-in signals; "
        "`phrases`/`patterns` given with a built-in name are added to them.",
    )

    @field_validator("facts")
    @classmethod
    def _as_facts(cls, value: list[Fact | str]) -> list[Fact | str]:
        return [Fact.model_validate(item) if isinstance(item, str) else item for item in value]


class MissingContext(Rule):
    id = "missing-context"
    summary = "An escalation lacks a fact the policy requires: impact, environment, timeline or what was tried."
    default_severity = "warning"
    needs = frozenset()
    targets = Targets(kinds=["escalation"])
    Options = MissingContextOptions
    options: MissingContextOptions
    doc = """
        ## What it does
        Checks that an escalation carries each fact the policy requires and reports one
        annotation per missing fact. The built-in facts, all four required by default:

        - **impact**: who and how many are affected ("3 admins", "all stores", "only this
          account", "Enterprise customer", "payroll run blocked");
        - **environment**: where: the product area or page ("Reports > Invoices", "the billing
          settings page"), the app or browser and its version, the OS or device, the workspace;
        - **timeline**: when it started or was seen ("since 09:10 UTC", "yesterday", "after the
          4.12 update", "intermittent, 5 times today");
        - **tried**: what was already tried ("cleared cache", "tried Firefox", "could not
          reproduce on a test account", "reset the integration, no change").

        A policy sets its own list. A built-in name alone keeps the built-in signals; `phrases`
        (plain text) or `patterns` (RE2 regexes, safe on any input) add to them or define a new
        fact:

        ```yaml
        rules:
          missing-context:
            facts:
              - impact
              - timeline
              - name: plan
                label: the customer's plan
                phrases: [free plan, pro plan, enterprise]
        ```

        ## Why it matters
        Engineering's first questions on every escalation are the same: how many are hit, where,
        since when, what did you try. An escalation without them bounces back to support and the
        customer waits a round trip for each.

        ## Example
        ```text
        Customer can't export invoices, getting an error. Please take a look.
        ```

        ## Use instead
        ```text
        Invoice export fails with E1042 for 3 admins on acme.example (Enterprise), Reports >
        Invoices, Chrome 131. Since Nov 24 ~09:00 UTC (after 4.12). Tried: cache clear, Firefox,
        incognito: same error.
        ```

        ## How to fix
        Add each missing fact; the message says which one and gives an example.
    """

    def __init__(self, options: MissingContextOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        data = load_words(__package__ or "")
        self.facts: list[CompiledFact] = []
        trusted: dict[str, list[str]] = {}
        for item in options.facts:
            fact = item if isinstance(item, Fact) else Fact(name=item)
            builtin = data.get(fact.name) if fact.name in BUILTIN_FACTS else None
            alternatives = [expand(p) for p in builtin["patterns"]] if builtin else []
            if fact.phrases:
                alternatives.append(rf"\b(?:{alternation(fact.phrases)})\b")
            trusted[fact.name] = alternatives
            self.facts.append(
                CompiledFact(
                    name=fact.name,
                    label=fact.label or (builtin["label"] if builtin else fact.name),
                    suggestion=fact.suggestion
                    or (builtin["suggestion"] if builtin else f"Add {fact.label or fact.name}."),
                    safe=tuple(compile_policy_pattern(p) for p in fact.patterns),
                )
            )
        # Built-in patterns and escaped phrases, every fact in one scan; policy regexes stay on RE2 alone.
        self.trusted = PatternSets(trusted, re.IGNORECASE | re.MULTILINE)

    def check(self, context: RuleContext) -> Iterator[Finding]:
        text = context.text
        start, end = context.note.first_line
        present = self.trusted.found(text)
        for fact in self.facts:
            if fact.name not in present and not any(p.search(text) is not None for p in fact.safe):
                yield Finding(start, end, f"Escalation is missing a fact: {fact.label}.", fact.suggestion)


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [MissingContext]
