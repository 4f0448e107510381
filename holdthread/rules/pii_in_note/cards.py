"""Payment card numbers: a standalone group of card length, in card grouping, that a card network
issues and that passes the Luhn check.

Any run of 13 to 19 digits passes the Luhn check one time in ten, so "passes Luhn" alone reads
timestamps, ids and tracking numbers as cards. A card number, as people copy it, is all of:

- **standalone**: a whole digit group (a longer group, such as a 22-digit tracking number,
  holds no card), not glued to a word, a slash, a dot, a dash or a "#", and not inside a literal
  (a link, an address, a path, an IP address or a version: the parsed note's ``literal_index``);
- **in card grouping**: one unbroken run, or groups with one separator (space or dash) in the
  shapes the networks print: 4-4-4-4, 4-4-4-4-3, 4-6-5 and 4-6-4;
- **of a network's range**: Visa (4), Mastercard (51-55, 2221-2720), American Express (34, 37),
  Diners (30, 36, 38, 39), JCB (35), Discover, Maestro and UnionPay (6, 50, 56-59). A
  web-archive timestamp ("20200401225851") starts with a year, which no network issues;
- **Luhn-valid**, and not a reference by the words before it ("order 4242 ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from holdthread.rules.pii_in_note.cues import is_reference
from holdthread.rules.pii_in_note.hits import Hit
from holdthread.text import ParsedNote
from holdthread.text.fastmatch import FastPattern

#: A whole digit group of card length or more: digits with single spaces or dashes, taken to its
#: end (greedy, with nothing after it to backtrack for, so the scan is linear).
CARD = FastPattern(r"\d(?:[ -]?\d){12,}", 0)
#: A trailing group that starts an expiry date ("4111 1111 1111 1111 05/27"): not part of the card.
_EXPIRY_START = re.compile(r" \d{1,2}$")
#: How the networks print their numbers: group sizes between one kind of separator.
CARD_GROUPINGS = frozenset({(4, 4, 4, 4), (4, 4, 4, 4, 3), (4, 6, 5), (4, 6, 4)})


def luhn(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def in_card_grouping(value: str) -> bool:
    """One unbroken run, or groups of a network's sizes with one separator throughout."""
    separators = set(re.findall(r"\D", value))
    if not separators:
        return True
    if len(separators) > 1:
        return False
    groups = tuple(len(group) for group in value.split(separators.pop()))
    return groups in CARD_GROUPINGS


def issued_by_a_network(digits: str) -> bool:
    """Whether the number starts with a range a payment card network issues from."""
    first, two, four = digits[0], int(digits[:2]), int(digits[:4])
    if first in "456":
        return True
    if first == "3":
        return two in (30, 34, 35, 36, 37, 38, 39)
    return first == "2" and 2221 <= four <= 2720


def _standalone(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The group's span as a card would stand in the text, or None when it is glued to more."""
    if start and (text[start - 1].isalnum() or text[start - 1] in "_./#@+-"):
        return None
    after = text[end : end + 2]
    if after[:1] == "/" and (expiry := _EXPIRY_START.search(text, start, end)):
        return start, expiry.start()
    if after[:1].isalnum() or after[:1] in "_/@" or (after[:1] in ".-" and after[1:].isdigit()):
        return None
    return start, end


def cards(note: ParsedNote) -> Iterator[Hit]:
    """Payment card numbers (see the module doc for what makes a digit group one)."""
    text = note.text
    for match in CARD.finditer(text):
        span = _standalone(text, *match.span())
        if span is None:
            continue
        value = text[span[0] : span[1]]
        digits = re.sub(r"\D", "", value)
        if not 13 <= len(digits) <= 19 or len(set(digits)) < 2 or not in_card_grouping(value):
            continue
        if not issued_by_a_network(digits) or not luhn(digits):
            continue
        if note.literal_index.overlaps(*span) or is_reference(text, span[0]):
            continue
        yield Hit("card", span[0], span[1], f"card ending {digits[-4:]}")
