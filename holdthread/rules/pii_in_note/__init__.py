"""pii-in-note: customer data or secrets in a note that leaves support, or in a public reply."""

from __future__ import annotations

from collections.abc import Iterator

import phonenumbers
from pydantic import Field, field_validator

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets, known_choices
from holdthread.rules.pii_in_note.cards import cards
from holdthread.rules.pii_in_note.contact_points import ContactPoints
from holdthread.rules.pii_in_note.detectors import could_hold_pii, emails, government_ids, passwords, secrets
from holdthread.rules.pii_in_note.hits import Hit
from holdthread.rules.pii_in_note.own_data import OwnValues, own_values
from holdthread.rules.pii_in_note.phones import phone_numbers
from holdthread.text import ParsedNote

KINDS = ("email", "phone", "card", "government_id", "password", "secret")


class PiiInNoteOptions(Options):
    kinds: list[str] = Field(default=list(KINDS), description="What to look for: " + ", ".join(KINDS) + ".")
    allow_domains: list[str] = Field(
        default=[],
        description="Your organisation's email domains (e.g. `acme.example`; subdomains included): addresses there "
        "are your staff's and teams', not customer data.",
    )
    allow_values: list[str] = Field(
        default=[],
        description="Addresses and numbers that are never personal data here, e.g. your own lines `+44 20 7946 0000` "
        "(phone numbers compare by their last 9 digits, so any way of writing one matches) or `help@acme.example`.",
    )
    allow_role_addresses: bool = Field(
        default=True,
        description="Accept role mailboxes of any domain: an address whose part before the `@` is made only of words "
        "that name a function (`support@`, `noreply@`, `reportphish@`, `customer.care@`).",
    )
    phone_regions: list[str] = Field(
        default=["US", "GB", "CA", "AU", "JP", "IN", "IE", "DE", "FR"],
        description="Countries (ISO 3166 codes), in order of preference, whose numbering plans read a number "
        "written without a country code: the first where it is a valid number says whether it is a service line "
        "(toll-free, shared-cost, universal access, premium), which is the organisation's, not a person's.",
    )
    allow_own_contact_in_replies: bool = Field(
        default=True,
        description="A reply may give the customer back their own email address or phone number (the requester's, "
        "or one the thread's customer wrote earlier). Escalations never may.",
    )
    published_tags: list[str] = Field(
        default=["twitter", "facebook", "instagram", "social", "forum", "community"],
        description="Ticket tags of channels where a reply is published to everyone (a social post, a public forum): "
        "there a reply that repeats the customer's own address or number is still flagged.",
    )

    @field_validator("kinds")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        return known_choices(value, KINDS, "kinds")

    @field_validator("phone_regions")
    @classmethod
    def _regions(cls, value: list[str]) -> list[str]:
        return known_choices([v.upper() for v in value], sorted(phonenumbers.SUPPORTED_REGIONS), "phone_regions")


class PiiInNote(Rule):
    id = "pii-in-note"
    summary = (
        "Customer personal data or a secret (email, phone, card, government id, password, API key) "
        "in an escalation or public reply."
    )
    default_severity = "error"
    needs = frozenset()
    targets = Targets(kinds=["escalation", "reply"])
    Options = PiiInNoteOptions
    options: PiiInNoteOptions
    doc = """
        ## What it does
        Finds personal data and secrets in notes that leave support (escalations to
        engineering, which land in Jira, Slack and logs) and in public replies:

        - **email** addresses that reach a person;
        - **phone** numbers: international (`+44 20 7946 0958`), `(415) 555-0132`,
          `415-555-0132`, or any number after "call", "phone", "mobile";
        - **payment card** numbers: a standalone digit group of card length, unbroken or in a
          network's grouping (4-4-4-4, 4-4-4-4-3, 4-6-5, 4-6-4), starting with a range a card
          network issues (Visa 4, Mastercard 51-55 and 2221-2720, Amex 34/37, ...), that
          passes the Luhn check;
        - **government ids**: US social security numbers, UK National Insurance numbers;
        - **passwords**: "password: hunter22", "temp pw is Xk3!...";
        - **API keys and tokens**: `sk_live_`, `ghp_`, `xoxb-`, `AKIA...`, Google `AIza...`,
          GitLab and SendGrid keys, JWTs, `Bearer ...` headers, `api_key=...`.

        The suggestion shows the redacted form to write instead.

        ## What is not personal data
        Most numbers and addresses in support text are not anyone's personal data. These are
        never flagged:

        - **Anything inside a literal.** A link, an email address, a file path
          (`/var/log/app/4111111111111111.log`, `C:\\Users\\...`), an IP address
          (`10.0.0.12:8080`) or a version (`pkg@1.2.3`, `v1.2.3`) is read as a whole; no digit run
          inside it is a card, phone or id (a web-archive timestamp in
          `web.archive.org/web/20200401225851/...` is part of the link). An address inside a link
          counts only as a parameter's value (`?email=dana@...`).
        - **References and other numbers.** A number after "order", "invoice", "ticket", "ref",
          "tracking", "version" and the like; dates and times; a digit group longer than a card
          (a 22-digit tracking number); a Luhn-valid run that no card network issues (a
          timestamp starting with a year); groupings no network prints.
        - **The organisation's own contact points.** Role mailboxes: an address whose part before
          the `@` is made only of words that name a function (`support@`, `no-reply@`,
          `reportphish@`, `customer.care@`). Service numbers: toll-free, shared-cost, universal
          access and premium-rate lines, as each country's numbering plan defines them
          (`0800 ...`, `0344 ...`, `1-888-...`; read in the first of `phone_regions` where the
          number is valid, or in its own country when it has a `+` code). A number offered as
          the organisation's own ("call us on ...", "our Leeds office on ..."), unless words for
          the customer come between ("our team called you on ..." gives the customer's number).
          And whatever the policy lists: `allow_domains`, `allow_values`.
        - **The customer's own contact data, given back in a reply.** A reply that repeats the
          requester's email address (from the ticket) or an address or number that the thread's
          customer wrote earlier tells that customer nothing new and reaches no one else. Only
          the thread's customer counts: another user's number in a shared thread is still
          flagged. A card number, government id, password or key is never given back, whoever
          wrote it first, and an escalation never repeats the customer's data.
        - **Masked values** (`d***@acme.example`, `card ending 4242`) and words about a
          password ("the password is incorrect", "Password: type your own"): a password of
          letters alone, in one case, is read as a word unless it is quoted.

        ## Where it is weak
        - **Public channels.** Repeating the customer's own address or number is still a leak
          where the reply is published to everyone (a tweet, a public forum or issue): there it
          is flagged only when the ticket has one of `published_tags`. Add your channels' tags,
          or set `allow_own_contact_in_replies: false` if every reply of yours is public.
        - **Business lines that look personal.** A company's ordinary office number given
          without "our" or "us" (a partner's or another company's geographic line, "their number
          is ...") is read as a phone number: list your own in `allow_values`.
        - **Numbers without a country code** are read by `phone_regions` (US, UK, Canada,
          Australia, Japan, India, Ireland, Germany, France by default, in that order). A
          service number of another country, written without its `+` code, is flagged; put your
          countries first.
        - **Personal addresses that look like roles.** A person whose mailbox is a role word
          (`dev@`, `info@` of a one-person shop) is not flagged; turn `allow_role_addresses`
          off if that matters to you.
        - **Recall on real text** rests on the written case tables and a handful of real
          positives: real agents almost never disclose personal data, so the real-text figures
          (docs/accuracy/pii-in-note.md) measure false alarms, not how much is found.

        ## Why it matters
        An escalation is copied into the engineering tracker, chat and search indexes that have
        far wider access than the helpdesk; a public reply goes to whoever reads the customer's
        mailbox. A card number or password there is a reportable incident; a live API key is a
        breach waiting to happen.

        ## Example
        ```text
        Customer (dana.lee@northwind.example, +1 415 555 0132) paid with 4242 4242 4242 4242.
        Their key sk_live_51HxQ2eKz8vYt3mN0pQrS fails on /v1/charges.
        ```

        ## Use instead
        ```text
        Customer d***@northwind.example (phone on the ticket) paid with card ending 4242.
        Their live key (ending 0pQrS; asked them to rotate it) fails on /v1/charges.
        ```

        ## How to fix
        Replace the value with the redacted form the suggestion shows; point to the helpdesk
        record instead of copying data. If a secret was pasted, ask the customer to rotate it.
    """

    def __init__(self, options: PiiInNoteOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        self.contact_points = ContactPoints(
            options.allow_domains, options.allow_values, options.allow_role_addresses, options.phone_regions
        )
        self.published_tags = {t.lower() for t in options.published_tags}
        # Secrets and cards first: their digits must not be read again as phone numbers.
        order = ("secret", "password", "email", "card", "government_id", "phone")
        self.kinds = [k for k in order if k in options.kinds]

    def _hits(self, kind: str, note: ParsedNote) -> Iterator[Hit]:
        if kind == "email":
            return (h for h in emails(note) if not self.contact_points.is_address(note.text[h.start : h.end]))
        if kind == "phone":
            return (
                Hit("phone", p.start, p.end, f"phone ending {p.digits[-2:]}")
                for p in phone_numbers(note)
                if not self.contact_points.is_number(note.text, p.start, p.text)
            )
        if kind in ("password", "secret"):
            return passwords(note.text) if kind == "password" else secrets(note.text)
        return cards(note) if kind == "card" else government_ids(note)

    def check(self, context: RuleContext) -> Iterator[Finding]:
        text = context.text
        if not could_hold_pii(text):
            return  # one RE2 scan says no detector can match: most notes
        own: OwnValues | None = None
        taken: list[tuple[int, int]] = []
        for kind in self.kinds:
            for hit in self._hits(kind, context.note):
                if any(hit.start < end and start < hit.end for start, end in taken):
                    continue
                if hit.kind in ("email", "phone") and self._may_repeat_own(context):
                    own = own if own is not None else own_values(context)
                    if own.has(hit.kind, text[hit.start : hit.end]):
                        continue
                taken.append((hit.start, hit.end))
                message, suggestion = _MESSAGES[hit.kind]
                yield Finding(hit.start, hit.end, message, suggestion.format(r=hit.redacted))

    def _may_repeat_own(self, context: RuleContext) -> bool:
        """A reply to the customer on a channel that does not publish it to everyone."""
        if not self.options.allow_own_contact_in_replies or context.target.kind != "reply":
            return False
        return not {t.lower() for t in context.ticket.tags} & self.published_tags


#: What each kind of finding says, and the suggestion around its redacted form.
_MESSAGES: dict[str, tuple[str, str]] = {
    "email": ("Email address in a message that leaves support.", "Write `{r}`, or point to the requester instead."),
    "phone": ("Phone number in a message that leaves support.", "Write `{r}` (the full number is on the ticket)."),
    "card": ("Payment card number (passes the Luhn check).", "Remove it and write `{r}`; never copy card numbers."),
    "government_id": ("Government id (SSN or National Insurance number).", "Remove it; write `{r}` only if needed."),
    "password": ("Password in the note.", "Remove it (write `{r}`) and ask the customer to change it."),
    "secret": ("API key or access token in the note.", "Remove it (write `{r}`); have it revoked and rotated."),
}


@hookimpl
def holdthread_rules() -> list[type[Rule]]:
    return [PiiInNote]
