"""Lists in a note: items, runs of items, and the lists that a heading or a table says are steps.

Steps come in many shapes ("1.", "1)", "#1", "(1", bullets, "| 1 | Open ... |" table rows, a
numbered script in a code block). This module finds the list structure; :mod:`holdthread.text.steps`
decides which items are actions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from holdthread.text.quotes import CODE_BLOCK

#: One list item: a number, letter, bullet or "Step N" marker, and the item's text.
LIST_ITEM = re.compile(
    r"^[ \t]*(?:(?:step\s*|#|\()?\d{1,2}\s*[.):\-]|(?:#|\()?\d{1,2}\s+(?=[A-Za-z])|[-*•+]|\(?[a-h][.)]"
    r"|\|[ \t]*\d{1,2}[ \t]*\|)\s*(?P<item>[^\n]*)",
    re.IGNORECASE | re.MULTILINE,
)
#: A heading that says a list of steps follows ("Steps:", "Repro:", "To reproduce:", "STR:").
_STEPS_HEADING = re.compile(
    r"^[ \t]*(?:#+\s*)?(?:\*\*)?(?:steps(?:\s+to\s+reproduce)?|repro(?:duction)?(?:\s+steps)?|to\s+reproduce|"
    r"how\s+to\s+reproduce|str)(?:\*\*)?\s*:?\s*(?:\*\*)?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
#: "Step 1:" labels the line as a step whatever its first word.
STEP_LABEL = re.compile(r"^[ \t]*step\s*\d{1,2}\s*[.):\-]", re.IGNORECASE | re.MULTILINE)
#: A list item that records a fact rather than an action, even under "Steps:": a timestamp
#: ("10:03 UTC - query raised"), a date, or a record ("Subject 0107-003 (Vitals form)").
FACT_ITEM = re.compile(
    r"(?:\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"
    r"|(?:subject|account|user|order|patient|site|station|store|workspace|ticket|case|record|id)\s+#?[A-Z0-9-]{0,40}\d)",
    re.IGNORECASE,
)
_NUMBERED_LINE = re.compile(r"^[ \t]*\d{1,2}[.)][ \t]+\S", re.MULTILINE)
#: A Markdown table whose header names its steps: "| # | Action | Result |", "| Step | ... |".
_STEP_TABLE_HEADER = re.compile(r"^[ \t]*\|[^\n]*\b(?:steps?|actions?)\b[^\n]*\|[ \t]*$", re.IGNORECASE | re.MULTILINE)
_TABLE_ROW = re.compile(r"[ \t]*\|[^\n]*")
_TABLE_RULE = re.compile(r"[ \t]*\|[\s:|-]*")


def list_blocks(text: str) -> Iterator[list[re.Match[str]]]:
    """Runs of consecutive list lines."""
    block: list[re.Match[str]] = []
    for match in LIST_ITEM.finditer(text):
        if block and text[block[-1].end() : match.start()].strip():
            yield block
            block = []
        block.append(match)
    if block:
        yield block


def headed_list_lines(text: str) -> set[int]:
    """Start offsets of the list lines that directly follow a steps heading."""
    starts: set[int] = set()
    for heading in _STEPS_HEADING.finditer(text):
        position = heading.end() + 1
        while position < len(text):
            line_end = text.find("\n", position)
            line_end = len(text) if line_end == -1 else line_end
            if not LIST_ITEM.match(text[position:line_end]):
                break
            starts.add(position)
            position = line_end + 1
    return starts


def code_list_lines(text: str) -> set[int]:
    """Numbered lines inside fenced code blocks: a scripted repro."""
    starts: set[int] = set()
    for block in CODE_BLOCK.finditer(text):
        starts.update(m.start() for m in _NUMBERED_LINE.finditer(text, block.start(), block.end()))
    return starts


def step_table_rows(text: str) -> set[int]:
    """Start offsets of the rows of a steps table (each row is one step, whatever its verb)."""
    starts: set[int] = set()
    if "|" not in text:
        return starts
    position = 0
    for header in _STEP_TABLE_HEADER.finditer(text):
        if header.start() < position:
            continue  # a row of the table just read (each row is read once)
        position = header.end() + 1
        while position < len(text):
            line_end = text.find("\n", position)
            line_end = len(text) if line_end == -1 else line_end
            if not _TABLE_ROW.fullmatch(text, position, line_end):
                break
            if not _TABLE_RULE.fullmatch(text, position, line_end):
                starts.add(position)
            position = line_end + 1
    return starts
