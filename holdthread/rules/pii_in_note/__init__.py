"""pii-in-note: customer data or secrets in a note that leaves support, or in a public reply."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field, field_validator

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets, known_choices
from holdthread.rules.pii_in_note.detectors import (
    Hit,
    cards,
    could_hold_pii,
    emails,
    government_ids,
    passwords,
    phones,
    secrets,
)
from holdthread.text import ParsedNote

KINDS = ("email", "phone", "card", "government_id", "password", "secret")


class PiiInNoteOptions(Options):
    kinds: list[str] = Field(default=list(KINDS), description="What to look for: " + ", ".join(KINDS) + ".")
    allow_domains: list[str] = Field(
        default=[],
        description=("Email domains that are not personal data here (your own company's, e.g. `acme.example`)."),
    )
    allow_values: list[str] = Field(
        default=[],
        description="Values that are never personal data here, e.g. your own support line `+44 20 7946 0000` (phone "
        "numbers compare by their last 9 digits) or `help@acme.example`.",
    )
    allow_role_addresses: bool = Field(
        default=True,
        description=("Accept role addresses such as support@, billing@, noreply@ of any domain."),
    )

    @field_validator("kinds")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        return known_choices(value, KINDS, "kinds")


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
        self.allowed_domains = {d.lower().lstrip("@") for d in options.allow_domains}
        self.allowed = {v.strip().lower() for v in options.allow_values} | {
            re.sub(r"\D", "", v)[-9:] for v in options.allow_values if sum(c.isdigit() for c in v) >= 7
        }
        # Secrets and cards first: their digits must not be read again as phone numbers.
        order = ("secret", "password", "email", "card", "government_id", "phone")
        self.kinds = [k for k in order if k in options.kinds]

    def _hits(self, kind: str, note: ParsedNote) -> Iterator[Hit]:
        if kind == "email":
            return emails(note, self.allowed_domains, self.options.allow_role_addresses)
        if kind in ("password", "secret"):
            return passwords(note.text) if kind == "password" else secrets(note.text)
        detector = {"card": cards, "government_id": government_ids, "phone": phones}[kind]
        return detector(note)

    def check(self, context: RuleContext) -> Iterator[Finding]:
        text = context.text
        if not could_hold_pii(text):
            return  # one RE2 scan says no detector can match: most notes
        taken: list[tuple[int, int]] = []
        for kind in self.kinds:
            for hit in self._hits(kind, context.note):
                if any(hit.start < end and start < hit.end for start, end in taken):
                    continue
                if self._allowed(hit, text[hit.start : hit.end]):
                    continue
                taken.append((hit.start, hit.end))
                message, suggestion = _MESSAGES[hit.kind]
                yield Finding(hit.start, hit.end, message, suggestion.format(r=hit.redacted))

    def _allowed(self, hit: Hit, value: str) -> bool:
        if value.lower() in self.allowed:
            return True
        return hit.kind == "phone" and re.sub(r"\D", "", value)[-9:] in self.allowed


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
