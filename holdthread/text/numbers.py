"""Numbers as people write them, each read as the values it can mean.

"7.500" and "7,500" are both seven thousand five hundred when a group of three digits follows
the separator (and seven and a half as a decimal); "3,298.00" is 3298; "20k" is twenty thousand;
"thirteen", "ninety-seven" and "the eighth" are 13, 97 and 8; "11.1.1" is a version, not a
number. A number is read wherever its digits are, even glued to letters ("Ksh3,298.00", "210e",
"iPhone7", "8th"), because people write them that way. Two texts agree on a number when their
readings share a value, so a formatting difference is never a different number.

Values are canonical strings (``Decimal`` normalised: "13.0" and "13" are "13"; a version keeps
its dots), which makes them cheap to put in sets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from holdthread.text.lexicon import lexicon

#: Digits with thousands or decimal separators, and an optional "k" for thousands ("20k").
_DIGITS = re.compile(r"\d{1,40}(?:[.,]\d{1,40}){0,6}(?:[kK](?![A-Za-z]))?")
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class NumberMention:
    """A number in a text: where it is, how it was written, and the values it can mean."""

    start: int
    end: int
    text: str
    values: frozenset[str]
    #: Written in words ("thirteen", "eighth") rather than digits.
    in_words: bool = False
    #: Written as an ordinal ("8th", "eighth").
    ordinal: bool = False


def canonical(value: Decimal) -> str:
    """One string per number: no exponent, no trailing zeros ("13.0" -> "13")."""
    normal = value.normalize()
    text = format(normal, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _decimal(text: str) -> str | None:
    if text.isdigit():
        return str(int(text))  # the common case, without Decimal's cost
    try:
        return canonical(Decimal(text))
    except InvalidOperation:
        return None


def digit_values(text: str) -> frozenset[str]:
    """The values a run of digits and separators can mean.

    One separator before exactly three digits is a thousands separator or a decimal point
    ("7.500", "7,500"); repeated separators of one kind are thousands ("1,234,567") unless they
    are dots between short groups, which make a version ("11.1.1"); both kinds make the last one
    the decimal point ("3,298.00", "7.500,50").
    """
    thousand = text[-1] in "kK"
    body = text[:-1] if thousand else text
    dots, commas = body.count("."), body.count(",")
    values: set[str] = set()
    if dots and commas:
        last = max(body.rfind("."), body.rfind(","))
        whole = re.sub(r"[.,]", "", body[:last])
        candidate = _decimal(f"{whole}.{body[last + 1 :]}")
        values.update([candidate] if candidate else [])
    elif dots + commas == 0:
        values.update(filter(None, [_decimal(body)]))
    elif dots + commas == 1:
        head, tail = re.split(r"[.,]", body)
        values.update(filter(None, [_decimal(f"{head}.{tail}")]))
        if len(tail) == 3:
            values.update(filter(None, [_decimal(head + tail)]))
    else:
        groups = re.split(r"[.,]", body)
        if all(len(g) == 3 for g in groups[1:]):
            values.update(filter(None, [_decimal("".join(groups))]))
        if dots:
            values.add(".".join(str(int(g)) for g in groups))  # a version: "11.1.1"
    if thousand:
        values = {canonical(Decimal(v) * 1000) for v in values if "." not in v or v.count(".") == 1}
    return frozenset(values)


def is_version(value: str) -> bool:
    """Whether a value is a version with two or more dots ("11.1.1")."""
    return value.count(".") >= 2


def prefixes(value: str) -> frozenset[str]:
    """The less precise forms of a dotted value: "11.1.1" -> {"11.1", "11"}; "3.5" -> {"3"}.

    A note that says "iOS 11" where the customer wrote "iOS 11.1" is less precise, not wrong.
    """
    parts = value.split(".")
    return frozenset(".".join(parts[:n]) for n in range(1, len(parts)))


@cache
def _word_tables() -> tuple[dict[str, int], dict[str, int], dict[str, int], dict[str, int], dict[str, int]]:
    words = lexicon()["number_words"]
    return (words["cardinals"], words["tens"], words["ordinals"], words["scales"], words["others"])


def _word_value(word: str) -> tuple[str, int] | None:
    """("unit" | "tens" | "ordinal" | "scale" | "other", value) of one number word, if it is one."""
    cardinals, tens, ordinals, scales, others = _word_tables()
    for kind, table in (("unit", cardinals), ("tens", tens), ("ordinal", ordinals), ("scale", scales)):
        if word in table:
            return kind, table[word]
    if word in others:
        return "other", others[word]
    return None


@cache
def _word_run() -> re.Pattern[str]:
    """Runs of number words ("ninety-seven", "two hundred and five"): found by one regex, so
    that only those words are parsed one by one."""
    tables = _word_tables()
    names = sorted({word for table in tables for word in table}, key=len, reverse=True)
    word = "(?:" + "|".join(names) + ")"
    return re.compile(rf"\b{word}(?:(?:[ -]|\s+and\s+){word})*\b")  # matched on the lower-cased text


def _number_words(text: str) -> list[NumberMention]:
    """Numbers written in words: "two", "ninety-seven", "two hundred", "twenty-first", "eighth"."""
    found: list[NumberMention] = []
    lower = text.lower()
    for run in _word_run().finditer(lower):
        found += _parse_words(text, lower, list(_WORD.finditer(lower, run.start(), run.end())))
    return found


def _parse_words(text: str, lower: str, words: list[re.Match[str]]) -> list[NumberMention]:
    """The numbers of a run of number words, combined as they are read ("twenty-first" is 21)."""
    found: list[NumberMention] = []
    index = 0
    while index < len(words):
        first = _word_value(words[index].group())
        if first is None or first[0] == "scale":
            index += 1
            continue
        kind, total = first
        start, end, ordinal = words[index].start(), words[index].end(), kind == "ordinal"
        current = total
        total = 0
        nxt = index + 1
        while kind not in ("ordinal", "other") and nxt < len(words):
            if words[nxt].group() == "and" and total and nxt + 1 < len(words):
                nxt += 1  # "two hundred and five"
            gap = lower[end : words[nxt].start()]
            if gap not in (" ", "-") and gap.strip(" -") != "and":
                break
            part = _word_value(words[nxt].group())
            if part is None or part[0] == "other":
                break
            if part[0] == "scale":
                current *= part[1]
                total, current = total + current, 0
            elif kind == "tens" and part[0] in ("unit", "ordinal") and part[1] < 10:
                current += part[1]
            elif part[0] in ("unit", "tens", "ordinal") and total and current == 0:
                current = part[1]
            else:
                break
            kind, end, ordinal = part[0], words[nxt].end(), part[0] == "ordinal"
            nxt += 1
        value = total + current
        found.append(NumberMention(start, end, text[start:end], frozenset({str(value)}), True, ordinal))
        index = nxt
    return found


def find_numbers(text: str) -> list[NumberMention]:
    """Every number of ``text``, in digits or in words, in text order."""
    found = []
    for match in _DIGITS.finditer(text):
        after = text[match.end() : match.end() + 2].lower()
        ordinal = after in ("st", "nd", "rd", "th")
        found.append(
            NumberMention(match.start(), match.end(), match.group(), digit_values(match.group()), False, ordinal)
        )
    found += _number_words(text)
    found.sort(key=lambda n: n.start)
    return found


@cache
def _scales() -> dict[str, tuple[str, Decimal]]:
    """Each unit word with its family and its size in the family's base unit."""
    return {
        unit.lower(): (family, Decimal(str(size)))
        for family, units in lexicon()["unit_scales"].items()
        for unit, size in units.items()
    }


def same_measure(values: frozenset[str], unit: str) -> frozenset[str]:
    """The values in every other unit of the same measure: 44.1 with "kHz" is also 44100 (Hz) and
    0.0441 (MHz); 48 with "hours" is also 2 (days). Empty for a unit without a scale."""
    scales = _scales()
    scaled = scales.get(unit.lower())
    if scaled is None:
        return frozenset()
    family, size = scaled
    found = set()
    for value in values:
        if is_version(value):
            continue
        base = Decimal(value) * size
        for other_family, other_size in scales.values():
            if other_family == family:
                found.add(canonical(base / other_size))
    return frozenset(found)
