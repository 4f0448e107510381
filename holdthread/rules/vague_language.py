"""vague-language: vague phrases in a handoff that their sentence does not make concrete."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets
from holdthread.rules._shared import inside, is_concrete, load_data, phrase_pattern, quoted_spans, sentence_spans

CATEGORIES = ("failure", "hedge", "quantity", "filler")
#: Categories whose phrase a concrete detail in the same sentence redeems. Filler never is.
REDEEMABLE = frozenset({"failure", "hedge", "quantity"})


class VagueLanguageOptions(Options):
    categories: list[str] = Field(default=list(CATEGORIES), description="Which phrase categories to flag: failure, hedge, quantity, filler.")
    extra_phrases: list[str] = Field(default=[], description="More phrases to flag (added to `vocabulary.vague`).")
    allow_when_concrete: bool = Field(default=True, description="Accept a vague phrase when its sentence carries a concrete detail (an error code, number, time, version, quote or link).")


class VagueLanguage(Rule):
    id = "vague-language"
    summary = "A handoff uses vague words (\"doesn't work\", \"some users\", \"ASAP\") where the reader needs specifics."
    default_severity = "warning"
    needs = frozenset({"tokens", "sentences"})
    targets = Targets(kinds=["escalation", "handoff"])
    Options = VagueLanguageOptions
    doc = """
        ## What it does
        Flags each vague phrase in an escalation or handoff note that its own sentence does not
        make concrete: non-specific failure ("doesn't work", "is broken", "having issues",
        "something is wrong", "weird"), unsupported hedges ("seems", "might be", "probably",
        "I think"), vague quantities and times ("a few customers", "some users", "sometimes",
        "recently", "ASAP", "soon") and filler ("etc.", "and so on", "stuff").

        A phrase is accepted when its sentence carries a checkable detail: an error code or
        text, an HTTP status, a version, a time or date, a count, a link, a header or log value.
        Text quoted from the customer (in quotes or a `>` blockquote) is not the agent's
        vagueness and is skipped. Terms in the policy's `vocabulary.accept` are never flagged.

        ## Why it matters
        The next owner cannot act on "export doesn't work for some users": they have to go back
        to the customer, who then tells the story again. Each vague phrase is a question the
        receiver must ask before they can start.

        ## Example
        ```text
        Customer says export doesn't work for some users, probably a backend thing. Pls check ASAP.
        ```

        ## Use instead
        ```text
        CSV export fails for 3 admins on acme.example (Chrome 131): spinner, then "Export failed
        (E1042)" at 10:42 UTC. Renewal demo is tomorrow 15:00 UTC.
        ```
        "Doesn't work in Safari 17.2: blank page, error E1042 at 10:42 UTC" is concrete, and so is
        "seems to be the CDN: cache-status MISS on all 40 requests".

        ## How to fix
        Replace each flagged phrase with what you observed: the error, the count, the time.
    """

    def __init__(self, options: VagueLanguageOptions, settings: Settings) -> None:  # type: ignore[override]
        super().__init__(options, settings)
        data = load_data("vague")
        accepted = {a.lower() for a in settings.vocabulary.accept}
        alternatives = []
        self.meta: dict[str, tuple[str, str]] = {}
        categories = [c for c in CATEGORIES if c in options.categories]
        extra = [*settings.vocabulary.vague, *options.extra_phrases]
        for category in categories:
            phrases = [p for p in data[category]["phrases"] if p.lower() not in accepted]
            alternatives.append(f"(?P<{category}>{phrase_pattern(phrases)})")
            self.meta[category] = (data[category]["message"], data[category]["suggestion"])
        if extra:
            alternatives.append(f"(?P<team>{phrase_pattern(p for p in extra if p.lower() not in accepted)})")
            self.meta["team"] = ("Vague phrase (team vocabulary): \"{text}\".", "Say specifically what is meant.")
        self.pattern = re.compile(r"(?<![\w@/-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)

    def check(self, context: RuleContext) -> Iterator[Finding]:
        text = context.text
        quotes = quoted_spans(text)
        for start, end in sentence_spans(context):
            sentence = text[start:end]
            concrete: bool | None = None
            for match in self.pattern.finditer(sentence):
                category = match.lastgroup or "team"
                span = (start + match.start(), start + match.end())
                if inside(span, quotes):
                    continue
                if self.options.allow_when_concrete and category in REDEEMABLE:
                    if concrete is None:
                        concrete = is_concrete(_without_span(sentence, match))
                    if concrete:
                        continue
                message, suggestion = self.meta[category]
                yield Finding(span[0], span[1], message.format(text=match.group(0)), suggestion)


def _without_span(sentence: str, match: re.Match[str]) -> str:
    return sentence[: match.start()] + " " + sentence[match.end():]


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [VagueLanguage]
