"""Ordered actions: what a person did, step by step, in any of the shapes people write steps.

Counted in list items that are actions (or that a "Steps:" heading, a "Step N:" label, a steps
table or a code block says are steps), inline numbered steps ("1) open 2) click"), shell
transcripts ("$ make install"), prose chains ("opened X, switched Y, then reloaded"), navigation
paths ("Settings > Billing > Export") and runs of sentences that each start with an action.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from holdthread.text.actions import SUBJECT, IsAction, actor_test, lexicon_is_action
from holdthread.text.code import patch_and_comment_regions
from holdthread.text.lists import (
    FACT_ITEM,
    LIST_ITEM,
    STEP_LABEL,
    code_list_lines,
    headed_list_lines,
    list_blocks,
    step_table_rows,
)
from holdthread.text.spans import Span, inside

#: A candidate verb; whether it is an action is a set lookup (a 300-way regex alternation is slow).
#: A word right before ":" or "[" labels a line ("configure: error", "make[1]:"), one joined by
#: "/" names a control ("Check/Uncheck", "Request/Response") and one before "id" or "number"
#: names a thing ("request id req_7f3a", "upload ID"): none of them is an action.
_WORD = r"(?P<verb>[A-Za-z][a-z-]*)(?![-\w/]|[ \t]*:|\[|[ \t]+(?i:ids?|numbers?|no\.|\#)(?!\w))"
#: "In the pulldown menu, select ...": where the step happens, before the action.
_LEADING_PLACE = r"(?:(?:in|on|from|at|under|within|inside|via|with)\s+[^,\n]{1,50},\s*)"
_ITEM_START = re.compile(
    rf"^{_LEADING_PLACE}?(?:(?:then|and|first|next|finally|now|also|just|please|try\s+to)\s+)*{SUBJECT}?{_WORD}\b",
    re.IGNORECASE,
)
_CONNECTOR = r"(?:(?:and\s+)?(?:then|after\s+that|afterwards|next|finally|first|once|before|when)\s+|and\s+)"
_CLAUSE_START = re.compile(
    rf"(?:^|[,;:]\s*|(?<![\w.$])\(\s*|(?:->|→|>|»)\s*|(?<=\s)(?={_CONNECTOR}))\s*{_CONNECTOR}?{SUBJECT}?{_WORD}\b",
    re.IGNORECASE,
)
_INLINE_NUMBERED = re.compile(
    rf"(?:^|\s|\()(?:(?:step\s*)?\d{{1,2}}\s*[.):]|[a-h]\))\s+{SUBJECT}?{_WORD}\b", re.IGNORECASE
)
#: "Steps: 1. Schedule ... 2. Let it send 3. Compare": numbered items on a steps line.
_INLINE_STEPS_HEADING = re.compile(
    r"\b(?:steps(?:\s+to\s+reproduce)?|repro(?:\s+steps)?|to\s+reproduce|str|how\s+to\s+(?:see|reproduce|repro)\s+it|"
    r"to\s+see\s+it)\s*:",
    re.IGNORECASE,
)
_INLINE_ITEM = re.compile(r"(?:^|\s)(?:\d{1,2}|[a-h])[.)]\s+\S")
#: A command typed at a shell prompt ("$ make install", "C:\\> httpd -k start", "user@host:~# ./run"):
#: a transcript of commands is a sequence of actions.
_PROMPT_LINE = re.compile(
    r"^[ \t]*(?:\$|%|[\w.-]+@[^\s$#>]*[$#>]|[A-Za-z]:\\[^>\n]*>|[\w.-]+[$#>](?=\s))[ \t]*[./\w][^\n]*",
    re.MULTILINE,
)
#: "Settings > Billing > Export": a navigation path is a sequence of actions.
_BREADCRUMB_STEP = re.compile(r"\w\s*(?:>|->|→|»)\s*\w")
#: What follows a word that stands alone in a series: a comma, "and" or "or".
_NAME_IN_SERIES = re.compile(r"[ \t]*(?:\.\.?)?[ \t]*(?:,|(?:and|or)\b)")


def _verb(match: re.Match[str] | None, base: int, is_action: IsAction) -> bool:
    return match is not None and is_action(match.group("verb"), base + match.start("verb"))


def starts_with_action(text: str, base: int = 0, is_action: IsAction = lexicon_is_action) -> bool:
    """Whether a line or sentence begins with an action ("Click Export", "I opened Settings")."""
    stripped = text.lstrip()
    return _verb(_ITEM_START.match(stripped), base + len(text) - len(stripped), actor_test(stripped, is_action))


def _item_starts_with_action(match: re.Match[str], is_action: IsAction) -> bool:
    """Whether a list item's text (after any emphasis or backtick) begins with an action."""
    item = match.group("item")
    skipped = len(item) - len(item.lstrip("*_ `"))
    return starts_with_action(item[skipped:], match.start("item") + skipped, is_action)


def _led_list_lines(text: str, is_action: IsAction) -> set[int]:
    """Lines of a list of two or more items whose first item begins with an action."""
    starts: set[int] = set()
    for block in list_blocks(text):
        if len(block) >= 2 and _item_starts_with_action(block[0], is_action):
            starts.update(m.start() for m in block)
    return starts


def list_actions(text: str, is_action: IsAction = lexicon_is_action) -> list[Span]:
    """List items that are steps: they begin with an action, carry a "Step N:" label, sit in
    the list right under a "Steps:" / "Repro:" heading, in a fenced code block or in a table
    whose header names its steps ("| # | Action | Result |"), or follow an action as the first
    item of their list ("1. POST /v2/quotes ... 2. Response: 504")."""
    headed = headed_list_lines(text) | _led_list_lines(text, is_action) | code_list_lines(text) | step_table_rows(text)
    code = patch_and_comment_regions(text)
    found = []
    for match in LIST_ITEM.finditer(text):
        if inside((match.start(), match.start()), code):
            continue
        item = match.group("item")
        skipped = len(item) - len(item.lstrip("*_ `"))
        if (
            (match.start() in headed and not FACT_ITEM.match(item[skipped:]))
            or STEP_LABEL.match(text, match.start())
            or _item_starts_with_action(match, is_action)
        ):
            found.append(match.span())
    return found


def prose_actions(sentence: str, base: int = 0, is_action: IsAction = lexicon_is_action) -> int:
    """How many actions a prose sentence chains ("opened X, switched Y, then reloaded").

    Only actions that start a clause count, so "export" in "says export fails" is not a step.
    """
    stripped = sentence.lstrip()
    base += len(sentence) - len(stripped)
    stripped = stripped.rstrip()
    is_action = actor_test(stripped, is_action)
    return sum(
        1 for m in _CLAUSE_START.finditer(stripped) if _verb(m, base, is_action) and not _named_in_series(stripped, m)
    )


def _named_in_series(text: str, match: re.Match[str]) -> bool:
    """A bare base-form word in a comma series names a thing ("popups for change, click, dblclick";
    "Cut, Copy, Paste"); a past-tense one is a terse step ("Reinstalled, rebooted, same error")."""
    return not match.group("verb").lower().endswith("ed") and bool(_NAME_IN_SERIES.match(text, match.end("verb")))


def ordered_actions(
    text: str, sentences: Iterable[Span], is_action: IsAction = lexicon_is_action, *, enough: int | None = None
) -> int:
    """The number of ordered actions in a text: list steps, inline numbered steps, or prose.

    With ``enough``, counting stops as soon as that many are found (the caller only needs to
    know the note has steps), which keeps a note with a list at the top cheap.
    """
    listed = len(list_actions(text, is_action))
    if enough is not None and listed >= enough:
        return listed
    inline = sum(1 for m in _INLINE_NUMBERED.finditer(text) if _verb(m, 0, is_action))
    done_until = -1  # several headings on one line: count that line once
    for heading in _INLINE_STEPS_HEADING.finditer(text):
        if heading.start() < done_until:
            continue
        line_end = text.find("\n", heading.end())
        done_until = len(text) if line_end == -1 else line_end
        inline = max(inline, len(_INLINE_ITEM.findall(text, heading.end(), done_until)))
    best = max(listed, inline, len(_PROMPT_LINE.findall(text)))
    leading = 0  # consecutive sentences that each start with an action ("Open X. Click Y.")
    for start, end in sentences:
        sentence = text[start:end]
        chain = prose_actions(sentence, start, is_action)
        if (">" in sentence or "→" in sentence or "»" in sentence) and len(_BREADCRUMB_STEP.findall(sentence)) >= 2:
            chain += 1
        best = max(best, chain)
        leading = leading + 1 if starts_with_action(sentence, start, is_action) else 0
        best = max(best, leading)
        if enough is not None and best >= enough:
            break
    return best
