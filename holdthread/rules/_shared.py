"""Signals several rules read: sentences, quoted text, concrete details, ordered actions.

Kept in one place so that "is this sentence concrete?" or "is this a list of steps?" has one
answer across rules (vague-language and repeated-ask must agree with missing-repro-steps).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from typing import Any

from ruamel.yaml import YAML

from holdthread.linter.rule import RuleContext

Span = tuple[int, int]


@cache
def load_data(name: str) -> Any:
    """A word list shipped as YAML under ``holdthread/rules/data`` (word lists are data)."""
    text = (resources.files("holdthread.rules") / "data" / f"{name}.yaml").read_text(encoding="utf-8")
    return YAML(typ="safe").load(text)


def phrase_pattern(phrases: Iterable[str]) -> str:
    """An alternation of literal phrases, longest first, tolerant of spacing and apostrophes."""
    parts = []
    for phrase in sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True):
        escaped = re.escape(phrase.lower())
        escaped = escaped.replace(r"\ ", r"\s+").replace("'", "['’]?")
        parts.append(escaped)
    return "|".join(parts) if parts else r"(?!x)x"


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(\[]?[A-Z0-9@#])|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)]|>))|\n")


def sentence_spans(context: RuleContext) -> list[Span]:
    """Sentence spans of the target: spaCy's sentencizer when a Doc is there, else a regex."""
    doc = context.doc
    text = context.text
    if doc is not None and doc.has_annotation("SENT_START"):
        spans = []
        for sent in doc.sents:
            # The sentencizer does not split on line breaks; lists and notes rely on them.
            start = sent.start_char
            for match in re.finditer(r"\n", text[sent.start_char:sent.end_char]):
                end = sent.start_char + match.start()
                if text[start:end].strip():
                    spans.append((start, end))
                start = sent.start_char + match.end()
            if text[start:sent.end_char].strip():
                spans.append((start, sent.end_char))
        return spans
    return regex_sentences(text)


def regex_sentences(text: str) -> list[Span]:
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[start:match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


_QUOTED = re.compile(r"\"[^\"\n]{1,400}\"|“[^”\n]{1,400}”|(?<![A-Za-z])'[^'\n]{3,300}'(?![A-Za-z])|`[^`\n]{1,400}`")
_BLOCKQUOTE = re.compile(r"^[ \t]*>[^\n]*", re.MULTILINE)
_CODE_BLOCK = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)


def quoted_spans(text: str) -> list[Span]:
    """Direct quotes, blockquote lines and code: words that are not the agent's own."""
    spans = [m.span() for m in _QUOTED.finditer(text)]
    spans += [m.span() for m in _BLOCKQUOTE.finditer(text)]
    spans += [m.span() for m in _CODE_BLOCK.finditer(text)]
    return spans


def inside(span: Span, spans: Iterable[Span]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


# Concrete details: what makes a vague word specific, or backs a claim.
CONCRETE = re.compile(
    r"""
    \b(?:[A-Z]{1,5}-?\d{2,}|E\d{2,}|0x[0-9a-fA-F]{2,})\b          # error codes, ticket / incident ids
    | \b[1-5]\d\d\b(?=\s|$|[,.;:)])                               # HTTP statuses
    | \b\d+\.\d+(?:\.\d+)*\b                                      # versions, measurements
    | \b\d{1,2}:\d{2}\b | \b(?:UTC|GMT|CET|PST|EST)\b              # times
    | \b\d{4}-\d{2}-\d{2}\b                                       # dates
    | \b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b
    | \b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b
    | https?://\S+
    | \b\d+(?:,\d{3})*\s*(?:%|ms|s|sec|secs|seconds?|minutes?|mins?|hours?|hrs?|days?|requests?|users?|customers?|accounts?|orders?|tickets?|times|errors?|calls?|attempts?|[KMG]B|workspaces?|tenants?|stores?|seats?|events?|rows?|records?|files?|pages?|devices?)\b
    | \b(?:iOS|Android|Windows|macOS|Chrome|Firefox|Safari|Edge)\s+\d+
    | \b\w+[-_]\w+=\S+                                            # key=value from logs / headers
    | \b(?:HIT|MISS)\b
    """,
    re.VERBOSE,
)
_QUOTED_DETAIL = re.compile(r"[\"“`'][^\"”`'\n]{3,}[\"”`']")


def is_concrete(sentence: str) -> bool:
    """Whether a sentence carries a checkable detail: a code, number, time, version, quote, link."""
    return bool(CONCRETE.search(sentence) or _QUOTED_DETAIL.search(sentence))


# Ordered actions: what a person did, step by step.
ACTION_VERBS = load_data("actions")["verbs"]
_ACTION = "|".join(sorted((re.escape(v) for v in ACTION_VERBS), key=len, reverse=True))
_LIST_ITEM = re.compile(
    r"^[ \t]*(?:(?:step\s*)?\d{1,2}\s*[.):\-]|\d{1,2}\s+(?=[A-Za-z])|[-*•+]|\(?[a-h][.)])\s*(?P<item>[^\n]*)",
    re.IGNORECASE | re.MULTILINE,
)
_SUBJECT = r"(?:(?:i|we|they|he|she|you|customer|the\s+customer|user|the\s+user|agent)\s+(?:then\s+|also\s+|first\s+)?)"
_ITEM_START_ACTION = re.compile(
    rf"^(?:(?:then|and|first|next|finally|now|also|please|try\s+to)\s+)*{_SUBJECT}?(?:{_ACTION})\b",
    re.IGNORECASE,
)
_CLAUSE_ACTION = re.compile(
    rf"(?:^|[,;:(]\s*|\b(?:then|and|and\s+then|after\s+that|afterwards|next|finally|first|once|before|when)\s+|(?:->|→|>|»)\s*)"
    rf"{_SUBJECT}?(?:{_ACTION})\b",
    re.IGNORECASE,
)
_INLINE_NUMBERED = re.compile(
    rf"(?:^|\s|\()(?:step\s*)?\d{{1,2}}\s*[.):]\s+{_SUBJECT}?(?:{_ACTION})\b", re.IGNORECASE
)
_BREADCRUMB = re.compile(r"\w[\w ]{0,30}\s*(?:>|->|→|»)\s*\w[\w ]{0,30}\s*(?:>|->|→|»)\s*\w")


def list_actions(text: str) -> list[Span]:
    """List items (numbered or bulleted) that begin with an action: the steps of a list."""
    found = []
    for match in _LIST_ITEM.finditer(text):
        item = match.group("item").strip().lstrip("*_ ")
        if _ITEM_START_ACTION.match(item):
            found.append(match.span())
    return found


def prose_actions(sentence: str) -> int:
    """How many actions a prose sentence chains ("opened X, switched Y, then reloaded").

    Only actions that start a clause count, so "export" in "says export fails" is not a step.
    """
    return len(_CLAUSE_ACTION.findall(sentence.strip()))


def ordered_actions(text: str, sentences: Iterable[Span]) -> int:
    """The number of ordered actions in a text: list steps, inline numbered steps, or prose."""
    listed = len(list_actions(text))
    inline = len(_INLINE_NUMBERED.findall(text))
    best = max(listed, inline)
    leading = 0  # consecutive sentences that each start with an action ("Open X. Click Y.")
    for start, end in sentences:
        sentence = text[start:end]
        chain = prose_actions(sentence)
        if _BREADCRUMB.search(sentence):
            chain += 1
        best = max(best, chain)
        leading = leading + 1 if _ITEM_START_ACTION.match(sentence.strip()) else 0
        best = max(best, leading)
    return best


def iter_matches(pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    return pattern.finditer(text, start, len(text) if end is None else end)
