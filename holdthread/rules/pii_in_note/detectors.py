"""Where personal data and secrets are in a note: one detector per kind, each yielding hits.

Numbers are read with care, since most numbers in support notes are not personal: a number after
"order", "invoice", "version" and the like is skipped, cards must pass the Luhn check, phone numbers
need a phone format or a phone word, and nothing inside a link or an email address (the parsed
note's ``link_index``) is read as a phone, card or government id: a web-archive timestamp in a
URL is part of the link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from holdthread.text import ParsedNote
from holdthread.text.fastmatch import AnyOf, FastPattern
from holdthread.text.values import EMAIL
from holdthread.text.wordlists import load_words

_WORDS = load_words(__package__ or "")
#: Words after "password:" that describe the password rather than give it ("reset", "incorrect").
_NOT_A_PASSWORD = frozenset(_WORDS["not_a_password"])
#: Mailboxes of a team or a function, not of a person ("support@", "billing@").
ROLE_ADDRESSES = frozenset(_WORDS["role_addresses"])

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
_ANY = AnyOf([EMAIL.pattern, *(p.pattern for p in (_PHONE, _CARD, _SSN, _NINO_CUED))], 0)
_ANY_CASELESS = AnyOf([_PASSWORD.pattern, _SECRET.pattern])

#: Already masked: "d***@acme.example", "card ending 4242", "sk_live_…".
_MASKED = re.compile(r"\*{2,}|x{4,}|•{2,}|…", re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    """One value found: its kind, span, and the redacted form to write instead."""

    kind: str
    start: int
    end: int
    redacted: str


def could_hold_pii(text: str) -> bool:
    """False when no detector can match (one RE2 scan answers for most notes)."""
    return _ANY.found(text) or _ANY_CASELESS.found(text)


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


def emails(note: ParsedNote, allowed_domains: set[str], allow_role_addresses: bool) -> Iterator[Hit]:
    """Email addresses, except masked ones, allowed domains and (optionally) role addresses."""
    for value in note.links:
        if value.kind != "email":
            continue
        local, domain = value.text.rsplit("@", 1)
        if _MASKED.search(local) or domain.lower() in allowed_domains:
            continue
        if allow_role_addresses and local.lower() in ROLE_ADDRESSES:
            continue
        yield Hit("email", value.start, value.end, f"{local[0]}***@{domain}")


def _in_link(note: ParsedNote, match: re.Match[str]) -> bool:
    return note.link_index.overlaps(*match.span())


def phones(note: ParsedNote) -> Iterator[Hit]:
    """Phone numbers: formatted as one, or right after a phone word ("call", "mobile")."""
    text = note.text
    for match in _PHONE.finditer(text):
        value = match.group(0)
        digits = re.sub(r"\D", "", value)
        if not 7 <= len(digits) <= 15 or _in_link(note, match):
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        if _NOT_PERSONAL.search(before):
            continue
        cue = _PHONE_CUE.search(before) is not None
        formatted = bool(
            value.startswith("+")
            or value.startswith("(")
            or re.fullmatch(r"\d{3}[\s.-]\d{3}[\s.-]\d{4}", value)
            or re.fullmatch(r"0\d{3,4}\s?\d{6}|0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}", value)
        )
        if _looks_like_date_or_time(value) or not (cue or formatted):
            continue
        yield Hit("phone", match.start(), match.end(), f"phone ending {digits[-2:]}")


def cards(note: ParsedNote) -> Iterator[Hit]:
    """Payment card numbers: 13 to 19 digits that pass the Luhn check."""
    text = note.text
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if not 13 <= len(digits) <= 19 or not _luhn(digits) or len(set(digits)) < 2 or _in_link(note, match):
            continue
        if _NOT_PERSONAL.search(text[max(0, match.start() - 40) : match.start()]):
            continue
        yield Hit("card", match.start(), match.end(), f"card ending {digits[-4:]}")


def government_ids(note: ParsedNote) -> Iterator[Hit]:
    """US social security numbers and UK National Insurance numbers."""
    text = note.text
    for match in _SSN.finditer(text):
        if _in_link(note, match) or _NOT_PERSONAL.search(text[max(0, match.start() - 40) : match.start()]):
            continue
        yield Hit("government_id", match.start(), match.end(), f"SSN ending {match.group(0)[-4:]}")
    for match in _NINO_CUED.finditer(text):
        value = match.group(0)
        cued = _GOV_CUE.search(text[max(0, match.start() - 60) : match.start()]) is not None
        # Without a cue, only a valid prefix spaced like an NI number ("AB 12 34 56 C") counts.
        if _in_link(note, match) or (not cued and not (" " in value and _NINO.fullmatch(value))):
            continue
        yield Hit("government_id", match.start(), match.end(), f"NI number ending {value.replace(' ', '')[-3:]}")


def passwords(text: str) -> Iterator[Hit]:
    """Passwords given in the note ("password: hunter22", "temp pw is Xk3!...")."""
    for match in _PASSWORD.finditer(text):
        value = match.group("value").rstrip(".!?)")
        if value.lower() in _NOT_A_PASSWORD or _MASKED.search(value) or len(value) < 4:
            continue
        word_sep = match.group("sep").lower() not in (":", "=")
        # "the password is incorrect": after "is"/"to", only a value that looks like a password counts.
        if word_sep and not match.group("quote") and not re.search(r"[\d\W_]", value):
            continue
        start = match.start("value")
        yield Hit("password", start, start + len(value), f"{match.group('label')}: [redacted]")


def secrets(text: str) -> Iterator[Hit]:
    """API keys and tokens by their known shapes, and values after "api_key=" and the like."""
    for match in _SECRET.finditer(text):
        value = match.group(0)
        if _MASKED.search(value):
            continue
        yield Hit("secret", match.start(), match.end(), _mask_secret(value))


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
