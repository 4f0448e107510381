"""pii-in-note: customer data or secrets in a note that leaves support, or in a public reply."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pydantic import Field, field_validator

from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.policy import Settings
from holdthread.linter.rule import Finding, Options, Rule, RuleContext, Targets, known_choices
from holdthread.rules._evidence import AnyOf, FastPattern

KINDS = ("email", "phone", "card", "government_id", "password", "secret")

#: Words just before a number that say it is not a phone or card number.
_NOT_PERSONAL = re.compile(
    r"(?:order|invoice|inv|ticket|case|ref|reference|tracking|shipment|parcel|po|sku|item|id|no|nr|#|version|ver|v|build|"
    r"release|txn|transaction|receipt|booking|confirmation|account\s+(?:id|no)|batch|lot|serial|request|job|run|"
    r"incident|inc|pr|issue|error|code|port|ip|zip|postcode|postal)\s*(?:number|no\.?|#|id)?\s*[:#=]?\s*$",
    re.IGNORECASE,
)
_PHONE_CUE = re.compile(
    r"(?:phone|call(?:ed|ing)?|tel|telephone|mobile|cell|ph|whatsapp|sms|text(?:ed)?|dial|reach\s+(?:him|her|them|me)\s+(?:at|on)|"
    r"contact\s+number|number\s+is|fax|callback|call\s+back)\b[^\n]{0,25}$",
    re.IGNORECASE,
)
_EMAIL = FastPattern(
    r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})(?![\w-])",
    0,
)
_PHONE = FastPattern(
    r"(?<![\w+/.:-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,6}(?:[ .-]\d{2,6}){1,4}(?![\w/:-]|\.\d)"
    r"|(?<![\w+/.:-])\+\d{8,15}(?![\w/:-])|(?<![\w/.:-])0\d{9,10}(?![\w/:-])",
    0,
)
_CARD = FastPattern(r"(?<![\w.-])(?:\d[ -]?){12,18}\d(?![\w.-])", 0)
_SSN = FastPattern(r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])", 0)
_NINO = re.compile(
    r"(?<![\w-])(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D](?![\w-])"
)
#: Any two letters when "NI number" or "national insurance" says what it is (HMRC's own examples use QQ).
_NINO_CUED = FastPattern(r"(?<![\w-])[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D](?![\w-])", 0)
_GOV_CUE = re.compile(
    r"\b(?:ssn|social\s+security|national\s+insurance|\bni\b|nino|tax\s+id|tin|passport|driver'?s?\s+licen[cs]e)\b",
    re.IGNORECASE,
)
_PASSWORD = FastPattern(
    r"\b(?P<label>pass(?:word|wd|code|phrase)?|pwd|pw|pin|login\s+code)\b\s*(?P<sep>[:=]|\bis\b|\bwas\b|\bto\b|\bset\s+to\b)\s*"
    r"(?P<quote>[\"'`“]?)(?P<value>[^\s\"'`”,;]{4,64})",
    re.IGNORECASE,
)
_NOT_A_PASSWORD = frozenset({
    "reset", "resets", "expired", "incorrect", "wrong", "invalid", "correct", "required", "changed", "updated", "sent",
    "manager", "protected", "field", "policy", "rules", "link", "email", "page", "screen", "prompt", "hidden", "blank",
    "empty", "redacted", "removed", "same", "not", "being", "still", "also", "working", "accepted", "rejected", "saved",
    "stored", "unknown", "none", "null", "<redacted>", "[redacted]", "****", "********", "the", "their", "his", "her",
    "your", "our", "a", "an", "too", "case", "strength", "length", "complexity", "requirements", "change", "expire",
    "expiring", "locked", "temporary", "reused", "weak", "strong", "fine", "okay", "valid", "enabled", "disabled",
})
_SECRET = FastPattern(
    r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}"
    r"|\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{30,}"
    r"|\bxox[abposr]-[A-Za-z0-9-]{10,}"
    r"|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"
    r"|\bAIza[0-9A-Za-z_-]{35}"
    r"|\bglpat-[A-Za-z0-9_-]{20,}"
    r"|\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}"
    r"|\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
    r"|\bBearer\s+[A-Za-z0-9._~+/-]{20,}=*"
    r"|\b(?:api[_\s-]?key|apikey|secret|client[_\s-]?secret|access[_\s-]?token|auth[_\s-]?token|token)\s*[:=]\s*[\"']?[A-Za-z0-9._~+/-]{16,}",
    re.IGNORECASE,
)
#: Every detector's pattern at once, for the common case where none can match.
_ANY = AnyOf([p.pattern for p in (_EMAIL, _PHONE, _CARD, _SSN, _NINO_CUED)], 0)
_ANY_CASELESS = AnyOf([_PASSWORD.pattern, _SECRET.pattern])

#: Already masked: "d***@acme.example", "card ending 4242", "sk_live_…".
_MASKED = re.compile(r"\*{2,}|x{4,}|•{2,}|…", re.IGNORECASE)
_ROLE_ADDRESSES = frozenset({
    "support", "help", "helpdesk", "billing", "noreply", "no-reply", "donotreply", "security", "privacy", "sales",
    "info", "hello", "team", "abuse", "admin", "accounts", "payments", "feedback", "careers", "legal", "press",
})


@dataclass(frozen=True)
class _Hit:
    kind: str
    start: int
    end: int
    redacted: str


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask_email(local: str, domain: str) -> str:
    return f"{local[0]}***@{domain}"


class PiiInNoteOptions(Options):
    kinds: list[str] = Field(default=list(KINDS), description="What to look for: " + ", ".join(KINDS) + ".")
    allow_domains: list[str] = Field(
        default=[],
        description=(
            "Email domains that are not personal data here (your own company's, e.g. `acme.example`)."
        ),
    )
    allow_values: list[str] = Field(
        default=[],
        description="Values that are never personal data here, e.g. your own support line `+44 20 7946 0000` (phone "
        "numbers compare by their last 9 digits) or `help@acme.example`.",
    )
    allow_role_addresses: bool = Field(
        default=True,
        description=(
            "Accept role addresses such as support@, billing@, noreply@ of any domain."
        ),
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
        detectors: dict[str, Callable[[str], Iterator[_Hit]]] = {
            "secret": self._secrets, "password": self._passwords, "email": self._emails,
            "card": self._cards, "government_id": self._government_ids, "phone": self._phones,
        }
        # Secrets and cards first: their digits must not be read again as phone numbers.
        order = ("secret", "password", "email", "card", "government_id", "phone")
        self.detectors = [detectors[k] for k in order if k in options.kinds]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        text = context.text
        if not (_ANY.found(text) or _ANY_CASELESS.found(text)):
            return  # one RE2 scan says no detector can match: most notes
        taken: list[tuple[int, int]] = []
        for detector in self.detectors:
            for hit in detector(text):
                if any(hit.start < end and start < hit.end for start, end in taken):
                    continue
                if self._allowed(hit, text[hit.start:hit.end]):
                    continue
                taken.append((hit.start, hit.end))
                message, suggestion = _MESSAGES[hit.kind]
                yield Finding(hit.start, hit.end, message, suggestion.format(r=hit.redacted))

    def _allowed(self, hit: _Hit, value: str) -> bool:
        if value.lower() in self.allowed:
            return True
        return hit.kind == "phone" and re.sub(r"\D", "", value)[-9:] in self.allowed

    def _emails(self, text: str) -> Iterator[_Hit]:
        for match in _EMAIL.finditer(text):
            local, domain = match.group(1), match.group(2)
            if _MASKED.search(local) or domain.lower() in self.allowed_domains:
                continue
            if self.options.allow_role_addresses and local.lower() in _ROLE_ADDRESSES:
                continue
            yield _Hit("email", match.start(), match.end(), _mask_email(local, domain))

    def _phones(self, text: str) -> Iterator[_Hit]:
        for match in _PHONE.finditer(text):
            value = match.group(0)
            digits = re.sub(r"\D", "", value)
            if not 7 <= len(digits) <= 15:
                continue
            before = text[max(0, match.start() - 40):match.start()]
            if _NOT_PERSONAL.search(before):
                continue
            cue = _PHONE_CUE.search(before) is not None
            formatted = bool(
                value.startswith("+") or value.startswith("(")
                or re.fullmatch(r"\d{3}[\s.-]\d{3}[\s.-]\d{4}", value)
                or re.fullmatch(r"0\d{3,4}\s?\d{6}|0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}", value)
            )
            if _looks_like_date_or_time(value) or not (cue or formatted):
                continue
            yield _Hit("phone", match.start(), match.end(), f"phone ending {digits[-2:]}")

    def _cards(self, text: str) -> Iterator[_Hit]:
        for match in _CARD.finditer(text):
            digits = re.sub(r"\D", "", match.group(0))
            if not 13 <= len(digits) <= 19 or not _luhn(digits) or len(set(digits)) < 2:
                continue
            if _NOT_PERSONAL.search(text[max(0, match.start() - 40):match.start()]):
                continue
            yield _Hit("card", match.start(), match.end(), f"card ending {digits[-4:]}")

    def _government_ids(self, text: str) -> Iterator[_Hit]:
        for match in _SSN.finditer(text):
            if _NOT_PERSONAL.search(text[max(0, match.start() - 40):match.start()]):
                continue
            yield _Hit("government_id", match.start(), match.end(), f"SSN ending {match.group(0)[-4:]}")
        for match in _NINO_CUED.finditer(text):
            value = match.group(0)
            cued = _GOV_CUE.search(text[max(0, match.start() - 60):match.start()]) is not None
            # Without a cue, only a valid prefix spaced like an NI number ("AB 12 34 56 C") counts.
            if not cued and not (" " in value and _NINO.fullmatch(value)):
                continue
            yield _Hit("government_id", match.start(), match.end(), f"NI number ending {value.replace(' ', '')[-3:]}")

    def _passwords(self, text: str) -> Iterator[_Hit]:
        for match in _PASSWORD.finditer(text):
            value = match.group("value").rstrip(".!?)")
            if value.lower() in _NOT_A_PASSWORD or _MASKED.search(value) or len(value) < 4:
                continue
            word_sep = match.group("sep").lower() not in (":", "=")
            # "the password is incorrect": after "is"/"to", only a value that looks like a password counts.
            if word_sep and not match.group("quote") and not re.search(r"[\d\W_]", value):
                continue
            start = match.start("value")
            yield _Hit("password", start, start + len(value), f"{match.group('label')}: [redacted]")

    def _secrets(self, text: str) -> Iterator[_Hit]:
        for match in _SECRET.finditer(text):
            value = match.group(0)
            if _MASKED.search(value):
                continue
            yield _Hit("secret", match.start(), match.end(), _mask_secret(value))


_SECRET_PREFIX = re.compile(
    r"(?:Bearer\s+|[A-Za-z_\s-]{1,40}[:=]\s*[\"']?|(?:sk|rk|pk)_(?:live|test)_|gh\w_|github_pat_|xox\w-"
    r"|AKIA|ASIA|AIza|glpat-|SG\.|eyJ)",
    re.IGNORECASE,
)
_DATE_OR_TIME = re.compile(
    r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{1,2}[.:]\d{2}(?:[.:]\d{2})?"
)


def _mask_secret(value: str) -> str:
    head = _SECRET_PREFIX.match(value)
    prefix = head.group(0) if head else ""
    return f"{prefix}…{value[-4:]}"


def _looks_like_date_or_time(value: str) -> bool:
    return _DATE_OR_TIME.fullmatch(value.strip()) is not None


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
