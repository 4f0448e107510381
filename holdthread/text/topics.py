"""What a note is about, in words: a technical defect, or something else (billing, how-to).

missing-repro-steps and missing-expected-actual read only bug escalations and must agree on what
a bug is; when the ticket's type and tags say neither, the words decide. The counts are a feature
of the parsed note, so the second rule reading a note gets them for free.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc

from holdthread.text.lexicon import words
from holdthread.text.phrases import PhraseSet


@dataclass(frozen=True)
class TopicWords:
    """How many defect words and how many other-topic words a text holds."""

    defect: int
    other: int


@cache
def _phrase_sets() -> tuple[PhraseSet, PhraseSet]:
    return PhraseSet({"defect": words("topics.defect")}), PhraseSet({"other": words("topics.other")})


def topic_words(doc: Doc) -> TopicWords:
    """Defect and other-topic words in a tokenised text."""
    defect, other = _phrase_sets()
    return TopicWords(defect.count(doc), other.count(doc))
