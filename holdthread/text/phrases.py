"""Phrase lists matched on spaCy tokens, and tokens for texts the engine gave no Doc for.

A PhraseMatcher over ``LOWER`` is far cheaper than a regex alternation of hundreds of phrases,
and token boundaries come for free; it runs in C, once per note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from holdthread.linter.nlp import keep_long_runs_whole


@cache
def _tokenizer() -> Language:
    return keep_long_runs_whole(spacy.blank("en"))


def make_doc(text: str) -> Doc:
    """Tokens for a text (the blank English tokenizer, as the engine uses by default)."""
    return _tokenizer().make_doc(text)


def apostrophe_variants(phrase: str) -> set[str]:
    """ "doesn't", "doesn’t" and "doesnt": how people type one phrase."""
    if "'" not in phrase and "’" not in phrase:
        return {phrase}
    plain = phrase.replace("’", "'")
    return {plain, plain.replace("'", "’"), plain.replace("'", "")}


class PhraseSet:
    """Labelled phrase lists matched on tokens without case, apostrophe variants included."""

    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        maker = _tokenizer()
        self.matcher = PhraseMatcher(maker.vocab, attr="LOWER")
        self.labels: dict[int, str] = {}
        for label, items in phrases.items():
            variants = {v for p in items if p.strip() for v in apostrophe_variants(p.strip().lower())}
            if variants:
                self.matcher.add(label, [maker.make_doc(v) for v in sorted(variants)])
                self.labels[maker.vocab.strings[label]] = label

    def find(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Non-overlapping matches as (start_char, end_char, label), longest first at a position."""
        found: list[tuple[int, int, str]] = []
        taken_until = 0
        for match_id, start, end in sorted(self.matcher(doc), key=lambda m: (m[1], m[1] - m[2])):
            if start < taken_until:
                continue
            last = doc[end - 1]
            found.append((doc[start].idx, last.idx + len(last.text), self.labels[match_id]))
            taken_until = end
        return found

    def count(self, doc: Doc) -> int:
        """How many times any phrase occurs (overlaps counted)."""
        return len(self.matcher(doc))
