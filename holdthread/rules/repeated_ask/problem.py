"""The problem itself: "how can I help?" or "what's the issue?" after the customer set it out.

An open question about the problem ("how can we help?", "what is going on with the app?", "ask
your question", "I still don't understand what the issue is": holdthread/text/asks.py) makes a
customer who already stated a specific problem tell it again. It is new when the customer only complained ("fix my
connection", "I'm done with you"), only called for help ("can anyone help me?"), or when the ask
wants more than they said ("what exactly happens?", "tell us more", "anything else?").

A problem is stated specifically when one of the customer's sentences says what goes wrong (a
symptom: it crashes, freezes, is refused, returns an error, "can't" or "won't" do an action) and
carries something concrete (an error text or code, a version, a quoted message, a link, the action
that fails), or asks how to do one named thing ("how do I install the 9.0 client?").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from holdthread.linter.models import Comment, Evidence
from holdthread.text import ParsedNote
from holdthread.text.actions import ACTION_VERBS
from holdthread.text.signals import is_concrete

#: What goes wrong: a symptom, or an action that cannot be done.
_SYMPTOM = re.compile(
    r"\b(?:crash\w*|freez\w*|froze|frozen|hangs?|hanging|stuck|errors?|exit\s+code|fail\w*|black\s+screen|blank|refused"
    r"|denied|corrupt\w*|returns?|says|won['’]?t|can['’]?t|cannot|unable\s+to|doesn['’]?t|does\s+not|not\s+working"
    r"|drops?|dropped|disconnect\w*|reboots?|restarts)\b",
    re.IGNORECASE,
)
_CANNOT_DO = re.compile(
    r"\b(?:won['’]?t|can['’]?t|cannot|unable\s+to|doesn['’]?t|does\s+not|fails?\s+to|not\s+able\s+to)\s+(?:let\s+me\s+)?"
    r"(?P<verb>[a-z-]+)",
    re.IGNORECASE,
)
_HOW_TO = re.compile(r"\bhow\s+(?:do|can|could|would|should)\s+i\s+(?P<verb>[a-z-]+)\s+\S+\s+\S+", re.IGNORECASE)


def _specific(sentence: str) -> bool:
    how_to = _HOW_TO.search(sentence)
    if how_to is not None and how_to.group("verb").lower() in ACTION_VERBS:
        return True
    if _SYMPTOM.search(sentence) is None:
        return False
    cannot = _CANNOT_DO.search(sentence)
    return is_concrete(sentence) or (cannot is not None and cannot.group("verb").lower() in ACTION_VERBS)


def problem_stated(comments: Sequence[tuple[Comment, ParsedNote]]) -> Evidence | None:
    """The first sentence in which the customer stated their problem specifically, if any."""
    for comment, note in comments:
        for start, end in note.sentences:
            if _specific(note.text[start:end]):
                return Evidence(comment_id=comment.id, start=start, end=end, text=note.text[start:end])
    return None
