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

        - **email** addresses (role addresses such as `support@` and the policy's
          `allow_domains` are fine);
        - **phone** numbers: international (`+44 20 7946 0958`), `(415) 555-0132`,
          `415-555-0132`, or any number after "call", "phone", "mobile";
        - **payment card** numbers (13 to 19 digits that pass the Luhn check);
        - **government ids**: US social security numbers, UK National Insurance numbers;
        - **passwords**: "password: hunter22", "temp pw is Xk3!...";
        - **API keys and tokens**: `sk_live_`, `ghp_`, `xoxb-`, `AKIA...`, Google `AIza...`,
          GitLab and SendGrid keys, JWTs, `Bearer ...` headers, `api_key=...`.

        Order, invoice, ticket, tracking and version numbers, timestamps and dates are not
        flagged: a number after "order", "invoice", "ticket", "ref", "version" and the like is
        skipped, cards must pass Luhn, and phone numbers need a phone format or a phone word.
        Masked values (`d***@acme.example`, `card ending 4242`) are fine. The suggestion shows
        the redacted form to write instead.

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
