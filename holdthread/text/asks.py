"""Asks: sentences that ask the reader for something ("could you send ...", "which browser?").

Today this says whether a sentence asks, and where its request begins (the cue) and what part of
it is only a purpose ("so I can find your order"). Room for what the rule helpers add next, here
so that every rule reads one answer: what each ask asks for (every ask of a multi-ask sentence),
and negation ("please do not share your card number here" asks for nothing).
"""

from __future__ import annotations

import re

#: Words that make a sentence a request, even without a question mark.
REQUEST_CUE = re.compile(
    r"\b(?:could|can|would|will)\s+you\b|\bplease\b|\bpls\b|\bkindly\b|\bsend\s+(?:me|us|over)\b|\bshare\b|\bprovide\b|"
    r"\blet\s+(?:me|us)\s+know\b|\b(?:i|we)(?:'d|\s+would)?\s+(?:need|require)\b|\bneed\s+(?:your|the)\b|\breply\s+with\b|"
    r"\bwhat(?:'s|\s+is|\s+was|\s+are)\s+(?:your|the)\b|\bwhich\b|\bdo\s+you\s+have\b|\bmay\s+(?:i|we)\s+(?:have|get|ask)\b|"
    r"\bconfirm\b|\bcan\s+(?:i|we)\s+(?:get|have)\b|\bwould\s+you\s+mind\b|\bmind\s+sending\b|\btell\s+(?:me|us)\b|\bin\s+order\s+to\s+(?:help|investigate)\b",
    re.IGNORECASE,
)
#: "so I can find its order number": a purpose, not the thing asked for.
PURPOSE = re.compile(
    r"\bso\s+(?:that\s+)?(?:i|we)\s+can\b|\bin\s+order\s+to\b|\bto\s+(?:find|look\s+up|locate|pull\s+up|match)\b",
    re.IGNORECASE,
)


def is_ask(sentence: str) -> bool:
    """Whether a sentence asks something: a question mark or a request cue."""
    return "?" in sentence or REQUEST_CUE.search(sentence) is not None


def request_bounds(sentence: str) -> tuple[int, int]:
    """Where the request of an asking sentence starts (its cue, else 0) and where its purpose
    clause starts (else the sentence's end): what is asked for lies between them."""
    cue = REQUEST_CUE.search(sentence)
    cue_start = cue.start() if cue else 0
    purpose = PURPOSE.search(sentence, cue_start)
    return cue_start, purpose.start() if purpose else len(sentence)
