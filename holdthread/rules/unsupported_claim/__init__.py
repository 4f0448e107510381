"""unsupported-claim: a confident root-cause, resolution or status claim with no evidence behind it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field, field_validator

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets, known_choices
from holdthread.text.evidence import EVIDENCE_KINDS, describe_kinds, evidence_in
from holdthread.text.fastmatch import FastPattern
from holdthread.text.lexicon import alternation
from holdthread.text.spans import inside
from holdthread.text.wordlists import load_words

CATEGORIES = ("root_cause", "resolution", "status")
#: Evidence that backs a claim wherever it sits in the note; the others must sit near the claim.
NOTE_WIDE = frozenset({"log", "error", "link", "id"})

_NEGATED = re.compile(r"(?:\bnot|n['’]t|\bnever|\bno|\bnor|\bisn['’]?t|\bwasn['’]?t)\s+(?:\w+\s+){0,1}$", re.IGNORECASE)
_REPORTED = re.compile(
    r"\b(?:customer|user|client|requester|caller|they|she|he|the\s+admin|their\s+\w+)\s+(?:\w+\s+)?"
    r"(?:says?|said|claims?|claimed|thinks?|thought|believes?|believed|reports?|reported|mentioned|told\s+(?:us|me)|"
    r"insists?|insisted|wrote|writes|asked|asks|assumes?|assumed|is\s+convinced|was\s+told)\b",
    re.IGNORECASE,
)


class UnsupportedClaimOptions(Options):
    categories: list[str] = Field(
        default=list(CATEGORIES),
        description=("Which claims to check: root_cause, resolution, status."),
    )
    extra_phrases: list[str] = Field(
        default=[],
        description=(
            'More claim phrases your team uses (plain text, e.g. "it\'s a Stripe thing"); treated as status claims.'
        ),
    )
    evidence: list[str] = Field(
        default=list(EVIDENCE_KINDS),
        description="What counts as evidence: " + ", ".join(EVIDENCE_KINDS) + ".",
    )

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, value: list[str]) -> list[str]:
        return known_choices(value, CATEGORIES, "categories")

    @field_validator("evidence")
    @classmethod
    def _known_evidence(cls, value: list[str]) -> list[str]:
        return known_choices(value, EVIDENCE_KINDS, "evidence kinds")


class UnsupportedClaim(Rule):
    id = "unsupported-claim"
    summary = (
        'A confident root-cause, resolution or status claim ("definitely a backend bug", "fixed now", '
        '"known issue") with no evidence in the note.'
    )
    default_severity = "warning"
    needs = frozenset({"tokens", "sentences"})
    targets = Targets(kinds=["escalation", "handoff"])
    Options = UnsupportedClaimOptions
    options: UnsupportedClaimOptions
    doc = """
        ## What it does
        Finds confident claims in an escalation or handoff note and checks that the note carries
        something that backs them:

        - **root cause**: "this is definitely a backend bug", "it's a CDN issue", "root cause
          is the cache", "caused by the new release", "user error";
        - **resolution**: "fixed now", "it's resolved", "working again", "fix is deployed",
          "should be fixed now";
        - **status**: "known issue", "works as designed", "expected behaviour", "not a bug",
          "engineering is aware", "already reported".

        Evidence is a log line (timestamped line, `key=value`, stack trace, code block, a
        request id, "in the logs"), an error text or code (quoted text, `E1042`, HTTP 502), a
        link, a ticket, incident, PR or release id (`ENG-4411`, `INC20931`, `PR #4411`,
        `v4.12.1`), and, in the claim's sentence or the next, a time or date or a measured
        number (`40 of 40 requests`, `3.2 s`). The message names the claim and the evidence
        that is missing.

        Hedged sentences ("might be a backend bug") and questions are not confident claims
        (vague-language looks at hedges); neither are negations ("not fixed yet") nor the
        customer's own words (quoted, or "customer says it's fixed now").

        ## Why it matters
        A confident summary with nothing behind it is how a hurried or AI-written note dresses
        up a shallow investigation. The next owner trusts it, skips the checks, and the customer
        hears "it's fixed" about a bug that is not; or engineering closes "known issue" tickets
        against an issue nobody can find.

        ## Example
        ```text
        Checked this, it's definitely a backend bug. Known issue, engineering is aware.
        ```

        ## Use instead
        ```text
        Backend bug: POST /api/exports returns 502 for acme.example (request_id=7f3a9c21,
        10:42 UTC, 5 of 5 tries). Same signature as ENG-4411, linked.
        ```

        ## How to fix
        Add what you saw (the log line or exact error, the link, the ticket or incident id, the
        time, the count), or say it is a suspicion and what you checked.
    """

    def __init__(self, options: UnsupportedClaimOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        data = load_words(__package__ or "")
        groups = []
        self.meta: dict[str, tuple[str, str]] = {}
        for category in CATEGORIES:
            if category in options.categories:
                groups.append(f"(?P<{category}>{'|'.join(data[category]['patterns'])})")
                self.meta[category] = (data[category]["label"], " ".join(data[category]["suggestion"].split()))
        if options.extra_phrases:
            groups.append(rf"(?P<team>(?<![\w-])(?:{alternation(options.extra_phrases)})(?![\w-]))")
            self.meta["team"] = ("Claim", self.meta.get("status", ("", data["status"]["suggestion"]))[1])
        self.claims = FastPattern("|".join(groups) if groups else r"(?!x)x")
        self.hedges = re.compile(rf"(?<![\w-])(?:{alternation(data['hedges'])})(?![\w-])|\?", re.IGNORECASE)
        self.note_wide = [k for k in options.evidence if k in NOTE_WIDE]
        self.near = [k for k in options.evidence if k not in NOTE_WIDE]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        text = context.text
        if not self.claims.possible(text):
            return  # the common case: nothing to check, no sentence split needed
        if self.note_wide and evidence_in(text, self.note_wide):
            return
        quotes = context.note.quotes
        sentences = context.note.sentences
        for index, (start, end) in enumerate(sentences):
            sentence = text[start:end]
            for match in self.claims.python.finditer(sentence):
                span = (start + match.start(), start + match.end())
                before = sentence[: match.start()]
                if inside(span, quotes) or _NEGATED.search(before) or _REPORTED.search(before):
                    continue
                if self.hedges.search(sentence):
                    break
                near_start = sentences[max(0, index - 1)][0]
                near_end = sentences[min(len(sentences) - 1, index + 1)][1]
                if self.near and evidence_in(text[near_start:near_end], self.near):
                    break
                category = match.lastgroup or "team"
                label, suggestion = self.meta[category]
                yield Finding(
                    span[0],
                    span[1],
                    f'{label} "{match.group(0).strip()}" with no evidence in the note: no '
                    f"{describe_kinds(self.options.evidence)}.",
                    suggestion,
                )


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [UnsupportedClaim]
