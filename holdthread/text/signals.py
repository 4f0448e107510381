"""Signals that make a sentence specific: a concrete detail, evidence, a count, a time.

Kept in one place so that "is this sentence concrete?" has one answer across rules
(vague-language and unsupported-claim must agree with what missing-context counts). The patterns
read their units, months, time zones and platform names from the lexicon. Each signal is a
question about a piece of text (a sentence, or the words around a phrase): :func:`redeemed` asks
it for the signals a rule names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from holdthread.text.lexicon import (
    COUNTABLES,
    MONTH,
    MONTH_WORD,
    OCCURRENCES,
    OS_OR_BROWSER,
    TIME_ZONE,
    UNITS,
    group,
)
from holdthread.text.quotes import QUOTED_DETAIL

#: Concrete details: what makes a vague word specific, or backs a claim.
CONCRETE = re.compile(
    rf"""
    \b(?:[A-Z]{{1,5}}-?\d{{2,}}|E\d{{2,}}|0x[0-9a-fA-F]{{2,}})\b      # error codes, ticket / incident ids
    | \b[1-5]\d\d\b(?=\s|$|[,.;:)])                                # HTTP statuses
    | \b\d+\.\d+(?:\.\d+)*\b                                       # versions, measurements
    | \b\d{{1,2}}:\d{{2}}\b | \b{TIME_ZONE}\b                        # times
    | \b\d{{4}}-\d{{2}}-\d{{2}}\b                                    # dates
    | \b{MONTH}\s+\d{{1,2}}\b | \b\d{{1,2}}\s+{MONTH_WORD}\b
    | https?://\S+
    | \b\d+(?:,\d{{3}})*\s*(?:{UNITS}|{COUNTABLES})\b                 # measured or counted
    | \b(?i:{OS_OR_BROWSER})\s+\d+                                  # "iOS 17", "Chrome 131"
    | \b\w{{1,40}}[-_]\w{{1,40}}=\S+                                  # key=value from logs / headers
    | \b(?:HIT|MISS)\b
    """,
    re.VERBOSE,
)

#: What backs a guess: an error code or text, a status, a measurement, a header or log value.
EVIDENCE = re.compile(
    rf"""
    \b(?:[A-Z]{{1,5}}(?:-[A-Z]{{1,6}})?-?\d{{2,}}|E\d{{2,}}|0x[0-9a-fA-F]{{2,}})\b
    | \b\w{{0,60}}(?:Error|Exception)\b
    | \b(?:HTTP\s*)?[1-5]\d\d\s+(?:error|errors|response|responses|status)\b | \bHTTP\s*[1-5]\d\d\b
    | https?://\S+
    | \b\d+(?:[.,]\d+)*\s*(?:{UNITS}|{OCCURRENCES}|of\s+\d+)\b
    | \b\w{{1,40}}[-_]\w{{1,40}}[=:]\s?\S+
    | \b(?:HIT|MISS)\b
    | \blogs?\s+(?:show|shows|showed|say|says)\b
    """,
    re.VERBOSE,
)

#: How many: a count ("3 customers", "4 of 20", "12%"), not a version, date or time.
COUNT = re.compile(
    r"(?<![\w.:/-])\d+(?:,\d{3})*(?:\s*%)?(?![\w:/-]|\.\d)"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|all|every|none)\s+(?:of\s+)?(?:the\s+)?\w+",
    re.IGNORECASE,
)

#: When: a time, date, weekday or deadline.
TIME = re.compile(
    rf"\b\d{{1,2}}:\d{{2}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b{TIME_ZONE}\b"
    rf"|\b{MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{MONTH_WORD}"
    rf"|\b{group('weekdays')}\b|\b(?:today|tonight|tomorrow|yesterday|EOD|end\s+of\s+day)\b"
    r"|\b(?:since|by|until|before|after)\s+(?:\d|the\s+\d|release|deploy|v\d)|\b\d+\s*(?:am|pm)\b"
    r"|\bin\s+\d+\s*(?:min|minutes|hours|h|days)\b",
    re.IGNORECASE,
)


def is_concrete(text: str) -> bool:
    """Whether text carries a checkable detail: a code, number, time, version, quote, link."""
    return bool(CONCRETE.search(text) or QUOTED_DETAIL.search(text))


SIGNALS: dict[str, Callable[[str], bool]] = {
    "detail": is_concrete,
    "evidence": lambda text: bool(EVIDENCE.search(text) or QUOTED_DETAIL.search(text)),
    "count": lambda text: bool(COUNT.search(text)),
    "time": lambda text: bool(TIME.search(text)),
}


def redeemed(text: str, signals: Iterable[str]) -> bool:
    """Whether ``text`` carries any of the named signals (detail, evidence, count, time)."""
    return any(SIGNALS[name](text) for name in signals)
