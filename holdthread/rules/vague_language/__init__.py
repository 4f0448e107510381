"""vague-language: vague phrases in a handoff that their sentence does not make concrete."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field, field_validator

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets, known_choices
from holdthread.text.lexicon import alternation
from holdthread.text.phrases import PhraseSet
from holdthread.text.signals import redeemed
from holdthread.text.wordlists import load_words

CATEGORIES = ("failure", "hedge", "quantity", "time", "filler")


class VagueLanguageOptions(Options):
    categories: list[str] = Field(
        default=list(CATEGORIES), description="Which phrase categories to flag: failure, hedge, quantity, time, filler."
    )
    extra_phrases: list[str] = Field(default=[], description="More phrases to flag (added to `vocabulary.vague`).")
    allow_when_concrete: bool = Field(
        default=True,
        description="Accept a vague phrase when its sentence carries a concrete detail (an error code, number, "
        "time, version, quote or link).",
    )

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, value: list[str]) -> list[str]:
        return known_choices(value, CATEGORIES, "categories")


class VagueLanguage(Rule[VagueLanguageOptions]):
    id = "vague-language"
    summary = 'A handoff uses vague words ("doesn\'t work", "some users", "ASAP") where the reader needs specifics.'
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
        A quantity followed by the list of what it counts ("a few agents: Tom, Ana and Li") is
        exact, and a guess drawn as a conclusion ("..., so it is probably the plan check") rests
        on the evidence before it in the sentence.
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

    def __init__(self, options: VagueLanguageOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        data = load_words(__package__ or "")
        accepted = {a.lower() for a in settings.vocabulary.accept}
        phrases: dict[str, list[str]] = {}
        self.meta: dict[str, tuple[str, str]] = {}
        self.redeemers: dict[str, list[str]] = {"team": ["detail"]}
        categories = [c for c in CATEGORIES if c in options.categories]
        for category in categories:
            phrases[category] = [p for p in data[category].get("phrases", []) if p.lower() not in accepted]
            self.meta[category] = (data[category]["message"], data[category]["suggestion"])
            self.redeemers[category] = data[category]["redeemed_by"]
        quantity = data["quantity"]
        self.not_plural = {w.lower() for w in quantity["not_plural_nouns"]}
        # A quantifier is found on tokens with the other phrases; what follows it is then
        # matched in place ("some" + "iOS users"), which is far cheaper than a scan per position.
        if "quantity" in categories:
            phrases["quantifier"] = list(quantity["quantifiers"])
        self.quantity_tail = re.compile(
            rf"\s+(?:of\s+(?:the|our|their|these|those)\s+)?"
            rf"(?:(?:[\w-]{{1,40}}\s+)?(?:{alternation(quantity['nouns'])})\b|(?P<plural>[a-z][a-z-]{{2,40}}s)\b)",
            re.IGNORECASE,
        )
        extra = [p for p in (*settings.vocabulary.vague, *options.extra_phrases) if p.lower() not in accepted]
        if extra:
            phrases["team"] = extra
            self.meta["team"] = ('Vague phrase (team vocabulary): "{text}".', "Say specifically what is meant.")
        self.phrases = PhraseSet(phrases)

    def _quantity(self, text: str, start: int, end: int) -> tuple[int, int, str] | None:
        """ "some" + "iOS users": a quantifier before a plural noun, or nothing.

        A quantity followed by the list of what it counts ("a few agents: Tom, Ana and Li",
        "some of the 14 workspaces: ws-north and ws-proto") says exactly which, so it is no
        vagueness."""
        tail = self.quantity_tail.match(text, end)
        if tail is None or (tail.group("plural") and tail.group("plural").lower() in self.not_plural):
            return None
        if _ENUMERATED.match(text, tail.end()):
            return None
        return start, tail.end(), "quantity"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        text = context.text
        doc = context.note.tokens
        matches = [
            match
            for start, end, label in self.phrases.find(doc)
            if (match := self._quantity(text, start, end) if label == "quantifier" else (start, end, label))
        ]
        if not matches:
            return
        quotes = context.note.quote_index
        sentences = context.note.sentence_index
        concrete: dict[tuple[int, int, str], bool] = {}
        for start, end, category in matches:
            if quotes.covers(start, end):
                continue
            if category == "hedge" and _ROUTING_DOUBT.match(text, end):
                continue  # "not sure who should own it": a question about routing, not a guess at the fault
            if self.options.allow_when_concrete and self.redeemers.get(category):
                s_start, s_end = sentences.around(start) or (start, end)
                # What makes a phrase concrete sits near it: a run-on "sentence" of a whole
                # note is read only around the phrase, so a hostile note stays linear.
                s_start, s_end = max(s_start, start - _NEAR), min(s_end, end + _NEAR)
                if category == "hedge":
                    # A guess is backed only by what its own clause says: an id earlier in the
                    # sentence ("shipment SH-20931 is stuck — probably a broker delay") is not
                    # evidence for it, but "seems to be DST: all 4 campaigns sent at 10:00" is.
                    s_start = _clause_start(text, s_start, start)
                    after = text[end:s_end]
                    if _explained(after):
                        continue
                key = (s_start, s_end, category)
                if key not in concrete:
                    rest = text[s_start:start] + " " + text[end:s_end]
                    concrete[key] = redeemed(rest, self.redeemers[category])
                if concrete[key]:
                    continue
            message, suggestion = self.meta[category]
            yield Finding(start, end, message.format(text=text[start:end]), suggestion)


#: How far around a vague phrase its sentence is read for a concrete detail (characters).
_NEAR = 400
#: After "not sure" / "unclear" / "no idea": who or which team, i.e. routing, which missing-owner covers.
_ROUTING_DOUBT = re.compile(
    r"\s+(?:who|whom|which\s+(?:team|queue|group|person)|where\s+(?:to\s+send|this\s+goes))\b", re.IGNORECASE
)
#: Right after a quantity, the items it counts: ": A, B and C", " — Tom, Ana and Li —", " (x, y)".
_ENUMERATED = re.compile(
    r"(?:\s+on\s+the\s+\w+)?\s*(?:[:(—–]|\s-\s)\s*[^,;.:\n()]{1,40}(?:,\s*[^,;.:\n()]{1,40})*,?\s+(?:and|&)\s+[^,;.:\n()]{1,40}"
)
_CLAUSE_BREAK = re.compile(r"\s[—–-]\s|[—–;(,]")
_EXPLANATION = re.compile(
    r"(?::|\bbecause\b|\bsince\b|\bgiven\s+(?:that\s+)?)\s*(?P<reason>.+)", re.IGNORECASE | re.DOTALL
)


#: "..., so the plan check is probably reading the Basic limit": a conclusion from what came before.
_CONCLUSION = re.compile(r"[ \t]*(?:so|therefore|thus|hence|which\s+(?:means|suggests|points\s+to))\b", re.IGNORECASE)


def _clause_start(text: str, sentence_start: int, phrase_start: int) -> int:
    """Where the clause holding a phrase begins: after the last dash, semicolon or bracket.

    A clause that draws a conclusion ("so", "therefore", "which means") rests on the evidence
    before it in the sentence, so the whole sentence counts for it.
    """
    breaks = list(_CLAUSE_BREAK.finditer(text, sentence_start, phrase_start))
    if not breaks or _CONCLUSION.match(text, breaks[-1].end()):
        return sentence_start
    return breaks[-1].end()


def _explained(after: str) -> bool:
    """ "seems to be the CDN: cache-status MISS on all 40 requests": a reason with details."""
    match = _EXPLANATION.search(after)
    return match is not None and redeemed(match.group("reason"), ["detail"])


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [VagueLanguage]
