"""An example holdthread plugin: the ``example/no-shouting`` rule.

It shows the whole plugin contract in one small module: an options model validated from the
policy, a ``Rule`` subclass with its declarations and doc, ``check`` yielding findings with
character spans, and the ``holdthread_rules`` hook that registers it. A plugin's rules are named
``plugin-name/rule-id`` so they never clash with built-in ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

import holdthread
from holdthread import Finding, Options, Rule, RuleContext, Targets
from holdthread.linter.policy import Settings

_WORD = re.compile(r"\b[A-Z][A-Z'’]+\b")


class NoShoutingOptions(Options):
    """What counts as shouting; unknown option names are policy errors (``extra="forbid"``)."""

    min_letters: int = Field(default=5, ge=2, description="Shortest all-capitals word that counts as shouting.")
    allow: list[str] = Field(default=["HTTPS", "OAUTH"], description="Capitalised words that are names, not shouting.")


class NoShouting(Rule):
    id = "example/no-shouting"
    summary = "A handoff shouts (words in capitals), which reads as blame rather than information."
    default_severity = "info"
    needs = frozenset({"tokens"})
    targets = Targets(kinds=["escalation", "handoff", "note"])
    Options = NoShoutingOptions
    doc = """
        ## What it does
        Flags words written in capitals, such as "BROKEN" or "URGENT", in internal notes.

        ## Why it matters
        Capitals tell the next owner how the writer feels, not what the customer sees.

        ## Example
        ```text
        Export is BROKEN again, customer is FURIOUS.
        ```

        ## Use instead
        ```text
        Export fails with E1042 for the third time this week; the customer is asking for a call.
        ```
    """

    options: NoShoutingOptions

    def __init__(self, options: NoShoutingOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        self.allowed = {word.upper() for word in options.allow}

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for match in _WORD.finditer(context.text):
            word = match.group()
            letters = sum(ch.isalpha() for ch in word)
            if letters < self.options.min_letters or word in self.allowed:
                continue
            yield Finding(
                match.start(), match.end(),
                f"Shouting: {word!r} is in capitals.",
                suggestion="Write it in normal case and say what happened instead.",
            )


@holdthread.hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [NoShouting]
