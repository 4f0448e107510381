"""What values look like in a support note: codes, phone numbers, units, and numbers that are not facts.

The shapes the fact reader tells apart, kept apart from it: a code ("DL4074", "111-5014070-4118645")
is one value, not two numbers; a phone number is compared by its last nine digits; a number's unit
is the word after it ("3 days", "$13", "2 phones"), unless that word is a function word ("7 to");
a number glued to letters is part of a name ("W10", "4G"); a number that numbers a line ("1. ")
is bookkeeping. The word lists come from words.yaml.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise

from spacy.lang.en.stop_words import STOP_WORDS

from holdthread.text.fastmatch import FastPattern
from holdthread.text.lexicon import alternation, group, lexicon
from holdthread.text.wordlists import load_words

WORDS = load_words(__package__ or "")
#: OS and browser names that are also ordinary words: in lower case in a note, they are the word.
ORDINARY_WORD_NAMES = frozenset(lexicon()["ordinary_word_names"])
#: An operating system or browser named anywhere: a cheap first look before the platform scan.
SOFTWARE_NAMES = FastPattern(rf"\b{group('operating_systems', 'os_releases', 'browsers')}")
UNITS: dict[str, str] = {unit.lower(): family for family, units in WORDS["units"].items() for unit in units}

PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\d{2,4}[ .-])\d{3,4}[ .-]?\d{3,4}(?![\w-])")
#: A code: letters and digits in one token ("DL4074", "TX-88310427", "N527AS"), capitals and a
#: number ("BA 293"), digit groups joined by hyphens ("111-5014070-4118645"), "#48213", or a long
#: number ("48213"). Shorter than four letters and digits, it is a name ("4G", "P1"), not a code.
CODE = re.compile(
    r"(?<![\w@/.#-])(?:[A-Za-z]{1,6}(?:-[A-Za-z]{1,6}){0,2}-?\d[\w-]{0,30}|\d[\w-]{0,30}[A-Za-z][\w-]{0,30}"
    r"|[A-Z]{2,4} \d{2,8}|\d{3,8}(?:-\d{2,10}){1,3}|#\d{3,20}|\d{5,20})(?![\w@/-])"
)
#: A short code: a few letters and a few digits ("B44", "usb2", "sda3").
SHORT_CODE = re.compile(r"([A-Za-z]{1,4})(\d{1,3})")
#: A size: numbers joined by "x" ("1024x768", "24x14x9").
DIMENSIONS = re.compile(r"\d+(?:[xX×]\d+)+")
#: A file or device path ("/dev/sda2", "~/Desktop", "/var/log/messages"), not inside a word.
PATH = re.compile(r"(?<![\w/.:])~?/(?:[\w.+-]{1,64}/){0,12}[\w.+-]{1,64}")
#: The rest of an id after its first digit ("3A", "1187-5520", "48213").
ID_TAIL = re.compile(r"\d[\dA-Za-z-]{0,30}(?![\w@/])")
_WORD_AFTER = re.compile(r"[ \t]*[+-]?[ \t]*([A-Za-z%][\w'’/]*|%)")
_LONG_DIGITS = re.compile(r"\d{9,20}")
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)?\+?")
#: Words that start a capitalised phrase without naming a plan ("The", "Their", "Customer").
PLAN_STOP = frozenset(WORDS["not_plan_names"])
_CURRENCY = "$£€¥"


@cache
def patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    kinds = WORDS["kinds"]
    error_words = re.compile(rf"\b(?:{alternation(kinds['error'])})\W*$", re.IGNORECASE)
    plan = re.compile(
        r"(?<![\w-])((?:[A-Z][\w!&+'’-]{0,30})(?:\s+[A-Z][\w!&+'’-]{0,30}){0,2})\s+(?:"
        + alternation(kinds["plan"])
        + r")\b"
    )
    not_fact = re.compile(rf"\b(?:{alternation(WORDS['not_facts'])})[\s#.-]*$", re.IGNORECASE)
    id_words = alternation([*kinds["identifier"], *kinds["error_code"]])
    named_id = re.compile(rf"\b(?:{id_words})\s*(?:#|no\.?|number|id|code)?\s*:?\s*$", re.IGNORECASE)
    return error_words, plan, not_fact, named_id


def phone_keys(text: str) -> set[str]:
    """The last nine digits of each phone number in a text (how two phone numbers are compared:
    "+1 (215) 555-0198" and "215.555.0198" are one number)."""
    keys = {re.sub(r"\D", "", m.group())[-9:] for m in PHONE.finditer(text)}
    keys.update(m.group()[-9:] for m in _LONG_DIGITS.finditer(text))
    return {k for k in keys if len(k) == 9}


def word_pairs(text: str) -> frozenset[str]:
    """A text's words as overlapping pairs ("by the", "the each"), or its one word: what a quote
    must share with the thread to be the customer's words."""
    words = [w.lower() for w in _WORDS.findall(text)]
    if len(words) == 1:
        return frozenset(words)
    return frozenset(f"{a} {b}" for a, b in pairwise(words))


def words_and_pairs(text: str) -> frozenset[str]:
    """Every word of a text and every pair of neighbouring words (what a thread offers a quote)."""
    words = [w.lower() for w in _WORDS.findall(text)]
    return frozenset(words) | frozenset(f"{a} {b}" for a, b in pairwise(words))


def unit_of(text: str, start: int, end: int) -> tuple[str | None, int, int]:
    """What a number measures and the span with its unit: a unit family ("money", "time"...) or
    the noun it counts ("phones"), with a currency sign before or a unit word after included."""
    if text[start - 1 : start] in _CURRENCY and start > 0:
        return "money", start - 1, end
    ordinal = re.match(r"(?:st|nd|rd|th)\b", text[end : end + 3], re.IGNORECASE)
    match = _WORD_AFTER.match(text, end + (ordinal.end() if ordinal else 0), min(len(text), end + 24))
    if match is None:
        return None, start, end
    word = match.group(1).lower().rstrip("'’")
    family = UNITS.get(word) or UNITS.get(word.rstrip("s"))
    if family is None and word in STOP_WORDS:
        return None, start, end  # "7 to", "4 and": no unit
    return (family or word.rstrip("s")), start, match.start(1) + len(word)


def glued(text: str, start: int, end: int) -> bool:
    """A number that is part of a name ("W10", "4G", "h264"): a letter right before it, or a
    word right after it that is no unit and no ordinal ending."""
    if start > 0 and text[start - 1].isalpha():
        return True
    match = re.match(r"[A-Za-z]+", text[end : end + 12])
    if match is None:
        return False
    if len(match.group()) == 1 and match.group().isupper():
        return True  # "4G", "3D": a one-letter unit is written in lower case ("5g", "48h")
    word = match.group().lower()
    return word not in UNITS and word.rstrip("s") not in UNITS and word not in ("st", "nd", "rd", "th", "k", "am", "pm")


FULL_WEEKDAYS = frozenset(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
DATE_CUE = re.compile(
    r"(?:\b(?:on|by|from|since|until|till|thru|through|before|after|dated?|due|of)|[A-Za-z]{3}\.?)\s*\(?$",
    re.IGNORECASE,
)


def list_marker(text: str, start: int, end: int) -> bool:
    """A number that numbers a line ("1. ", "2) ") or is half of a pair ("1/2", "24/7"): bookkeeping
    or a ratio, not a fact of its own."""
    line_start = text.rfind("\n", 0, start) + 1
    numbered_line = not text[line_start:start].strip() and text[end : end + 1] in (".", ")")
    paired = re.match(r"/\d", text[end : end + 2]) is not None or re.search(r"\d/$", text[max(0, start - 2) : start])
    return numbered_line or bool(paired)
