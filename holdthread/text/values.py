"""Typed values with spans: URLs, emails, dates, times, versions, ids, quantities and numbers.

One principle every rule relies on: a value is read as one kind only. Literals are found first:
URLs and email addresses (an address inside a link only as a parameter's value, ``?email=...``),
package versions (``pkg@1.2.3``), IP addresses, file paths and marked versions (``v1.2.3``). Each
is read as a whole, and nothing inside one is read again as a number, phone, card, id or date (a
web-archive timestamp in ``/web/20200401225851/`` is part of a link, not a card number;
``react@16.13.1`` is no email).
Then dates and times claim their digits, then versions, ids, phone numbers (7 to 15 digits in
phone grouping: a range such as "50-450 ms" is none) and quantities, and what is left is a plain
number. Each value carries its span, so a rule asks "is this inside a literal?" by position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from holdthread.text.lexicon import COUNTABLES, MONTH, MONTH_WORD, TIME_ZONE, UNITS
from holdthread.text.netaddresses import find_ip_addresses
from holdthread.text.paths import find_paths
from holdthread.text.spans import Span, SpanIndex

ValueKind = Literal[
    "url", "email", "package", "ip", "path", "date", "time", "version", "id", "phone", "quantity", "number"
]


@dataclass(frozen=True)
class Value:
    """One value found in a note: its kind, where it is, and its text."""

    kind: ValueKind
    start: int
    end: int
    text: str

    @property
    def span(self) -> Span:
        return self.start, self.end


#: A link with a scheme, "www.", or a bare domain with a path ("web.archive.org/web/2020...").
URL = re.compile(
    r"\b(?:https?://|ftp://|www\.)[^\s<>\"'`]{1,2000}"
    r"|\b(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}/[^\s<>\"'`]{0,2000}",
    re.IGNORECASE,
)
#: An email address: a local part, "@", and a domain with a dot; repeats bounded (a hostile
#: "a.a.a.a..." cannot make the scan quadratic).
EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![\w-])"
)
_TRAILING = ".,;:!?)]}'\""
#: A phone number as people write one: digit groups with separators ("(555) 123-4567", "+44 7700
#: 900123") or "+"/"00" and a run of digits; 7 to 15 digits in all (see :func:`_is_phone`), so a
#: range such as "50-450" or a short id is not one.
PHONE = re.compile(
    r"(?<![\w+#/.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,6}){1,4}(?![\w-]|\.\d)"
    r"|(?<![\w+#/.-])(?:\+|00)\d{9,14}(?!\w)"
)
#: A package at a version, as package managers write it: ``react@16.13.1``, ``@types/node@^20.1``.
PACKAGE = re.compile(
    r"(?<![\w@/.-])(?:@[\w.-]{1,100}/)?[A-Za-z0-9][\w.-]{0,100}@[~^=v]{0,2}\d{1,9}(?:\.\d{1,9}){1,3}(?:[-+][\w.-]{0,49}[A-Za-z0-9])?"
)
#: A version marked as one: ``v1.2.3`` (a bare ``1.2.3`` is read later, as a plain version).
MARKED_VERSION = re.compile(r"(?<![\w.])v\d{1,9}(?:\.\d{1,9}){1,4}(?:-[\w.]{0,49}[A-Za-z0-9])?(?![\w]|\.\d)")

#: Other kinds in the order they claim text: a date's digits are not a number, a version's not an id.
_PATTERNS: tuple[tuple[ValueKind, re.Pattern[str]], ...] = (
    (
        "date",
        re.compile(
            rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b|\b{MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?\b"
            rf"|\b\d{{1,2}}\s+{MONTH_WORD}(?:\s+\d{{4}})?\b",
            re.IGNORECASE,
        ),
    ),
    (
        "time",
        re.compile(
            rf"\b\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s?(?:am|pm))?(?:\s+{TIME_ZONE})?\b|\b\d{{1,2}}\s?(?:am|pm)\b",
            re.IGNORECASE,
        ),
    ),
    ("version", re.compile(r"\bv\d+(?:\.\d+){1,4}\b|\b\d+\.\d+\.\d+(?:\.\d+){0,2}\b|(?<=@)\d+\.\d+(?:\.\d+){0,3}\b")),
    ("id", re.compile(r"\b[A-Z][A-Z0-9]{1,9}-\d{2,}\b|#\d{3,}\b|\b[A-Z]{2,5}\d{3,}\b|\b[a-z]{2,6}_[A-Za-z0-9]{6,}\b")),
    ("phone", PHONE),
    ("quantity", re.compile(rf"\b\d+(?:[.,]\d+)*\s*(?:{UNITS}|{COUNTABLES})(?!\w)", re.IGNORECASE)),
    ("number", re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")),
)


def _is_phone(found: str) -> bool:
    """7 to 15 digits; groups split only by spaces need a prefix ("+", "(", "0") or three groups,
    so "2017 2018" is two years, not a phone number."""
    if not 7 <= sum(c.isdigit() for c in found) <= 15:
        return False
    return bool(set(found) & set("-.+(")) or found.startswith("0") or len(found.split()) >= 3


def find_links(text: str) -> list[Value]:
    """URLs and email addresses: what every other kind of value is kept out of."""
    if "/" not in text and "@" not in text and "www." not in text.lower():
        return []  # every link has a slash or "www.", every address an "@": nothing to look for
    found = []
    for match in URL.finditer(text):
        value = match.group(0).rstrip(_TRAILING)
        found.append(Value("url", match.start(), match.start() + len(value), value))
    # An address inside a link ("...?email=dana@example.com") is still an address: it is kept.
    found += [Value("email", m.start(), m.end(), m.group(0)) for m in EMAIL.finditer(text)]
    return found


def _claim(values: list[Value], kind: ValueKind, text: str, spans: Iterable[Span]) -> list[Value]:
    """``values`` and the ``spans`` of ``kind`` that overlap none of them."""
    claimed = SpanIndex(v.span for v in values)
    return values + [Value(kind, s, e, text[s:e]) for s, e in spans if not claimed.overlaps(s, e)]


def find_literals(text: str) -> list[Value]:
    """What is read as a whole, in text order: URLs and emails, package versions, IP addresses,
    file paths and marked versions. Nothing inside one of them is any other kind of value."""
    links = find_links(text)
    urls = [v for v in links if v.kind == "url"]
    # A package version is no email ("pkg@1.2.3-rc.beta"). Inside a link, an address is read only
    # as a parameter's value ("?email=dana@..."): elsewhere in a link it is part of a path or a file
    # name ("/addons/helper@example.org-1.0.xpi").
    literals = _claim(urls, "package", text, (m.span() for m in PACKAGE.finditer(text)))
    packages = SpanIndex(v.span for v in literals if v.kind == "package")
    url_index = SpanIndex(v.span for v in urls)
    literals += [
        v
        for v in links
        if v.kind == "email"
        and not packages.overlaps(*v.span)
        and (not url_index.overlaps(*v.span) or text[v.start - 1 : v.start] == "=")
    ]
    literals = _claim(literals, "ip", text, find_ip_addresses(text))
    literals = _claim(literals, "path", text, find_paths(text))
    literals = _claim(literals, "version", text, (m.span() for m in MARKED_VERSION.finditer(text)))
    literals.sort(key=lambda v: v.start)
    return literals


def find_values(
    text: str, kinds: Iterable[ValueKind] | None = None, literals: list[Value] | None = None
) -> list[Value]:
    """Every value of ``text`` (or only ``kinds``), each read as one kind, in text order
    (``literals``: the text's :func:`find_literals`, when the caller has them already)."""
    wanted = set(kinds) if kinds is not None else None
    values = list(find_literals(text) if literals is None else literals)
    claimed = SpanIndex(v.span for v in values)
    for kind, pattern in _PATTERNS:
        found = [
            Value(kind, m.start(), m.end(), m.group(0))
            for m in pattern.finditer(text)
            if not claimed.overlaps(*m.span()) and (kind != "phone" or _is_phone(m.group(0)))
        ]
        values += found
        claimed = SpanIndex([*claimed.spans, *(v.span for v in found)])
    values.sort(key=lambda v: v.start)
    return [v for v in values if wanted is None or v.kind in wanted]
