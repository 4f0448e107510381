"""missing-owner: an escalation or handoff that names nobody to own the next step."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field
from spacy.lang.en.stop_words import STOP_WORDS

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets
from holdthread.rules._shared import first_line, load_data, phrase_pattern

#: A capitalised name of up to three words, any script ("João", "Zoë Müller").
#: A name of up to three capitalised words. Each word is bounded (no name is 40 letters long), so
#: a hostile "INV-CW-INV-CW-..." cannot make every capital start a scan to the end of the note.
_NAME = r"(?:[A-ZÀ-ÖØ-Þ](?:[^\W\d_]|['’-]){1,40}(?:[ \t]+[A-ZÀ-ÖØ-Þ](?:[^\W\d_]|['’-]){1,40}){0,2})"
_DOTTED = r"(?:[a-z][a-z-]{1,20}\.[a-z][a-z-]{1,20})"
_HANDLE = r"@[A-Za-z0-9][\w.-]{0,60}[A-Za-z0-9_]"
_TARGET = rf"(?P<the>(?i:the|our|their)\s+)?(?P<who>{_HANDLE}|{_DOTTED}|{_NAME})"
_ASSIGN = re.compile(
    r"(?i:\b(?:re)?assign(?:ing|ed)?|\bhand(?:ing|ed)?|\bpass(?:ing|ed)?|\btransferr?(?:ing|ed)?|\brout(?:ing|ed|e)"
    r"|\bescalat(?:ing|ed|e)|\bsend(?:ing)?|\bsent|\bgiv(?:ing|e)|\bmov(?:ing|ed))"
    r"(?i:\s+(?:it|this(?:\s+(?:ticket|case|one|conversation|chat))?|the\s+(?:ticket|case|conversation|chat)|over|off"
    r"|along|back|up))*\s+(?i:to)\s+" + _TARGET
)
#: "Owner: Lee", "**Owner:** Sana Iqbal"; not "the account owner Ana" (a role on the customer's side).
_OWNER_LABEL = re.compile(
    r"(?i:\b(?:(?<!account\s)(?<!business\s)(?<!store\s)(?<!workspace\s)(?<!site\s)(?<!property\s)(?<!practice\s)owner"
    r"|ownership|owned\s+by|assignee|assigned\s+to|dri|point\s+of\s+contact|poc|next\s+owner|new\s+owner"
    r"|handoff\s+to|handover\s+to)\b)\s*(?:\*\*|__)?\s*[:=\-–—]?\s*(?:\*\*|__)?\s*" + _TARGET
)
_OWNER_VERBS = (
    r"(?:take|own|look|investigate|check|follow|handle|pick|dig|debug|review|get\s+back|reach|triage|fix|work|confirm|"
    r"update|loop|coordinate|chase|call|contact|reply|respond|monitor|send|ping|push|deploy|patch|drive|lead|run|"
    r"keep|be\s+(?:the\s+)?(?:owner|owning|handling|taking|looking|investigating|on\s+point)|issue|rotate|restart|"
    r"roll|ship|write|prepare|process|refund|approve|apply|merge|release|rerun|retry|restore|migrate|re-[a-z]+|"
    r"continue|verify|test|reproduce|escalate|schedule|set\s+up|sync|circle\s+back|own|email|message|reach\s+out|"
    r"book|join|draft|post|file|open|raise|trace|audit|clean|correct|credit|reissue|resend|reindex|rebuild|flush)"
)
#: After "X will" / "X to", verbs that describe what happens to a thing, not what a person does.
_NOT_OWNER_VERBS = (
    r"(?:be|have|need|not|fail|break|crash|work|load|show|stop|happen|return|time|go|come|appear|stay|remain|"
    r"expire|renew|sync|charge|arrive|print|reset|run|get|probably|likely|also|still|never|only|"
    r"the|a|an|our|their|this|that|these|those|my|your|his|her|its)\b"
)
_FUTURE = (
    rf"(?:(?:will|['’]ll|is\s+going\s+to|are\s+going\s+to|to)\s+(?:(?:\w+\s+)?{_OWNER_VERBS}\b|(?!{_NOT_OWNER_VERBS})[a-z][a-z-]{{1,40}}\b)|is\s+taking|takes\s+over|"
    r"has\s+taken|is\s+looking|is\s+on\s+it|has\s+(?:it|this)\b|owns|is\s+handling|is\s+investigating|is\s+picking|"
    r"picks\s+(?:it\s+|this\s+|that\s+)?up|takes\s+(?:it|this|that)\b|handles\s+(?:it|this|that)\b|"
    r"is\s+owning|is\s+driving|is\s+checking|can\s+take|agreed\s+to|volunteered\s+to|is\s+the\s+owner|is\s+owner|"
    r"is\s+the\s+dri|is\s+working|"
    # "Ivan Petrov is writing it": a person busy with the next step (not "Export is failing the...")
    r"is\s+(?!(?:failing|returning|showing|loading|crashing|hanging|throwing|rejecting|dropping|timing|running|"
    r"breaking|erroring|stalling|spinning|affecting|blocking|causing|charging|sending|using)\b)[a-z]{3,}ing\s+"
    r"(?:it|this|that|the\s+\w+|on\s+it)\b)"
)
_PERSON_WILL = re.compile(
    rf"(?<![\w@.])(?P<who>{_HANDLE}|{_NAME})(?:\s+\((?P<aside>[^)\n]{{1,40}})\)|,\s+(?P<apposition>[^,\n]{{1,50}}),)?\s+"
    rf"(?:(?:from|on|in)\s+(?:the\s+)?[\w-]{{1,40}}(?:\s+[\w-]{{1,40}})?(?:\s+team)?\s+|on[-\s]?call\s+)?{_FUTURE}"
)
_ONCALL_LOOKING = re.compile(
    rf"(?P<who>\b[\w-]{{1,40}})\s+on[-\s]?call\s+(?:\([^)\n]{{1,40}}\)\s+)?{_FUTURE}", re.IGNORECASE
)
_MENTION = re.compile(rf"(?<![\w.+-]){_HANDLE}")
#: "Kofi, please take this" and "Please Kofi take this tomorrow": a named person asked to take it.
_TAKE_IT = re.compile(
    rf"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*(?:(?P<who>{_HANDLE}|{_NAME})[,:]?\s+(?i:please|pls|can\s+you|could\s+you)"
    rf"|(?i:please|pls)[,]?\s+(?P<addressed>{_HANDLE}|{_NAME})[,]?)\s+(?i:take|own|pick\s+up|look|check|handle)",
    re.MULTILINE,
)
#: "Dee — yours.", "Tariq — all yours", "Siobhan, over to you", "over to you, @dee": handed to a person.
_YOURS = re.compile(
    rf"(?<![\w@.])(?P<who>{_HANDLE}|{_NAME})\s*(?:[,:—–-]|--)\s*(?i:(?:it['’]s\s+)?(?:all\s+)?yours\b|over\s+to\s+you\b)"
    rf"|(?i:\bover\s+to\s+you|\ball\s+yours)\s*[,:—–-]?\s*(?P<addressed>{_HANDLE}|{_NAME})"
)
#: A mention that only informs: "CC @lee", "FYI @ines", "looping in @dee for visibility".
_FOR_VISIBILITY = re.compile(
    r"\b(?:cc|fyi|copying|cc['’]?ing|looping\s+in|for\s+visibility\s*:?)\s*:?\s*(?:@[\w.-]+[,\s]+)*$", re.IGNORECASE
)
_FOR_VISIBILITY_AFTER = re.compile(
    r"\s*(?:\(\s*)?(?:for\s+(?:visibility|awareness|your\s+information|info)|fyi)\b", re.IGNORECASE
)


def _only_informed(text: str, mention: re.Match[str]) -> bool:
    """Whether a mention only keeps someone informed ("CC @lee for visibility", "FYI @ines")."""
    before = _FOR_VISIBILITY.search(text, max(0, mention.start() - 30), mention.start())
    return before is not None or _FOR_VISIBILITY_AFTER.match(text, mention.end()) is not None
#: "customer will ask <Name> to ...", "they'll get <Name> to ...": someone the customer will ask.
_ASKED_BY_CUSTOMER = re.compile(
    r"\b(?:customer|client|requester|they|she|he|the\s+user)\b[^.!?\n]{0,30}\b(?:ask|asks|asked|get|gets|tell|tells|"
    r"remind|reminds|have|has)\s+$",
    re.IGNORECASE,
)
#: Words without which a pattern cannot match, checked on the lower-cased note first (cheap).
_HINTS: dict[re.Pattern[str], tuple[str, ...]] = {
    _OWNER_LABEL: ("owner", "owned", "assign", "dri", "point of contact", "poc", "handoff", "handover"),
    _YOURS: ("yours", "over to you"),
    _TAKE_IT: ("take", "own", "pick", "look", "check", "handle"),
    _ONCALL_LOOKING: ("call",),
}
_NOT_ONCALL_OWNER = frozenset({
    "whoever", "someone", "somebody", "anyone", "any", "the", "an", "a", "is", "be", "current", "next", "our",
    "their", "whoever's", "whichever", "s", "who", "if", "whoever’s", "team", "being",
})
#: Where a finding points when there is no owner: the words that hand the ticket on.
_HANDOFF_WORDS = re.compile(
    r"\b(?:escalat\w*|hand\w*\s+(?:off|over)|assign\w*|sending|passing|transferr?\w*)\b[^.\n]{0,60}", re.IGNORECASE
)
#: A team word right after a capitalised name makes it a team ("Digital team", "Growth squad").
_TEAM_AFTER = re.compile(
    r"[ \t]*(?:team|squad|queue|group|desk|department|dept|crew|shift|org|pod|guild)\b", re.IGNORECASE
)
#: Words that put a named person on the customer's side.
_CUSTOMER_ROLES = frozenset({
    "customer", "client", "tenant", "member", "guest", "patient", "driver", "merchant", "caller", "player",
    "user", "requester", "landlord", "student", "employee", "buyer", "seller", "passenger", "traveller", "traveler",
})
_CUSTOMER_ASIDE = re.compile(r"\b(?:customer|client|their|requester|end[- ]user|merchant)\b", re.IGNORECASE)
#: "..., he wrote the credits job": the owner just named is a person, whatever the name looks like.
_PERSONAL_PRONOUN = re.compile(r"[^.!?\n]*?\b(?:he|she|his|her|him)\b", re.IGNORECASE)
_TEAM_SUFFIXES = ("ing", "ion", "ions", "ity", "ics", "ment", "ments", "ance", "ence", "ware", "ops", "ness")


class MissingOwnerOptions(Options):
    count_mentions: bool = Field(
        default=True, description="Count any @mention of a person or handle (not @here/@channel) as an owner."
    )


class MissingOwner(Rule[MissingOwnerOptions]):
    id = "missing-owner"
    summary = (
        "An escalation or handoff names no next-step owner: no person, no on-call or queue handle, no new assignee."
    )
    default_severity = "error"
    needs = frozenset()
    targets = Targets(kinds=["escalation", "handoff"])
    Options = MissingOwnerOptions
    doc = """
        ## What it does
        Fires when an escalation or handoff note names nobody to own the next step. Any of
        these is an owner:

        - a person: an @mention (`@lee.park`), `Owner: Lee Park`, "assigning / handing this to
          Lee", "Lee will / is going to / to take it", "Grace picks this up Monday",
          "payments on-call (Lee) is looking", "Ravi, this week's SRE on call, is picking it up",
          "Dee — yours", "Siobhan, over to you", "Please Kofi take this";
        - an on-call or queue handle such as `@payments-oncall`, or a team that the policy's
          `owners` directory maps to a handle or person;
        - a new assignee set together with the draft.

        A team or department alone ("escalating to engineering", "sending to Tier 2") is not an
        owner, and nor are "someone", "whoever is on call", "the team", "they", `@here`, a
        distribution list such as `@field-ops-all`, a mention that only informs ("CC @lee for
        visibility", "FYI @ines") or "Owner: TBD". People named as past actors ("Priya looked at it yesterday") are not
        owners either: the rule looks for who takes the *next* step. The customer is never the
        owner.

        ## Why it matters
        A ticket handed to "engineering" sits in a queue nobody watches; the customer waits
        while every team assumes another has it. One name makes the handoff land.

        ## Example
        ```text
        Escalating to engineering, customer can't export invoices since this morning.
        ```

        ## Use instead
        ```text
        Escalating to @billing-oncall (Priya will pick it up today): invoice export fails with E1042.
        ```

        ## How to fix
        Name the person or handle that owns the next step, or set the assignee with the note.
        Map your teams to handles in the policy so that "escalating to payments" counts:
        `owners: {payments: "@payments-oncall"}`.
    """

    def __init__(self, options: MissingOwnerOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        data = load_data("owners")
        self.not_owners = {w.lower() for w in data["not_owners"]}
        self.broadcast = {w.lower() for w in data["broadcast_mentions"]}
        self.names_in_s = {w.lower() for w in data["names_ending_in_s"]}
        teams = [name for name, handle in settings.owners.items() if handle.strip()]
        self.directory = (
            re.compile(rf"(?<![\w-])(?:{phrase_pattern(teams)})(?![\w-])", re.IGNORECASE) if teams else None
        )

    def _is_person(
        self, who: str, context: RuleContext, *, after_the: bool = False, referred_to: bool = False
    ) -> bool:
        """Whether a name found where an owner stands is a person or handle, not a team alone."""
        cleaned = who.strip().rstrip(".,;:")
        lowered = cleaned.lower()
        if lowered.startswith("@"):
            handle = lowered[1:]
            # @here, @channel, and distribution lists such as @field-ops-all reach everyone, so no one
            return handle not in self.broadcast and not handle.endswith(("-all", "_all", "-everyone"))
        if after_the:
            return False  # "to the Accounts team", "to our billing queue"
        words = lowered.split()
        if not words or lowered in self.not_owners or words[0] in STOP_WORDS or words[-1] in self.not_owners:
            return False
        if len(words) == 1 and (words[0] in self.not_owners or (cleaned.isupper() and len(cleaned) > 1)):
            return False  # "Engineering", "EMEA", "QA": a department or region alone
        if "." in lowered and " " not in lowered:
            return True  # a dotted login such as lee.park
        last = words[-1]
        plural_word = last.endswith("s") and len(words) == 1 and last not in self.names_in_s and last.isascii()
        tail = last.rsplit("-", 1)[-1]  # "Mei-Ling": the suffix test reads "ling", too short for "Billing"
        team_word = tail.endswith(_TEAM_SUFFIXES) and not (tail.endswith("ing") and len(tail) <= 5)
        if team_word or (plural_word and not referred_to):
            # Integrations, Identity, Billing Operations: a team or area, not a person. A name in
            # another script ("Tomás") or one the note calls "he" / "she" is a person.
            return False
        if words[0] in _CUSTOMER_ROLES:
            return False  # "Tenant Lena Fischer will send the photos": the customer's side
        customers = {p.lower() for p in _customer_names(context)}
        return not (lowered in customers or words[0] in customers or any(c in lowered for c in customers if " " in c))

    def owner_evidence(self, context: RuleContext) -> str | None:
        """What in the note (or draft) names the next owner, or ``None``."""
        target = context.target
        if target.new_assignee is not None and (target.new_assignee.id or target.new_assignee.name):
            return "new assignee"
        text = context.text
        lowered = text.lower()
        for pattern in (_OWNER_LABEL, _ASSIGN, _PERSON_WILL, _ONCALL_LOOKING, _TAKE_IT, _YOURS):
            hints = _HINTS.get(pattern)
            if hints is not None and not any(hint in lowered for hint in hints):
                continue  # the pattern's key words are absent: skip a scan at every capitalised word
            for match in pattern.finditer(text):
                group = "who" if match.group("who") is not None else "addressed"
                who = match.group(group)
                if pattern is _ONCALL_LOOKING:
                    if who.lower() not in _NOT_ONCALL_OWNER:
                        return match.group(0)
                    continue
                groups = match.groupdict()
                aside = groups.get("aside") or groups.get("apposition")
                if aside and _CUSTOMER_ASIDE.search(aside):
                    continue  # "Camille (customer admin) will add the domain": not our owner
                if _TEAM_AFTER.match(text, match.end(group)):
                    continue  # "to Digital team", "Growth squad will": a team named alone
                asked_by_customer = _ASKED_BY_CUSTOMER.search(text, max(0, match.start() - 60), match.start())
                if pattern is _PERSON_WILL and asked_by_customer:
                    continue  # "the customer will ask Ana to change the role": Ana is on their side
                referred_to = _PERSONAL_PRONOUN.match(text, match.end(), match.end() + 80) is not None
                if self._in_directory(who) or self._is_person(
                    who, context, after_the=bool(groups.get("the")), referred_to=referred_to
                ):
                    return match.group(0)
        if self.options.count_mentions:
            for match in _MENTION.finditer(text):
                if _only_informed(text, match):
                    continue  # told, not asked to own it
                if self._is_person(match.group(0), context):
                    return match.group(0)
        if self.directory is not None:
            named = self.directory.search(text)
            if named:
                return named.group(0)
        return None

    def _in_directory(self, who: str) -> bool:
        return self.directory is not None and self.directory.fullmatch(who.strip()) is not None

    def check(self, context: RuleContext) -> Iterator[Finding]:
        if self.owner_evidence(context) is not None:
            return
        text = context.text
        handoff = _HANDOFF_WORDS.search(text)
        start, end = handoff.span() if handoff else first_line(text)
        yield Finding(
            start, end,
            "No next-step owner: the note names no person, on-call or queue handle, and sets no assignee.",
            "Name who owns the next step (e.g. \"Owner: @payments-oncall\" or \"Lee Park will take it\"), "
            "or set the assignee with the note.",
        )


def _customer_names(context: RuleContext) -> set[str]:
    names = set()
    for person in [context.ticket.requester, *(c.author for c in context.thread if c.author.role == "customer")]:
        if person is not None and person.name:
            names.add(person.name)
            names.add(person.name.split()[0])
    return names


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [MissingOwner]
