"""What the writer says they already tried or did ("I restarted it twice", "tried that, no luck").

A customer who says they tried a fix has given that answer: asking "have you tried restarting?"
after it makes them say it again. An attempt is a clause in which the writer says they did
something: "tried" / "already" / "did that", a first-person subject with a past-tense verb ("I
cleared the cache", "we've reinstalled"), or a fix reported as failing ("the reset didn't help",
"no luck"). A clause that says they did *not* do it ("I haven't tried that yet", "I can't
reinstall") is no attempt; "Tried:" lines are attempts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from holdthread.text.spans import Span

_PAST = r"\w+ed|ran|did|done|took|made|set|reset|put|shut|rebuilt|rewrote|wrote|went|got|gave|sent|swiped|read|hit"
ATTEMPT = re.compile(
    rf"\b(?:tried|attempted|already|did\s+(?:that|this|it|so|both)|done\s+(?:that|this|it|so)|have\s+done"
    rf"|(?:i|we|i['’]ve|we['’]ve|i\s+have|we\s+have|i\s+had|we\s+had)\s+(?:\w+\s+){{0,2}}?(?:{_PAST})"
    r"|(?:didn['’]?t|did\s+not|does\s+not|doesn['’]?t|won['’]?t|wouldn['’]?t)\s+(?:\w+\s+)?(?:work|help|fix|change|do\s+anything)"
    r"|no\s+(?:luck|change|difference|dice)|to\s+no\s+avail|same\s+(?:thing|result|problem|error))\b|^\s*tried\s*:",
    re.IGNORECASE | re.MULTILINE,
)
#: "I haven't tried it", "couldn't reinstall", "not yet": the writer says they did not do it.
NOT_DONE = re.compile(
    r"\b(?:haven['’]?t|have\s+not|hasn['’]?t|never|not\s+yet|yet\s+to|can['’]?t|cannot|couldn['’]?t|unable\s+to"
    r"|didn['’]?t\s+(?:try|get\s+to|have)|did\s+not\s+(?:try|get\s+to|have)|will\s+try|i['’]ll\s+try|going\s+to\s+try)\b",
    re.IGNORECASE,
)


def find_attempts(text: str, sentences: Iterable[Span]) -> list[Span]:
    """The sentences of ``text`` in which the writer says they tried or did something."""
    found = []
    for start, end in sentences:
        sentence = text[start:end]
        if ATTEMPT.search(sentence) and not NOT_DONE.search(sentence):
            found.append((start, end))
    return found
