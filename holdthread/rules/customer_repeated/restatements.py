"""What makes a later customer message a restatement of an earlier one: shared content words.

E-mail replies quote the earlier messages and end with the same signature, so both are removed
before messages are compared; what is left is reduced to content words (no stop words, no chat
filler from ``words.yaml``, crudely stemmed) and compared by overlap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from holdthread.text import ParsedNote
from holdthread.text.wordlists import load_words

#: Words of every support message that say nothing about the problem itself.
_FILLER = frozenset(load_words(__package__ or "")["filler"])
_WORD = re.compile(r"[a-z0-9][a-z0-9_'’-]*[a-z0-9]|[a-z0-9]", re.IGNORECASE)
CUE = re.compile(
    r"\b(?:as\s+i\s+(?:already\s+)?(?:said|mentioned|explained|wrote|told)|like\s+i\s+(?:said|told)|"
    r"(?:i(?:'ve|\s+have)?|we(?:'ve|\s+have)?)\s+already\s+(?:told|explained|said|described|sent|mentioned|wrote)|"
    r"for\s+the\s+(?:second|third|fourth|\d+(?:st|nd|rd|th))\s+time|once\s+again|again[,:]?\s|"
    r"(?:re-?)?explain(?:ing)?\s+(?:this\s+|it\s+)?again|repeat(?:ing)?\s+(?:myself|this|again)|to\s+repeat\b|still\s+(?:the\s+same|not|isn|doesn|can))",
    re.IGNORECASE,
)


_QUOTED_REPLY = re.compile(
    r"^[ \t]*>.*$|^[ \t]*On\s.{0,120}\bwrote:[ \t]*$(?s:.*)|^-{2,}[ \t]*Original Message[ \t]*-{2,}(?s:.*)"
    r"|^-- ?$(?s:.*)",
    re.MULTILINE | re.IGNORECASE,
)


def own_words(text: str) -> str:
    """The message without quoted earlier mail ("> ...", "On ... wrote:"), a "-- " signature, links,
    or the person a chat line is addressed to ("Seveas, ...").

    E-mail replies carry the previous messages below, and chat lines start with the helper's nick;
    comparing them would make every reply a restatement.
    """
    return _ADDRESSEE.sub("", _LINK.sub(" ", _QUOTED_REPLY.sub("", text)))


#: A link: its parts are no words of the problem.
_LINK = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
#: The nick a chat line starts with, addressing a helper ("Seveas, it still fails").
_ADDRESSEE = re.compile(r"^[ \t]*[\w^|\[\]{}`-]{1,30}[:,](?=\s)", re.MULTILINE)


def signature_lines(texts: Sequence[str], tail: int = 6) -> frozenset[str]:
    """Lines that end two or more of the customer's messages verbatim: a signature, not content.

    "Dana Reyes / Head of Finance / Hauptstrasse 5" under every e-mail would otherwise make
    any two messages look alike.
    """
    counts: dict[str, int] = {}
    for text in texts:
        lines = [line.strip() for line in text.splitlines() if line.strip()][1:]
        for line in set(lines[-tail:]):
            counts[line] = counts.get(line, 0) + 1
    return frozenset(line for line, count in counts.items() if count >= 2)


def without_lines(text: str, lines: frozenset[str]) -> str:
    if not lines:
        return text
    return "\n".join(line for line in text.splitlines() if line.strip() not in lines)


def _stem(word: str) -> str:
    """A crude suffix strip so "exporting", "exports" and "exported" meet; cheap and good enough."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    """The words that carry a message's content: no stop words, no chat filler, stemmed."""
    words = set()
    for match in _WORD.finditer(text.lower()):
        word = match.group(0).replace("’", "'")
        if word in STOP_WORDS or word in _FILLER or (len(word) < 3 and not word.isdigit()):
            continue
        words.add(_stem(word.split("'")[0]))
    return words


def overlap(a: set[str], b: set[str]) -> float:
    """The overlap coefficient: shared words over the smaller set's size (0 when either is empty)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def best_sentence(note: ParsedNote, earlier: Sequence[set[str]]) -> tuple[int, int]:
    """The span of the sentence sharing the most content words with the earlier messages."""
    text = note.text
    seen = set().union(*earlier)
    quoted = [m.span() for m in _QUOTED_REPLY.finditer(text)]
    best, best_span = -1, (0, len(text))
    for start, end in note.sentences:
        if any(q_start <= start < q_end for q_start, q_end in quoted):
            continue
        shared = len(content_words(text[start:end]) & seen)
        if shared > best:
            best, best_span = shared, (start, end)
    start, end = best_span
    while start < end and text[start].isspace():
        start += 1
    return start, end
