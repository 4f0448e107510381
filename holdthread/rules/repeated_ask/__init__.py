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
        Reads an agent's public reply and, for each thing it asks the customer for, checks
        whether the thread's customer already gave it earlier in the thread, before or after a
        handoff: in their own messages, as an attachment (an image is a screenshot, a `.har` or
        `.log` file is logs), or in a bot's or web form's intake record of their answers. The
        kinds it knows: an order, booking or other reference number, an invoice or transaction
        id, the account email, a phone number, an account or workspace id, a link (a channel,
        profile or page), a screenshot, the exact error, the browser or app version, the
        operating system or its release, the device or hardware model, steps, logs or a HAR file;
        whether they already tried a fix; whether they are on the latest version; and the problem
        itself. The annotation's evidence points at the comment and span where the customer gave
        it (an attachment has no span: the evidence names the file).

        What an ask is (read once for every rule in the parsed note):
        - Every question and request of a reply is read, clause by clause: the second ask of a
          long macro sentence ("DM us your name, the email on the account and the OS of your
          computer") counts like the first, and so do the items of a list after "please send:".
          Chat asks are asks too: a question without its question mark ("did you edit the
          file"), a terse one ("release?", "error?") and a line addressed by nick ("kim, paste
          the output").
        - A prohibition or a removal asks for nothing: "please do not share your order number
          here", "delete this tweet, it has your email".
        - An instruction is not a request for information: "try the steps in this article",
          "troubleshoot error CE-1234 with this guide". "Try X and let us know if it helps" asks
          for the result, and asks whether they tried X.
        - "Send us an email at <link>" or "reach us via <link>" asks them to write to us, not
          for their address; an email (a message, "the e-mail in question") is not an email
          address.
        - Asking for something new, quoting the given value back ("Thanks for order #A-7781;
          could you send a screenshot?"), asking for another one of the same kind ("could you
          also send another screenshot?") or for more than they said ("what exactly happens?")
          does not fire.

        What counts as given:
        - Only the thread's customer gives: the ticket's requester, else the author of the
          first customer message. Another user on a public thread or in a chat who posts the same
          details has not answered for the customer.
        - Values are read from the customer's parsed message, where nothing inside a link is
          another value: a range such as "50-450 ms" is not a phone number, a phone number has 7
          to 15 digits in phone grouping.
        - A device is not an operating system: "laptop" or "iPhone" does not answer "which OS?".
          An OS named with its release answers "which version of Ubuntu?" (a release name such as
          "Catalina", a number written into the name such as "ios11", or a year.month release
          number such as "10.04" after "on" or "running"); the OS alone does not, and neither
          does an OS they want to install ("can I install Ubuntu from a USB stick?").
        - A model answers "which model?" or "what graphics card?" only with its number ("Radeon
          9600", "AR9285"); a product line ("iPhone"), a kind ("the tablet") or a maker does not,
          though a maker answers "nvidia or ati?". A browser named without a number does not
          answer "which version?".
        - A file the customer only tried, failed or promised to send ("the upload failed",
          "I'll send it tomorrow") was not given.
        - Already tried: "have you tried X?", "did you X?", "could you X and let us know?" fires
          when the customer said they did X ("I already cleared the cache"): the same verb (a
          known fix counts however it is said: "rebooted" is "restart") on no different thing
          (restarting "my phone" is not restarting "the router").
        - Up to date: "is version 11.1 installed?" fires when the customer said they installed
          the latest update (or checked and found none); "the latest" does not answer "which
          version?".
        - The problem itself: "how can I help?", "what's the issue?" or "ask your question"
          fires when the customer had said specifically what goes wrong (a symptom with an error,
          a version or the action that fails), not after a bare complaint or a call for help.

        ## Where it is weak
        It reads words, not meaning: most re-asks on real chat and social threads are about
        other things the customer named in passing (which store, which station, which driver,
        which airline) or implied ("are you on your home network?" after they said they are
        away), and those pass. Yes/no questions that name the value ("are you using nvidia?")
        are read as confirmations and pass. On real customer-care and support-chat threads it
        finds about four in ten of the re-asks a careful reader marks; what it flags was right
        on every real reply labelled so far (docs/accuracy/repeated-ask.md).

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
