"""Sentences of a note, split the way support notes are written: by line as much as by period.

Notes are line-structured (lists, pasted logs, "Owner: Lee" lines), and spaCy's rule-based
sentencizer does not split on line breaks, so sentences come from a line-aware splitter that
costs about a tenth of the sentencizer (measured with benchmarks/throughput.py). It keeps a
sentence whole across a hard-wrapped line break (mail clients wrap at 72-80 columns) and after an
abbreviation, a title or a list marker ("e.g. the export", "Dr. Brooks", "1. Open Settings").
When a trained pipeline set sentence boundaries on the Doc, those are used, split at line breaks.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from holdthread.text.lexicon import words
from holdthread.text.spans import Span

#: Where a sentence may end: whitespace after ".", "!" or "?" (or after one and a closing quote or
#: bracket) before what can start a sentence, a blank line, a line break before a list item or a
#: quote, or any line break. Every branch starts at a whitespace character, checked first and
#: the look-behinds after it, so the regex engine skips straight to whitespace (a third faster
#: than look-behinds tried at every character).
_SENTENCE_END = re.compile(
    r"\s(?:(?<=[.!?]\s)|(?<=[.!?][\"”')\]]\s))\s*(?=[\"'“(\[]?[A-Za-z0-9@#])"
    r"|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)]|>))|\n"
)
#: Titles before a name ("Dr. Brooks"): their period never ends a sentence, whatever follows.
TITLES = frozenset(words("titles"))
#: Words whose trailing period does not end a sentence ("e.g. the export", "approx. 40").
_ABBREVIATIONS = TITLES | frozenset(words("abbreviations"))
#: A line that fills most of a hard-wrapped column (mail clients and old trackers wrap at 72-80).
_WRAP_WIDTH = 60
_WRAPPED_CONTINUATION = re.compile(r"[ \t]*[a-z(]")
#: A list marker alone before the break ("1. Your practice ID").
_MARKER_ONLY = re.compile(r"[ \t]*(?:\d{1,2}|[a-hA-H])[.)]")


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the word ending at ``end`` is an abbreviation or an initial ("e.g.", "J.")."""
    word = text[max(0, end - 8) : end].rsplit(None, 1)[-1].lower() if end else ""
    return word in _ABBREVIATIONS or (len(word) == 2 and word[0].isalpha())


def _is_wrapped(text: str, newline: int) -> bool:
    """Whether the line break at ``newline`` only wraps a long line ("...by adding\\nthe lines").

    A wrapped sentence goes on in lower case after a line that nearly fills the column and
    does not end a sentence; a short line, or a new line starting in capitals, is a real break.
    """
    line_start = text.rfind("\n", 0, newline) + 1
    line = text[line_start:newline].rstrip()
    return (
        len(line) >= _WRAP_WIDTH
        and line[-1:] not in ".!?:;"
        and _WRAPPED_CONTINUATION.match(text, newline + 1) is not None
    )


def _keeps_sentence(text: str, start: int, end: int) -> bool:
    """Whether a space after a period does not end the sentence: it follows only a list
    marker ("1. Open Settings") or a title ("Dr. Brooks", "Mr. Okafor")."""
    line_start = max(start, text.rfind("\n", 0, end) + 1)
    if _MARKER_ONLY.fullmatch(text, line_start, end):
        return True
    word = text[max(0, end - 6) : end].rsplit(None, 1)[-1].lower() if end else ""
    return word in TITLES


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of ``text`` from the line-aware splitter."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group(0) == "\n" and _is_wrapped(text, match.start()):
            continue
        if match.group(0).strip(" \t") == "" and _keeps_sentence(text, start, match.start()):
            continue
        if (
            text[match.start() - 1 : match.start()] == "."
            and not text[match.end() : match.end() + 1].isupper()
            and match.group(0).strip(" \t") == ""
            and _is_abbreviation(text, match.start())
        ):
            continue  # "e.g. the export": not the end of a sentence
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def doc_sentences(text: str, doc: Doc) -> list[Span]:
    """The trained pipeline's sentence boundaries, split again at line breaks (which the
    sentencizer does not split on, and lists and notes rely on)."""
    spans = []
    for sent in doc.sents:
        start = sent.start_char
        for match in re.finditer(r"\n", text[sent.start_char : sent.end_char]):
            end = sent.start_char + match.start()
            if text[start:end].strip():
                spans.append((start, end))
            start = sent.start_char + match.end()
        if text[start : sent.end_char].strip():
            spans.append((start, sent.end_char))
    return spans


def sentences_of(text: str, doc: Doc | None) -> list[Span]:
    """spaCy's sentence boundaries when the pipeline sets them, else the line-aware splitter."""
    if doc is not None and doc.has_annotation("SENT_START"):
        return doc_sentences(text, doc)
    return split_sentences(text)
