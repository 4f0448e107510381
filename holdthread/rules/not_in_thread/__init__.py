"""not-in-thread: a fact the note gives as the customer's that the thread contradicts or never states."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Evidence
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets, known_choices
from holdthread.rules.not_in_thread.attribution import Attribution, Markers, compile_markers
from holdthread.rules.not_in_thread.decide import Rival, RivalFinder
from holdthread.rules.not_in_thread.facts import FACT_KINDS, Fact, FactReader
from holdthread.rules.not_in_thread.shapes import WORDS
from holdthread.rules.not_in_thread.thread import build_pool, customer_comments

if TYPE_CHECKING:
    from holdthread.linter.policy import Settings

#: How a message names each kind of fact.
KIND_NAMES: dict[str, str] = {
    "identifier": "id", "email": "email address", "phone": "phone number", "error": "error",
    "software": "software or version", "device": "device", "amount": "amount", "date": "date or time",
    "plan": "plan", "count": "count",
}  # fmt: skip


class AttributionWords(BaseModel):
    """Phrases of your own that mark whose a fact is, added to the built-in ones."""

    model_config = ConfigDict(extra="forbid")

    customer: list[str] = Field(default=[], description='Phrases that give a fact to the customer ("per the caller").')
    agent: list[str] = Field(default=[], description='Phrases that mark the agent\'s own finding ("in Looker").')


class NotInThreadOptions(Options):
    kinds: list[str] = Field(
        default=list(FACT_KINDS),
        description="Which kinds of fact are checked: " + ", ".join(FACT_KINDS) + ".",
    )
    attribution_words: AttributionWords = Field(
        default_factory=AttributionWords,
        description="Extra phrases that say a fact is the customer's (`customer: [...]`) or the agent's own "
        "finding (`agent: [...]`), added to the built-in ones; a phrase counts before the fact in its clause, "
        "or after it.",
    )

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: list[str]) -> list[str]:
        return known_choices(value, FACT_KINDS, "fact kinds")


class NotInThread(Rule[NotInThreadOptions]):
    id = "not-in-thread"
    summary = (
        "The note gives as the customer's a fact (id, version, device, amount, date...) that the thread "
        "contradicts or never states."
    )
    default_severity = "warning"
    needs = frozenset()
    targets = Targets(kinds=["escalation", "handoff", "note"])
    Options = NotInThreadOptions
    doc = """
        ## What it does
        Checks each fact an escalation, handoff or internal note gives as the customer's or the
        ticket's against the ticket itself: the customer's messages, the ticket's fields
        (subject, requester, tags) and the names of attached files. It reports a fact the
        thread **contradicts** (the customer gave another value of the same kind for the same
        thing: version 17.1 for the note's 17.2, order 48231 for 48213, an Xbox One for an Xbox
        360) or **never states** (no message holds it: an error code, an amount, a phone number
        that appears nowhere). Facts are ids and codes, email addresses, phone numbers, error
        codes and quoted error text, OS and browser names and versions, device models, amounts
        with their currency or unit, dates, times and durations, plan names, and counts.

        - **Formatting is not a difference.** Values are compared as values: `7.500` and `7,500`,
          `$13` and "thirteen dollars", `Nov 3`, `3 November` and `11/03`, `10pm`, `22:00` and
          `22.00`, `iPhone XS` and `iphone xs`, `iPhone 7+` and `iPhone 7 Plus`, `TBA 5665` and
          `TBA5665`. A day the customer named relative to their message ("today", "Friday") is
          read from when they wrote it, and the day each message was written is a field of the
          ticket.
        - **One value in two units is one value.** `44.1 kHz` and `44100 Hz`, `48 hours` and `2
          days`.
        - **Less precise is not wrong; more precise is unstated.** `iOS 11` for the customer's
          `iOS 11.1` is fine; `iOS 11.1` for the customer's `iOS 11` is a value nobody gave. An OS
          family is stated by its members (Linux by Ubuntu or "dapper", macOS by "OS X"). A device
          is stated by its model alone ("my SE" states an iPhone SE), but a bare number states no
          model; a path by its last part ("hda3" states `/dev/hda3`).
        - **A code is one value.** `DL4074` is stated by `DL 4074`, or by its digits when there
          are three or more of them (`8482` states `BA8482`), never by one shared digit. A short
          code (`B44`, `usb2`) is too short to tell from a name, so it is reported only against the
          customer's code of the same shape (`B43`); a size (`1024x768`) is stated by its numbers.
        - **A quote is the customer's words.** Quoted text must share at least half of its word
          pairs with the thread; a paraphrase belongs outside quotation marks.
        - **A count written in words sums up.** "two kids", "three queues" is how a note counts
          what the customer listed one by one, so it is reported only when the customer gave
          another count of the same thing.
        - **The agent's own findings are not checked.** A fact the note gives as the agent's or
          the team's work ("I checked", "we told them", "Checked the logs:", "Told them ..."),
          read from a system or a tool ("the account shows", "per the ops log", "per Stripe",
          "in our system"), pasted as code or a log, or in a section for it (`Agent check:`,
          `Findings:`, `Internal:`, one the writer labels as theirs, `My check:`, or one named
          after a system, `Ops log:`; in chat, what "a helper" said) need not be in the
          thread. What the team did with a value, said after it ("refund of $25 issued"), is the
          team's too. Whose a fact is: the nearest marker before it in its clause (a sentence, or
          its part after a semicolon), else its section, else a marker after it in its clause;
          a note relays the ticket, so an unmarked fact is the customer's. "Per DM" or "per their
          email" keeps a fact the customer's, and the thread cannot show it: it is reported.
        - **Nothing the thread already says is reported**, even when only the agent's side of
          the thread said it: a note that repeats the agent's reply relays the thread.
        - **No thread, no finding.** With no customer message before the note there is nothing
          to check against, and the rule stays silent (a note linted on its own, a summary
          without its conversation, an outbound ticket).

        The finding points at the note's value; its evidence is the customer's message and the
        span of the value that contradicts it, and the suggestion quotes that value.

        ## Why it matters
        The worst handoff is not the vague one but the confident one that is wrong: "customer
        is on iOS 17.2" when they wrote 17.1, order 48213 for 48231, an error code nobody saw.
        The next person trusts the note and goes down the wrong path, and notes drafted or
        summarised with AI make such slips fluent and frequent.

        ## Example
        The customer wrote: "the app closes as soon as I open Reports on my iPad Air since I
        updated to iPadOS 17.1. Order 48213, charged 49.00 EUR."

        ```text
        Escalating: customer's iPad Pro crashes when opening Reports since iPadOS 17.2.
        Order 48231, charged €49; customer already reinstalled, error RPT-500 each time.
        ```

        ## Use instead
        ```text
        Escalating: customer's iPad Air crashes when opening Reports since iPadOS 17.1.
        Order 48213, charged €49. I checked the crash logs: RPT-500 on build 5.12.1 only.
        ```

        ## How to fix
        Copy values from the customer's message rather than from memory, and say where a value
        comes from when it is not the customer's: "I checked the account: plan = Pro", "per
        DM", "from the logs". Where the customer corrected themselves, use the corrected value.

        ## Where it is weak
        - It reads values, not what the customer did or said: "customer already reinstalled" or
          "customer rejected the explanation" when nobody said so is not checked (about one
          wrong fact in eight in the development notes is of this kind).
        - It knows the devices, operating systems and browsers of the shared lexicon, codes with
          digits, paths, and plans as a capitalised name before "plan", "tier", "member" and the
          like; an app, game, package or product named without a number (`apt-cache` for
          `apt-file`, a USB stick for a hard disk) is not a fact it can check, an error in words
          ("bus error" for "segmentation fault") neither, and a plan negated ("no Prime") is not
          read. On support chat, where most wrong facts are of these kinds, it finds about half.
        - A number a note works out from the thread (a wait of "3 hours" from two timestamps, a
          total of two amounts) is reported as unstated unless the note says it worked it out.
        - Whose a fact is comes from marker words: a finding of the agent written as plain
          statement ("the item ships Monday") reads as the customer's, and "we" in the
          customer's reported speech ("customer says we charged twice") reads as the agent's.
        - Values only the agent's side of the thread gave are never reported, even when the note
          says the customer gave them.
    """

    def __init__(self, options: NotInThreadOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        extra = {"customer": options.attribution_words.customer, "agent": options.attribution_words.agent}
        self.markers: Markers = compile_markers(WORDS["attribution_words"], extra)
        self.kinds: frozenset[str] = frozenset(options.kinds)

    def check(self, context: RuleContext) -> Iterator[Finding]:
        comments = customer_comments(context)
        if not comments:
            return  # no thread, no finding: nothing to check the note against
        facts = FactReader(context.note).facts(self.kinds)
        if not facts:
            return
        pool = build_pool(context)
        # Whose each fact is, read only once a fact is not stated (most facts of a note are).
        attribution: Attribution | None = None
        finder = RivalFinder(context, comments)
        for fact in facts:
            if all(pool.states(claim) for claim in fact.claims):
                continue
            attribution = attribution or Attribution(context.note, self.markers)
            if attribution.side(fact.start, fact.end) == "agent":
                continue
            rival = finder.rival(fact)
            if rival is None and fact.needs_rival:
                continue
            yield self._finding(context, fact, rival)

    @staticmethod
    def _finding(context: RuleContext, fact: Fact, rival: Rival | None) -> Finding:
        kind = KIND_NAMES[fact.kind]
        if rival is None:
            return Finding(
                fact.start,
                fact.end,
                f'Not in the thread: the note gives the {kind} "{fact.text}" as the customer\'s, '
                "but no customer message or ticket field states it.",
                "Check it against the ticket and correct it; if it is your own finding, say where it comes from "
                '("I checked ...", "per DM"); otherwise leave it out.',
            )
        value = rival.fact.text
        return Finding(
            fact.start,
            fact.end,
            f'Not what the customer wrote: the note gives the {kind} "{fact.text}", the customer wrote "{value}".',
            f'Use the customer\'s "{value}", or, if "{fact.text}" is your own finding, say so ("I checked ...").',
            [Evidence(comment_id=rival.comment.id, start=rival.fact.start, end=rival.fact.end, text=value)],
        )


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [NotInThread]
