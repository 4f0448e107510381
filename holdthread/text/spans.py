"""Character spans and fast lookups over them.

A span is ``(start, end)`` into a note's plain text, as annotations report them. Rules ask
"which sentence holds this phrase?" or "is this inside a quote?" many times per note, so spans are
looked up by bisection, never by a scan per question (a scan per phrase would make a note of
thousands of short sentences quadratic).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

Span = tuple[int, int]


def inside(span: Span, spans: Iterable[Span]) -> bool:
    """Whether ``span`` lies entirely within one of ``spans`` (a linear scan: for short lists)."""
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def first_line(text: str) -> Span:
    """The first non-blank line: where a finding about the whole note points."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    return start, len(text) if end == -1 else end


class SpanIndex:
    """Spans (sentences, quotes) looked up by position in O(log n); overlapping spans are merged."""

    def __init__(self, spans: Iterable[Span]) -> None:
        merged: list[Span] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self.spans = merged
        self.starts = [start for start, _ in merged]

    def around(self, position: int) -> Span | None:
        """The span that holds ``position``, if any."""
        index = bisect.bisect_right(self.starts, position) - 1
        if index >= 0 and self.spans[index][0] <= position < self.spans[index][1]:
            return self.spans[index]
        return None

    def covers(self, start: int, end: int) -> bool:
        """Whether one span holds all of ``start``..``end``."""
        index = bisect.bisect_right(self.starts, start) - 1
        return index >= 0 and self.spans[index][1] >= end

    def overlaps(self, start: int, end: int) -> bool:
        """Whether any span shares a character with ``start``..``end``."""
        index = bisect.bisect_right(self.starts, end - 1) - 1
        return index >= 0 and self.spans[index][1] > start
