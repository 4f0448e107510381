"""repeated-ask: a reply asks the customer for something they already gave in the thread."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field, field_validator

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Comment, Evidence, Person
from holdthread.linter.policy import Settings
from holdthread.linter.requester import thread_customer
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets, known_choices
from holdthread.rules.repeated_ask.asked import asked_kinds
from holdthread.rules.repeated_ask.files import attached, customer_gave
from holdthread.rules.repeated_ask.given import (
    NOTED_KINDS,
    SPOKEN,
    Precision,
    noted,
    quoted_back,
    really_given,
    steps_given,
    value_end,
)
from holdthread.rules.repeated_ask.kinds import INFO_KINDS, InfoKind, reference_given
from holdthread.rules.repeated_ask.problem import problem_stated
from holdthread.rules.repeated_ask.tried import tried_before
from holdthread.rules.repeated_ask.uptodate import asks_whether_on_version, said_up_to_date
from holdthread.text import ParsedNote
from holdthread.text.asks import Ask, asks_for_the_problem

_ID_TOKEN = re.compile(r"\b[A-Z0-9][\w-]{0,40}\d[\w-]{0,40}\b", re.IGNORECASE)
#: The kind of ask that fires when the customer said they already did what it asks about.
ALREADY_TRIED = "already-tried"
#: The kind of ask that fires when an open question about the problem follows its statement.
PROBLEM = "problem"
KIND_NAMES = [*(k.name for k in INFO_KINDS), ALREADY_TRIED, PROBLEM]
#: Kinds whose value is an id or number: a short reply that is one answers a question for it.
_NUMBERED = frozenset({"reference", "invoice", "transaction", "account"})


class RepeatedAskOptions(Options):
    kinds: list[str] = Field(
        default=KIND_NAMES,
        description="Which kinds of information to watch: " + ", ".join(KIND_NAMES) + ".",
    )

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: list[str]) -> list[str]:
        return known_choices(value, KIND_NAMES, "kinds")


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
        self.already_tried = ALREADY_TRIED in options.kinds
        self.problem = PROBLEM in options.kinds
        self.up_to_date = "version" in options.kinds or "os" in options.kinds

    def check(self, context: RuleContext) -> Iterator[Finding]:
        customer = thread_customer(context.ticket, context.thread)
        givers = [c for c in context.thread if customer_gave(c, customer, context)]
        if not givers:
            return
        text = context.text
        quotes = context.note.quote_index
        reported: set[str] = set()
        for ask in context.note.asks:
            if quotes.covers(ask.start, ask.end):
                continue  # a quoted question is not the agent's own ask
            for kind, span, noun in asked_kinds(text, ask, self.kinds):
                key = f"{kind.name}:{noun}"
                if key in reported or quotes.covers(*span):
                    continue
                asked = text[ask.start : ask.end]
                evidence = self._given(kind, noun, givers, context, asked, customer)
                if evidence is None or quoted_back(evidence, kind, text):
                    continue
                reported.add(key)
                label = f"{noun} number" if kind.name == "reference" else kind.label
                yield _finding(span, f"Asks again for the {label}", evidence)
            yield from self._said_before(ask, givers, context, reported)

    def _said_before(
        self, ask: Ask, givers: list[Comment], context: RuleContext, reported: set[str]
    ) -> Iterator[Finding]:
        """Asks answered by what the customer said rather than a value: they already tried it,
        they said they are on the latest version, or they already set out the problem."""
        said = [(c, context.thread_note(c)) for c in givers if c.author.role == "customer"]
        if self.already_tried and ask.tried is not None and ALREADY_TRIED not in reported:
            evidence = tried_before(context.text[ask.tried[0] : ask.tried[1]], said)
            if evidence is not None:
                reported.add(ALREADY_TRIED)
                yield _finding(ask.tried, "Asks whether they tried what they already said they did", evidence)
        asked = context.text[ask.start : ask.end]
        if self.up_to_date and "version" not in reported and asks_whether_on_version(asked):
            evidence = said_up_to_date(said)
            if evidence is not None:
                reported.add("version")
                yield _finding(ask.span, "Asks again whether they are on the latest version", evidence)
        if self.problem and PROBLEM not in reported and asks_for_the_problem(asked):
            evidence = problem_stated(said)
            if evidence is not None:
                reported.add(PROBLEM)
                yield _finding(ask.span, "Asks what the problem is", evidence)

    def _given(
        self,
        kind: InfoKind,
        noun: str,
        comments: list[Comment],
        context: RuleContext,
        asked: str,
        customer: Person | None,
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
            found = self._given_in(kind, noun, context.thread_note(comment), precise)
            if found is not None:
                start, end = found
                return Evidence(comment_id=comment.id, start=start, end=end, text=body[start:end])
        return None

    def _given_in(self, kind: InfoKind, noun: str, note: ParsedNote, precise: Precision) -> tuple[int, int] | None:
        """Where one comment gives ``kind``, if it does."""
        body = note.text
        if kind.name == "reference":
            found = reference_given(noun).search(body)
            return found.span() if found is not None else None
        if kind.name == "steps":
            return steps_given(note)
        spoken = SPOKEN.get(kind.name)
        said_aloud = spoken.search(body) if spoken is not None else None
        if said_aloud is not None:
            return said_aloud.span()
        if kind.name in NOTED_KINDS:
            return noted(kind, note, precise)
        for match in kind.given.finditer(body):
            if really_given(kind, body, match, precise):
                end = value_end(body, match.end()) if kind.name == "error" else match.end()
                return match.start(), end
        return None

    def _answer_to_question(self, kind: InfoKind, comment: Comment, context: RuleContext) -> Evidence | None:
        """A short customer reply right after a bot or agent asked for a numbered ``kind`` ("55-3310")."""
        if kind.name not in _NUMBERED:
            return None  # other kinds are given by their own value, read from the comment
        thread = list(context.thread)
        index = next((i for i, c in enumerate(thread) if c is comment), 0)
        if index == 0 or thread[index - 1].author.role == "customer":
            return None
        previous = context.thread_note(thread[index - 1])
        if not any(k is kind for ask in previous.asks for k, _, _ in asked_kinds(previous.text, ask, [kind])):
            return None
        body = context.thread_text(comment)
        token = _ID_TOKEN.search(body) if len(body) < 200 else None
        if token is None:
            return None
        return Evidence(comment_id=comment.id, start=token.start(), end=token.end(), text=token.group(0))


def _finding(span: tuple[int, int], what: str, evidence: Evidence) -> Finding:
    return Finding(
        span[0],
        span[1],
        f"{what}: the customer already gave it in comment {evidence.comment_id}.",
        f'Use what the customer sent ("{_short(evidence.text)}") instead of asking again.',
        [evidence],
    )


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [RepeatedAsk]
