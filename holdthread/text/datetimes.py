"""Dates and times as people write them, each read as the calendar days or clock times it can mean.

"Nov 3", "3 November", "2026-11-03" and "11/03" are one day; "10pm", "22:00" and "22.00" are one
time; "today", "tomorrow" and "Friday" are days once you know when the message was written. Each
mention carries every reading it allows (a time without am/pm is either half of the day; "11/03"
is the 3rd of November or the 11th of March), and two texts agree on a date or a time when their
readings share one, so a formatting difference is never another date.

Days are ``(month, day)`` pairs: a year is rarely written, and a note that leaves it out is not
wrong. Times are minutes after midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from holdthread.text.lexicon import MONTH_WORD, words

Day = tuple[int, int]

_MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}
_WEEKDAYS = {name: index for index, name in enumerate(words("weekdays"))}
_WEEKDAY_SHORT = {
    short: _WEEKDAYS[full] for full in _WEEKDAYS for short in words("weekday_abbreviations") if full.startswith(short)
}
_ORDINAL = r"(?:st|nd|rd|th)?"

#: "22:12", "10:04:33", "7pm", "7 p.m.", "11:30am"; with ``loose``, also "22.12" and "1130am".
#: "pm", "p.m." (a period after "pm" ends the sentence, not the abbreviation).
_MERIDIEM = r"\s?([ap])(?:\.m\.|m\b)"
_CLOCK = re.compile(rf"(?<![\d.:])(\d{{1,2}}):(\d{{2}})(?::\d{{2}})?(?!\d)(?:{_MERIDIEM})?", re.IGNORECASE)
_HOUR_MERIDIEM = re.compile(rf"(?<![\d.:])(\d{{1,2}}){_MERIDIEM}", re.IGNORECASE)
_DOTTED = re.compile(rf"(?<![\d.:])(\d{{1,2}})\.(\d{{2}})(?!\.?\d)(?:{_MERIDIEM})?", re.IGNORECASE)
_RUN_MERIDIEM = re.compile(r"(?<!\d)(\d{1,2})(\d{2})\s?([ap])\.?m\b", re.IGNORECASE)
_NAMED_TIME = re.compile(r"(?<![A-Za-z])(noon|midday|midnight)\b", re.IGNORECASE)

_MONTH_DAY = re.compile(rf"\b({MONTH_WORD})\.?\s+(\d{{1,2}}){_ORDINAL}\b(?:,?\s+(\d{{4}}))?", re.IGNORECASE)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?({MONTH_WORD})\b\.?(?:,?\s+(\d{{4}}))?", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_SLASHED = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?(?![\d/])")
_WEEKDAY = re.compile(
    r"\b(" + "|".join(sorted([*_WEEKDAYS, *_WEEKDAY_SHORT], key=len, reverse=True)) + r")s?\b", re.IGNORECASE
)
_WEEKDAY_STEMS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DIGIT = re.compile(r"\d")
_RELATIVE = re.compile(
    r"\b(today|tonight|this\s+(?:morning|afternoon|evening)|yesterday|last\s+night|tomorrow|tmrw|tmr)\b", re.IGNORECASE
)
_RELATIVE_OFFSET = {
    "today": 0,
    "tonight": 0,
    "this": 0,
    "yesterday": -1,
    "last": -1,
    "tomorrow": 1,
    "tmrw": 1,
    "tmr": 1,
}


@dataclass(frozen=True)
class TimeMention:
    start: int
    end: int
    text: str
    #: Minutes after midnight this time can mean.
    minutes: frozenset[int]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    #: ``(month, day)`` pairs this date can mean.
    days: frozenset[Day]
    year: int | None = None


@dataclass(frozen=True)
class WeekdayMention:
    start: int
    end: int
    text: str
    #: 0 for Monday ... 6 for Sunday.
    weekday: int


def _clock(hour: int, minute: int, meridiem: str | None) -> frozenset[int]:
    if hour > 24 or minute > 59:
        return frozenset()
    if meridiem:
        if not 1 <= hour <= 12:
            return frozenset()
        hour = hour % 12 + (12 if meridiem.lower() == "p" else 0)
        return frozenset({hour * 60 + minute})
    if 1 <= hour <= 12:
        return frozenset({(hour % 12) * 60 + minute, (hour % 12 + 12) * 60 + minute})
    return frozenset({hour % 24 * 60 + minute})


def find_times(text: str, *, loose: bool = False) -> list[TimeMention]:
    """Clock times in ``text``. ``loose`` also reads "22.12" and "1130am" (as customers type them);
    in a note, where "2.10" is more often a version or an amount, leave it off."""
    found: list[TimeMention] = []
    taken = bytearray(len(text))  # one flag per character: already part of a time (linear, however many)

    def add(start: int, end: int, minutes: frozenset[int]) -> None:
        if minutes and not any(taken[start:end]):
            taken[start:end] = b"\x01" * (end - start)
            found.append(TimeMention(start, end, text[start:end], minutes))

    # Each pattern runs only where the characters it needs are present (the scans are the cost).
    lower = text.lower()
    digits = _DIGIT.search(text) is not None
    meridiem = digits and "m" in lower
    for m in _CLOCK.finditer(text) if digits and ":" in text else ():
        add(m.start(), m.end(), _clock(int(m.group(1)), int(m.group(2)), m.group(3)))
    for m in _HOUR_MERIDIEM.finditer(text) if meridiem else ():
        add(m.start(), m.end(), _clock(int(m.group(1)), 0, m.group(2)))
    for m in _NAMED_TIME.finditer(text) if "noon" in lower or "mid" in lower else ():
        add(m.start(), m.end(), frozenset({0 if m.group(1).lower() == "midnight" else 12 * 60}))
    if loose:
        for m in _DOTTED.finditer(text) if digits and "." in text else ():
            add(m.start(), m.end(), _clock(int(m.group(1)), int(m.group(2)), m.group(3)))
        for m in _RUN_MERIDIEM.finditer(text) if meridiem else ():
            add(m.start(), m.end(), _clock(int(m.group(1)), int(m.group(2)), m.group(3)))
    found.sort(key=lambda t: t.start)
    return found


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def find_dates(text: str) -> list[DateMention]:
    """Calendar dates in ``text``: "Nov 3", "3rd of November", "2026-11-03", "11/03", "11/3/17"."""
    found: list[DateMention] = []
    if _DIGIT.search(text) is None:
        return found  # every date has a digit
    lower = text.lower()
    named = any(stem in lower for stem in _MONTHS)  # a month by name: "Nov 3", "3 November"
    for m in _MONTH_DAY.finditer(text) if named else ():
        month, day = _MONTHS[m.group(1)[:3].lower()], int(m.group(2))
        if _valid(month, day):
            found.append(DateMention(m.start(), m.end(), m.group(), frozenset({(month, day)}), _year(m.group(3))))
    for m in _DAY_MONTH.finditer(text) if named else ():
        day, month = int(m.group(1)), _MONTHS[m.group(2)[:3].lower()]
        if _valid(month, day):
            found.append(DateMention(m.start(), m.end(), m.group(), frozenset({(month, day)}), _year(m.group(3))))
    for m in _ISO.finditer(text) if "-" in text else ():
        month, day = int(m.group(2)), int(m.group(3))
        if _valid(month, day):
            found.append(DateMention(m.start(), m.end(), m.group(), frozenset({(month, day)}), int(m.group(1))))
    for m in _SLASHED.finditer(text) if "/" in text else ():
        first, second = int(m.group(1)), int(m.group(2))
        days = {pair for pair in ((first, second), (second, first)) if _valid(*pair)}
        if days:
            found.append(DateMention(m.start(), m.end(), m.group(), frozenset(days), _year(m.group(3))))
    found.sort(key=lambda d: d.start)
    return found


def find_weekdays(text: str, *, abbreviations: bool = True) -> list[WeekdayMention]:
    """Weekdays named in ``text`` ("Friday", "Mondays", and "Fri" unless ``abbreviations`` is off:
    "Sat" and "Sun" are also words)."""
    found: list[WeekdayMention] = []
    lower = text.lower()
    if not any(stem in lower for stem in _WEEKDAY_STEMS):
        return found  # every weekday, short or long, starts with one of these
    for m in _WEEKDAY.finditer(text):
        name = m.group(1).lower()
        if not abbreviations and name not in _WEEKDAYS:
            continue
        found.append(WeekdayMention(m.start(), m.end(), m.group(), _WEEKDAYS.get(name, _WEEKDAY_SHORT.get(name, 0))))
    return found


def relative_days(text: str, written: date, weekdays: list[WeekdayMention] | None = None) -> list[DateMention]:
    """Days named relative to when ``text`` was written: "today", "yesterday", "tomorrow",
    "last night", and weekdays, which mean the one before or the one after (both are kept).
    ``weekdays`` are the text's weekday mentions when the caller has them already."""
    found = []
    for m in _RELATIVE.finditer(text):
        offset = _RELATIVE_OFFSET[m.group(1).split()[0].lower()]
        day = written + timedelta(days=offset)
        found.append(DateMention(m.start(), m.end(), m.group(), frozenset({(day.month, day.day)}), day.year))
    for mention in find_weekdays(text) if weekdays is None else weekdays:
        back = (written.weekday() - mention.weekday) % 7
        days = {written - timedelta(days=back or 7), written + timedelta(days=(7 - back) % 7 or 7)}
        if back == 0:
            days.add(written)
        found.append(DateMention(mention.start, mention.end, mention.text, frozenset((d.month, d.day) for d in days)))
    found.sort(key=lambda d: d.start)
    return found


def day_of(when: date) -> Day:
    """The ``(month, day)`` of a date."""
    return when.month, when.day


def weekdays_of(days: frozenset[Day], year: int) -> frozenset[int]:
    """The weekdays the ``(month, day)`` pairs fall on in ``year``."""
    result = set()
    for month, day in days:
        try:
            result.add(date(year, month, day).weekday())
        except ValueError:
            continue
    return frozenset(result)
