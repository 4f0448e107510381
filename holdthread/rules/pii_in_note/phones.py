"""Phone numbers: formatted as one, or right after a phone word ("call", "mobile").

A phone-shaped number is a personal number only when nothing says otherwise: it is not inside a
literal (a link, an address, a path, an IP address or a version), not a reference by the words
before it ("order 415-555-0132"), not a date or a time. Whether it is the organisation's own
line (a service number, a listed company number, a number offered as "ours") is decided in
:mod:`holdthread.rules.pii_in_note.contact_points`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from holdthread.rules.pii_in_note.cues import PHONE_CUE, before, is_reference
from holdthread.text import ParsedNote
from holdthread.text.fastmatch import FastPattern

PHONE = FastPattern(
    r"(?<![\w+/.:@-])(?:\+\d{1,3}[ .-]?|1[ .-])?(?:\(\d{1,4}\)[ .-]?)?\d{2,6}(?:[ .-]\d{2,6}){1,4}(?![\w/:-]|\.\d)"
    r"|(?<![\w+/.:@-])\+\d{8,15}(?![\w/:-])|(?<![\w/.:@-])0\d{9,10}(?![\w/:-])",
    0,
)
#: The shapes a phone number is written in without a phone word before it.
_FORMATTED = re.compile(
    r"[+(].*|(?:1[ .-])?\d{3}[\s.-]\d{3}[\s.-]\d{4}|0\d{3,4}\s?\d{6}|0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}", re.DOTALL
)
_DATE_OR_TIME = re.compile(
    r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{1,2}[.:]\d{2}(?:[.:]\d{2})?"
)


@dataclass(frozen=True)
class PhoneNumber:
    """A phone number written in a note: where, as written, and its digits."""

    start: int
    end: int
    text: str
    digits: str


def digits_key(value: str) -> str:
    """The last nine digits: how two writings of one number compare ("+44 20 ..." and "020 ...")."""
    return re.sub(r"\D", "", value)[-9:]


def phone_numbers(note: ParsedNote, *, need_cue: bool = True) -> Iterator[PhoneNumber]:
    """Phone numbers of ``note``: formatted as one or after a phone word (with ``need_cue``;
    without it, every phone-shaped number, as when reading what a customer gave)."""
    text = note.text
    for match in PHONE.finditer(text):
        value = match.group(0)
        digits = re.sub(r"\D", "", value)
        if not 7 <= len(digits) <= 15:
            continue
        if need_cue and not (_FORMATTED.fullmatch(value) or PHONE_CUE.search(before(text, match.start()))):
            continue
        if note.literal_index.overlaps(*match.span()) or _DATE_OR_TIME.fullmatch(value.strip()):
            continue
        if is_reference(text, match.start()):
            continue
        yield PhoneNumber(match.start(), match.end(), value, digits)
