"""Up to date: "is iOS 11.1 installed?" after the customer said they installed the latest update.

A customer who wrote that they updated to the latest release (or checked for updates and found
none) has answered the yes/no question "are you on <the current version>?": asking it again
makes them say it again. It does not answer "which version are you on?" (the latest is not a
number), and a customer who named only the major version ("I'm on iOS 11") has not said they are
on the newest point release.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from holdthread.linter.models import Comment, Evidence
from holdthread.text import ParsedNote

#: The customer says they are on the newest release.
UP_TO_DATE = re.compile(
    r"\b(?:updated|upgraded|updating|upgrading|update|upgrade)\s+(?:\w+\s+){0,2}?to\s+(?:the|your|their)\s+"
    r"(?:very\s+)?(?:latest|newest|most\s+recent)\b"
    r"|\b(?:did|installed|got|have|ran|downloaded|done)\s+the\s+(?:very\s+)?(?:latest|newest|most\s+recent)\s+"
    r"(?:update|version|software|release|ios|os)\b"
    r"|\b(?:am|i['’]m|is|it['’]s|its|are|we['’]re)\s+(?:already\s+|fully\s+)?(?:up\s+to\s+date|on\s+the\s+(?:latest|newest))\b"
    r"|\bcheck(?:ed)?\s+for\s+updates?\b[^.!?\n]{0,30}\b(?:none|no\s+updates?|nothing|up\s+to\s+date)\b",
    re.IGNORECASE,
)
#: A yes/no question (or "let us know if ...") about being on a named version.
_ON_VERSION = re.compile(
    r"(?:^\W*(?:to\s+make\s+sure,?\s+|just\s+to\s+(?:check|confirm),?\s+)?(?:is|are|do\s+you\s+have|have\s+you\s+(?:updated|upgraded)"
    r"|are\s+you\s+(?:on|running|using))|\b(?:if|whether)\s+you(?:['’]re|\s+are|\s+have|['’]ve))\b[^.?!\n]{0,60}?\b(?:v?\d+(?:\.\d+)+)\b[^.?!\n]{0,40}?"
    r"|\b(?:v?\d+(?:\.\d+)+)\b[^.?!\n]{0,20}\b(?:installed|showing|running)\b",
    re.IGNORECASE,
)
_WHICH = re.compile(r"\b(?:which|what)\b", re.IGNORECASE)


def asks_whether_on_version(ask: str) -> bool:
    """Whether an ask is a yes/no question about being on a named version (not "which version?")."""
    return _ON_VERSION.search(ask) is not None and _WHICH.search(ask) is None


def said_up_to_date(comments: Sequence[tuple[Comment, ParsedNote]]) -> Evidence | None:
    """The customer's sentence saying they are on the latest release, if any."""
    for comment, note in comments:
        found = UP_TO_DATE.search(note.text)
        if found is not None:
            start, end = note.sentence_index.around(found.start()) or found.span()
            return Evidence(comment_id=comment.id, start=start, end=end, text=note.text[start:end])
    return None
