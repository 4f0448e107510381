"""no-next-step: a handoff that says what happened but not what happens next, and when."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets
from holdthread.text.lexicon import alternation
from holdthread.text.when import CONDITION, WHEN
from holdthread.text.wordlists import load_words

#: What a next step does ("call", "refund", "re-open"): the list lives in words.yaml.
_ACTION_VERB = f"(?:{alternation(load_words(__package__ or '')['next_step_verbs'])})"
_NEXT = re.compile(
    r"\b(?:will|['’]ll|(?:am|is|are)\s+going\s+to|plan(?:s|ning)?\s+to|scheduled\s+to|intend(?:s)?\s+to|about\s+to)\s+"
    r"(?:(?:also|then|first|personally|directly|try\s+to)\s+)?(?!be\b|have\b|not\b|never\b|probably\b|likely\b)[a-z]{2,}\b"
    r"|\bnext\s*(?:step|steps|action|actions|up)?\s*(?:[:=\-–—]|is\b|are\b|would\s+be\b)"
    r"|^\s*(?:to[\s-]?do|action\s+items?|follow[\s-]?up|plan|pending)\s*:"
    r"|\b(?:waiting|wait)\s+(?:on|for)\b|\bawaiting\b|\bpending\s+\w|\bon\s+hold\s+(?:until|till|pending)\b"
    rf"|\b(?:please|pls|plz|can\s+you|could\s+you|kindly)\s+(?:\w+\s+)?{_ACTION_VERB}\b"
    rf"|\bthen\s+(?:\w+\s+)?{_ACTION_VERB}\b"
    r"|\bneeds?\s+(?:a\s+|an\s+)?(?:callback|call\s*back|reply|response|follow[\s-]?up|update|refund|decision)\b"
    r"|\bneeds?\s+to\s+be\s+\w+ed\b"
    r"|\b(?:callback|call\s*back|call|follow[\s-]?up|check[\s-]?in|reminder|meeting|demo|session|refund|deploy|release)\s+"
    r"(?:is\s+|has\s+been\s+)?(?:scheduled|booked|set|planned|arranged|due|expected)\b",
    re.IGNORECASE | re.MULTILINE,
)
_DONE = re.compile(
    r"\bno\s+(?:further\s+|more\s+)?(?:action|follow[\s-]?up|work)\s+(?:is\s+)?(?:needed|required|pending)\b"
    r"|\bnothing\s+(?:further|else|more)\s+(?:is\s+)?(?:needed|pending|to\s+do|required)\b|\bnothing\s+pending\b"
    r"|\b(?:closing|closed|solved|resolving)\s+(?:the\s+|this\s+)?(?:ticket|case|conversation)\b"
    r"|\b(?:ticket|case)\s+(?:is\s+)?(?:now\s+)?(?:closed|solved|resolved)\b|\bmarked\s+(?:as\s+)?(?:solved|resolved|closed)\b",
    re.IGNORECASE,
)


class NoNextStepOptions(Options):
    require_when: bool = Field(
        default=True,
        description=('Also require a time or a condition for the next step ("by 15:00 UTC", "once PR #4411 ships").'),
    )
    accept_closed: bool = Field(
        default=True,
        description=("Accept a handoff that says no further action is needed or the ticket is closed."),
    )


class NoNextStep(Rule):
    id = "no-next-step"
    summary = "A handoff says what happened but not what happens next and when."
    default_severity = "warning"
    needs = frozenset({"tokens", "sentences"})
    targets = Targets(kinds=["handoff"])
    Options = NoNextStepOptions
    options: NoNextStepOptions
    doc = """
        ## What it does
        Reads handoff notes (shift change, reassignment, hand-back) and reports one of:

        - **no next step**: the note tells the story so far but nothing says what happens next:
          no "will / 'll / going to" action, no "Next step:", "waiting on ...", "please call...",
          "callback scheduled";
        - **no when**: there is a next step, but neither it nor the sentence after it says when:
          a time or date ("by 15:00 UTC", "tomorrow", "EOD", "Monday", "within 24 h") or a
          condition ("once the fix in PR #4411 ships", "when the customer sends the HAR", "if no
          reply by ...", "waiting on X, then reply").

        A handoff that says the work is finished ("no further action needed", "closing the
        ticket") needs no next step. Escalations are not read by default (missing-owner covers
        who takes them); add `escalation` to the rule's `targets.kinds` to read them too.

        ## Why it matters
        A handoff that ends with the past tense leaves the next shift to reconstruct the plan.
        Without a time or a trigger, the promised callback happens when someone notices, which
        is usually after the customer chases.

        ## Example
        ```text
        Spoke to Dana, refund was approved by finance. Customer is unhappy about the delay.
        ```

        ## Use instead
        ```text
        Spoke to Dana, refund approved by finance. Next: I'll confirm the refund ID to Dana by
        15:00 UTC; if it has not posted by Friday, Lee re-issues it.
        ```

        ## How to fix
        End the handoff with the next action, who does it, and a time or a condition.
    """

    def check(self, context: RuleContext) -> Iterator[Finding]:
        text = context.text
        if self.options.accept_closed and _DONE.search(text):
            return
        if _NEXT.search(text) is None:
            start, end = context.note.first_line
            yield Finding(
                start,
                end,
                "Handoff says what happened but not what happens next.",
                'End with the next action and when: "I\'ll call Dana back by 15:00 UTC" or '
                '"waiting on the fix in PR #4411, then reply to the customer".',
            )
            return
        if not self.options.require_when:
            return
        sentences = context.note.sentences
        first: tuple[int, int] | None = None
        for index, (start, end) in enumerate(sentences):
            match = _NEXT.search(text, start, end)
            if match is None:
                continue
            following = sentences[index + 1][1] if index + 1 < len(sentences) else end
            window = text[start:following]
            if WHEN.search(window) or CONDITION.search(window):
                return
            if first is None:
                first = (match.start(), end)
        if first is None:  # a next step that spans sentence breaks; judge the whole note
            if WHEN.search(text) or CONDITION.search(text):
                return
            first = (0, len(text))
        yield Finding(
            first[0],
            first[1],
            "Next step has no time or condition: the next owner cannot tell when it is due.",
            'Say when: a time ("by 15:00 UTC", "tomorrow 10:00") or a condition '
            '("once PR #4411 ships", "when the customer sends the HAR file").',
        )


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [NoNextStep]
