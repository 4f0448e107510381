"""Mentions of people and handles: "@lee.park", "@payments-oncall".

A mention inside a link ("medium.com/@lee") is part of the link, not a person addressed.

Room for what the rules read next, built here so that every rule agrees on it: the person a
note addresses ("lee:", "Sam, can you ...", "r?nick" review flags, "needinfo" requests), which
missing-owner needs to see owners written the way developers write them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from holdthread.text.spans import Span, SpanIndex

#: A handle: "@" and a login of letters, digits, dots, dashes and underscores (bounded).
HANDLE = r"@[A-Za-z0-9][\w.-]{0,60}[A-Za-z0-9_]"
#: A mention: a handle not glued to a word before it (an email's "@" has a word before it).
MENTION = re.compile(rf"(?<![\w.+-]){HANDLE}")


def find_mentions(text: str, links: Callable[[], SpanIndex]) -> list[Span]:
    """Spans of the @mentions in ``text`` that are not inside a link (``links`` is asked for the
    note's links only when there is a candidate mention)."""
    return [m.span() for m in MENTION.finditer(text) if not links().overlaps(*m.span())]
