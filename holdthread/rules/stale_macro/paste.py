"""Pasted macros and placeholders: is a sent note one of the team's macros with nothing added?

A macro is indexed by its runs of five words (shingles); a note that shares 80% of a macro's runs
pastes it, and the words outside those runs (greetings and sign-offs left out) are what the agent
added. A placeholder (``{{ticket.requester}}``, ``[Customer name]``) breaks a run, since it is
filled differently each time.
"""

from __future__ import annotations

import re
from collections import Counter

from holdthread.text.wordlists import load_words

#: An unfilled template placeholder: Liquid/Jinja, ``${...}``, ``%NAME%``, ``[Customer name]``, ``<agent>``.
PLACEHOLDER = re.compile(
    r"\{\{[^{}\n]{1,120}\}\}|\{%-?[^%\n]{1,120}-?%\}|\$\{[A-Za-z_][\w.]{0,60}\}|%[A-Z][A-Z0-9_]{2,40}%(?![\\/])"
    r"|\[(?:customer|client|agent|requester|insert|your|first|last|full|company|order|ticket|date|link|product|name|"
    r"amount|ETA|time)[^\]\n]{0,30}\](?!\()"
    r"|<(?:customer|agent|first|insert|name|order)[\w ]{0,20}>",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
#: Greeting and sign-off words: they do not count as words a note adds to a pasted macro.
_GREETING = frozenset(load_words(__package__ or "")["greeting_words"])
_SHINGLE = 5


def _words(text: str) -> list[str]:
    """Lower-case words, with each placeholder as an empty word that no shingle can span."""
    words: list[str] = []
    last = 0
    for match in PLACEHOLDER.finditer(text):
        words += _WORD.findall(text[last : match.start()].lower())
        words.append("")
        last = match.end()
    words += _WORD.findall(text[last:].lower())
    return words


def _shingles(words: list[str]) -> list[tuple[str, ...] | None]:
    """Every run of five words, by position; ``None`` where a placeholder breaks the run."""
    return [
        tuple(words[i : i + _SHINGLE]) if all(words[i : i + _SHINGLE]) else None
        for i in range(len(words) - _SHINGLE + 1)
    ]


class MacroIndex:
    """The policy's macros, indexed by their five-word runs."""

    def __init__(self, bodies: list[str]) -> None:
        self.macro_shingles: list[int] = []
        self.index: dict[tuple[str, ...], list[int]] = {}
        for number, body in enumerate(bodies):
            shingles = {s for s in _shingles(_words(body)) if s is not None}
            self.macro_shingles.append(len(shingles))
            for shingle in shingles:
                self.index.setdefault(shingle, []).append(number)

    def __bool__(self) -> bool:
        return bool(self.index)

    def added_words(self, text: str) -> int | None:
        """How many words of its own ``text`` adds to the macro it pastes (greetings and sign-offs
        left out), or ``None`` when it pastes no macro (shares under 80% of any macro's runs)."""
        words = _words(text)
        shingles = _shingles(words)
        votes: Counter[int] = Counter()
        for shingle in {s for s in shingles if s is not None}:
            for number in self.index.get(shingle, ()):
                votes[number] += 1
        if not votes:
            return None
        best, shared = votes.most_common(1)[0]
        if shared < 0.8 * self.macro_shingles[best]:
            return None
        covered = [False] * len(words)
        for position, found in enumerate(shingles):
            if found is not None and best in self.index.get(found, ()):
                for offset in range(_SHINGLE):
                    covered[position + offset] = True
        added = [w for w, c in zip(words, covered, strict=True) if not c and w and w not in _GREETING]
        return len(added)
