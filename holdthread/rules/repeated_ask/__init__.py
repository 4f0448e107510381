"""repeated-ask: a reply asks the customer for something they already gave in the thread."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field, field_validator

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Comment, Evidence
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets, known_choices
from holdthread.rules.repeated_ask.given import (
    SPOKEN,
    Precision,
    attached,
    customer_gave,
    quoted_back,
    really_given,
    steps_given,
    value_end,
)
from holdthread.rules.repeated_ask.kinds import INFO_KINDS, InfoKind, reference_given
from holdthread.text.asks import is_ask, request_bounds

_ID_TOKEN = re.compile(r"\b[A-Z0-9][\w-]{0,40}\d[\w-]{0,40}\b", re.IGNORECASE)
_EMAIL_VALUE = re.compile(r"@\S+\.\w+")
#: "also / another / a second / a different ...": asking for one more, not for the same again.
_ANOTHER = re.compile(r"\b(?:also|another|second|different|other|additional|new|updated|fresh|more)\b", re.IGNORECASE)
_VALUE_AFTER = re.compile(r"^\s*(?:number\s+|no\.?\s+|id\s+)?[#:]?\s*[A-Z0-9]{0,40}\d[\w-]{0,40}", re.IGNORECASE)
_THANKS = re.compile(r"\b(?:thanks|thank\s+you|got|received|have|noted|saw)\b[^.?!\n]{0,40}$", re.IGNORECASE)


class RepeatedAskOptions(Options):
    kinds: list[str] = Field(
        default=[k.name for k in INFO_KINDS],
        description="Which kinds of information to watch: " + ", ".join(k.name for k in INFO_KINDS) + ".",
    )

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: list[str]) -> list[str]:
        return known_choices(value, [k.name for k in INFO_KINDS], "kinds")


class RepeatedAsk(Rule[RepeatedAskOptions]):
    id = "repeated-ask"
    summary = "A reply asks the customer for information they already gave earlier in the thread."
    default_severity = "warning"
    needs = frozenset({"tokens", "sentences"})
    targets = Targets(kinds=["reply"], visibility="public")
    Options = RepeatedAskOptions
    doc = """
        ## What it does
        Reads an agent's public reply and, for each sentence that asks the customer for
        something (an order, invoice or transaction number, the account email, a phone number,
        an account or workspace id, a screenshot or photo, the exact error message, the browser or app
        version, the device or OS, steps, logs or a HAR file), checks whether the customer
        already gave it earlier in the thread, before or after a handoff: in their own messages,
        as an attachment (an image is a screenshot, a `.har` or `.log` file is logs), or in a
        bot's or web form's intake record of their answers. The annotation's evidence points at
        the comment and span where the customer gave it (an attachment has no span: the
        evidence names the file).

        Asking for something new does not fire, and neither does quoting the given value back
        while asking for something else ("Thanks for order #A-7781; could you send a
        screenshot?") or for another one of the same kind. A file the customer only tried,
        failed or promised to send ("the upload failed", "I'll send it tomorrow") was not given,
        and a browser named without a number ("I'm on Chrome") does not answer "which version?".

        ## Why it matters
        Being asked again for what they already sent is the most common reason customers say
        they had to "explain everything again". It happens most right after a handoff, when the
        new owner did not read the thread.

        ## Example
        Customer, earlier: "My order 55-1209 never arrived."
        ```text
        Hi Dana, could you send me your order number so I can look into it?
        ```

        ## Use instead
        ```text
        Hi Dana, I found order 55-1209: the carrier shows it stuck in Leeds since Nov 18.
        ```

        ## How to fix
        Read the thread (the evidence shows where the customer gave it) and use what they sent.
    """

    def __init__(self, options: RepeatedAskOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        self.kinds = [k for k in INFO_KINDS if k.name in options.kinds]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        customer_comments = [c for c in context.thread if customer_gave(c, context)]
        if not customer_comments:
            return
        text = context.text
        quotes = context.note.quote_index
        reported: set[str] = set()
        listing = False  # inside the list under "To help us, please send:"
        for start, end in context.note.sentences:
            sentence = text[start:end]
            listing = listing and _LIST_ITEM_LINE.match(sentence) is not None
            asking = listing or is_ask(sentence)
            if asking and sentence.rstrip().endswith(":"):
                listing = True
            if not asking:
                continue
            for kind, span, noun in self._asked_kinds(sentence):
                absolute = (start + span[0], start + span[1])
                key = f"{kind.name}:{noun}"
                if key in reported or quotes.covers(*absolute):
                    continue
                evidence = self._given(kind, noun, customer_comments, context, sentence)
                if evidence is None or quoted_back(evidence, kind, text):
                    continue
                reported.add(key)
                label = f"{noun} number" if kind.name == "reference" else kind.label
                yield Finding(
                    absolute[0],
                    absolute[1],
                    f"Asks again for the {label}: the customer already gave it in comment {evidence.comment_id}.",
                    f'Use what the customer sent ("{_short(evidence.text)}") instead of asking again.',
                    [evidence],
                )

    def _asked_kinds(self, sentence: str) -> Iterator[tuple[InfoKind, tuple[int, int], str]]:
        cue_start, limit = request_bounds(sentence)
        for kind in self.kinds:
            for match in kind.asked.finditer(sentence, 0, limit):
                after = sentence[match.end() :]
                if _VALUE_AFTER.match(after) and kind.name in {"reference", "invoice", "transaction", "account"}:
                    continue  # "order #A-7781" quotes the value back; it does not ask for it
                before = sentence[: match.start()]
                if match.start() < cue_start and _THANKS.search(before + " "):
                    continue  # "Thanks for the screenshot, could you ..." acknowledges it
                nearby = sentence[max(0, match.start() - 60) : match.end() + 60]
                if kind.name == "email" and _EMAIL_VALUE.search(nearby):
                    continue  # "is dana@acme.example still the right address?" quotes it back
                if _ANOTHER.search(sentence, max(cue_start, match.start() - 40), match.start()):
                    continue  # "could you also send a screenshot of ...": a new one, not the same again
                groups = match.groupdict()
                noun = (groups.get("noun") or groups.get("noun2") or groups.get("noun3") or "order").lower()
                yield kind, match.span(), " ".join(noun.split())
                break

    def _given(
        self, kind: InfoKind, noun: str, comments: list[Comment], context: RuleContext, asked: str
    ) -> Evidence | None:
        precise = Precision.of(asked)  # what the ask insists on, read once for every comment
        for comment in comments:
            body = context.thread_text(comment)
            file = attached(kind, comment, har=precise.har)
            if file is not None:
                return file
            answer = self._answer_to_question(kind, comment, context)
            if answer is not None:
                return answer
            if kind.name == "reference":
                found = reference_given(noun).search(body)
                if found is not None:
                    return Evidence(comment_id=comment.id, start=found.start(), end=found.end(), text=found.group(0))
                continue
            if kind.name == "steps":
                span = steps_given(context.thread_note(comment))
                if span is not None:
                    return Evidence(comment_id=comment.id, start=span[0], end=span[1], text=body[span[0] : span[1]])
                continue
            spoken = SPOKEN.get(kind.name)
            said_aloud = spoken.search(body) if spoken is not None else None
            if said_aloud is not None:
                return Evidence(
                    comment_id=comment.id, start=said_aloud.start(), end=said_aloud.end(), text=said_aloud.group(0)
                )
            for match in kind.given.finditer(body):
                if not really_given(kind, body, match, precise):
                    continue
                end = value_end(body, match.end()) if kind.name == "error" else match.end()
                return Evidence(comment_id=comment.id, start=match.start(), end=end, text=body[match.start() : end])
        return None

    def _answer_to_question(self, kind: InfoKind, comment: Comment, context: RuleContext) -> Evidence | None:
        """A short customer reply right after a bot or agent asked for ``kind`` ("55-3310")."""
        thread = list(context.thread)
        index = next((i for i, c in enumerate(thread) if c is comment), 0)
        if index == 0 or thread[index - 1].author.role == "customer":
            return None
        question = context.thread_text(thread[index - 1])
        if not any(k is kind for k, _, _ in self._asked_kinds(question)) or not is_ask(question):
            return None
        body = context.thread_text(comment)
        token = _ID_TOKEN.search(body) if len(body) < 200 else None
        if token is None:
            return None
        return Evidence(comment_id=comment.id, start=token.start(), end=token.end(), text=token.group(0))


#: Short forms customers write for a reference's noun ("Reservation conf. 88-4412-KX").
_LIST_ITEM_LINE = re.compile(r"[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+\S")


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [RepeatedAsk]
