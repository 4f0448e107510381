"""Content words: what a stretch of text is about, for comparing two texts.

Two rules compare what people wrote: customer-repeated (is this message the same problem again?)
and repeated-ask (is "have you tried clearing the cache?" what the customer said they did?). Both
reduce text to the same content words: lower case, no stop words, crudely stemmed so that
"exporting", "exports" and "exported" (and "dragged" and "dragging") meet, and with each known fix
written one way ("reboot", "power cycle" and "restart" are one fix, from the lexicon's ``fixes``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS

from holdthread.text.lexicon import alternation, lexicon

_WORD = re.compile(r"[a-z0-9][a-z0-9_'’-]*[a-z0-9]|[a-z0-9]", re.IGNORECASE)
_DOUBLED = re.compile(r"([bcdfgklmnprstvz])\1$")


def stem(word: str) -> str:
    """A crude suffix strip so "exporting", "exports" and "exported" meet; cheap and good enough."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            return word[:-1] if _DOUBLED.search(word) else word
    return word


@cache
def _fixes() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every phrase of a known fix, and the word each phrase is written as."""
    canonical = {}
    for fix in lexicon()["fixes"]:
        for phrase in fix:
            canonical[" ".join(str(phrase).lower().split())] = str(fix[0]).lower().replace(" ", "-")
    return re.compile(rf"\b(?:{alternation(canonical)})\b", re.IGNORECASE), canonical


def with_fixes_named_one_way(text: str) -> str:
    """``text`` with each known fix written as its first name ("rebooted the modem" -> "restart
    the modem"), so that two ways of saying one fix share a word."""
    pattern, canonical = _fixes()
    return pattern.sub(
        lambda m: canonical.get(" ".join(m.group(0).lower().replace("’", "'").split()), m.group(0)), text
    )


def content_words(text: str, also_ignore: Iterable[str] = ()) -> set[str]:
    """The words that carry a text's content: no stop words (nor ``also_ignore``), stemmed."""
    ignore = frozenset(also_ignore)
    words = set()
    for match in _WORD.finditer(text.lower()):
        word = match.group(0).replace("’", "'")
        base = word.split("'")[0]  # "doesn't" is "does", "customer's" is "customer"
        if (
            {word, base} & STOP_WORDS
            or base in ignore
            or (len(base) < 3 and not base.isdigit())
            or word.endswith("n't")
        ):
            continue
        words.add(stem(base))
    return words
