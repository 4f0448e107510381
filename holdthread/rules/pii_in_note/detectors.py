"""Where personal data and secrets are in a note: emails, government ids, passwords and keys.

Cards and phones have modules of their own (:mod:`~holdthread.rules.pii_in_note.cards`,
:mod:`~holdthread.rules.pii_in_note.phones`). Nothing inside a literal (a link, a path, an IP
address, a package version: the parsed note's ``literal_index``) is read as a government id, and
an address is read only where the parsed note found one (``pkg@1.2.3`` is a package, not an
address).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from holdthread.rules.pii_in_note.cards import CARD
from holdthread.rules.pii_in_note.cues import GOV_CUE, before, is_reference
from holdthread.rules.pii_in_note.hits import Hit
from holdthread.rules.pii_in_note.phones import PHONE
from holdthread.text import ParsedNote
from holdthread.text.fastmatch import AnyOf, FastPattern
from holdthread.text.values import EMAIL
from holdthread.text.wordlists import load_words

_WORDS = load_words(__package__ or "")
#: Words after "password:" that describe the password rather than give it ("reset", "incorrect").
_NOT_A_PASSWORD = frozenset(_WORDS["not_a_password"])

_SSN = FastPattern(r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])", 0)
_NINO = re.compile(
    r"(?<![\w-])(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D](?![\w-])"
)
#: Any two letters when "NI number" or "national insurance" says what it is (HMRC's own examples use QQ).
_NINO_CUED = FastPattern(r"(?<![\w-])[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D](?![\w-])", 0)
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
_ANY = AnyOf([EMAIL.pattern, *(p.pattern for p in (PHONE, CARD, _SSN, _NINO_CUED))], 0)
_ANY_CASELESS = AnyOf([_PASSWORD.pattern, _SECRET.pattern])

#: What a word lacks and a password has: a digit, a symbol, or a capital after the first letter.
_LOOKS_LIKE_A_PASSWORD = re.compile(r"[\d\W_]|.[A-Z]")
#: Already masked: "d***@acme.example", "card ending 4242", "sk_live_…".
_MASKED = re.compile(r"\*{2,}|x{4,}|•{2,}|…", re.IGNORECASE)
_SECRET_PREFIX = re.compile(
    r"(?:Bearer\s+|[A-Za-z_\s-]{1,40}[:=]\s*[\"']?|(?:sk|rk|pk)_(?:live|test)_|gh\w_|github_pat_|xox\w-"
    r"|AKIA|ASIA|AIza|glpat-|SG\.|eyJ)",
    re.IGNORECASE,
)


def could_hold_pii(text: str) -> bool:
    """False when no detector can match (one RE2 scan answers for most notes)."""
    return _ANY.found(text) or _ANY_CASELESS.found(text)


def emails(note: ParsedNote) -> Iterator[Hit]:
    """Email addresses as the parsed note reads them, except masked ones ("d***@acme.example")."""
    for value in note.literals:
        if value.kind != "email":
            continue
        local, domain = value.text.rsplit("@", 1)
        if not _MASKED.search(local):
            yield Hit("email", value.start, value.end, f"{local[0]}***@{domain}")


def government_ids(note: ParsedNote) -> Iterator[Hit]:
    """US social security numbers and UK National Insurance numbers."""
    text = note.text
    for match in _SSN.finditer(text):
        if note.literal_index.overlaps(*match.span()) or is_reference(text, match.start()):
            continue
        yield Hit("government_id", match.start(), match.end(), f"SSN ending {match.group(0)[-4:]}")
    for match in _NINO_CUED.finditer(text):
        value = match.group(0)
        cued = GOV_CUE.search(before(text, match.start(), 60)) is not None
        # Without a cue, only a valid prefix spaced like an NI number ("AB 12 34 56 C") counts.
        if note.literal_index.overlaps(*match.span()) or (not cued and not (" " in value and _NINO.fullmatch(value))):
            continue
        yield Hit("government_id", match.start(), match.end(), f"NI number ending {value.replace(' ', '')[-3:]}")


def passwords(text: str) -> Iterator[Hit]:
    """Passwords given in the note ("password: hunter22", "temp pw is Xk3!...")."""
    for match in _PASSWORD.finditer(text):
        value = match.group("value").rstrip(".!?)")
        if value.lower() in _NOT_A_PASSWORD or _MASKED.search(value) or len(value) < 4:
            continue
        # "the password is incorrect", "Password: type your own", "password=foobar": a value of
        # letters alone in one case is a word or a placeholder, unless it is quoted.
        if not match.group("quote") and not _LOOKS_LIKE_A_PASSWORD.search(value):
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


def _mask_secret(value: str) -> str:
    head = _SECRET_PREFIX.match(value)
    prefix = head.group(0) if head else ""
    return f"{prefix}…{value[-4:]}"
