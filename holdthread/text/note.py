"""The note parsed once: every feature a rule reads, computed the first time one asks.

The engine builds one :class:`ParsedNote` per target (with the spaCy Doc it made) and one per
earlier comment of the thread, and hands them to every rule through the rule context. Each
feature is computed on first read and kept: a rule pays only for what it reads, and two rules reading the same
feature share one computation. Rules read these instead of scanning the raw text again, so that
"is this inside a quote?", "which sentence is this?" or "is this number part of a link?" has one
answer across rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

from spacy.tokens import Doc

from holdthread.text.actions import IsAction, lexicon_is_action
from holdthread.text.asks import is_ask
from holdthread.text.code import count_test_case_lines
from holdthread.text.mentions import find_mentions
from holdthread.text.phrases import make_doc
from holdthread.text.platforms import Platform, find_platforms
from holdthread.text.quotes import code_blocks, quoted_spans
from holdthread.text.sentences import sentences_of
from holdthread.text.spans import Span, SpanIndex, first_line
from holdthread.text.steps import list_actions, ordered_actions
from holdthread.text.topics import TopicWords, topic_words
from holdthread.text.values import Value, find_links, find_literals, find_values

T = TypeVar("T")


class cached_feature(Generic[T]):
    """A property computed on first read and stored on the instance (``functools.cached_property``
    without the lock Python 3.11 takes on every first read, which 3.12 dropped as useless). A
    note is read by one thread at a time, and the lock cost more than some features do."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> cached_feature[T]: ...

    @overload
    def __get__(self, instance: object, owner: type[Any] | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type[Any] | None = None) -> T | cached_feature[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


class ParsedNote:
    """One note's text and its features (sentences, quotes, values, steps, ...), each computed once."""

    def __init__(self, text: str, doc: Doc | None = None) -> None:
        self.text = text
        #: The Doc the engine built with the active rules' pipeline, if any.
        self.doc = doc

    def __repr__(self) -> str:  # never the text: notes are personal data
        return f"<ParsedNote of {len(self.text)} characters>"

    @cached_feature
    def lower(self) -> str:
        """The text in lower case (for cheap "is this word here at all?" checks)."""
        return self.text.lower()

    @cached_feature
    def tokens(self) -> Doc:
        """The engine's Doc, or the blank English tokenizer's when the engine made none."""
        return self.doc if self.doc is not None else make_doc(self.text)

    @cached_feature
    def first_line(self) -> Span:
        """The first non-blank line: where a finding about the whole note points."""
        return first_line(self.text)

    # --- structure ----------------------------------------------------------------------------

    @cached_feature
    def sentences(self) -> list[Span]:
        """Sentence spans: the trained pipeline's when it set them, else the line-aware splitter."""
        return sentences_of(self.text, self.doc)

    @cached_feature
    def sentence_index(self) -> SpanIndex:
        """Sentences looked up by position ("which sentence holds this phrase?")."""
        return SpanIndex(self.sentences)

    @cached_feature
    def quotes(self) -> list[Span]:
        """Direct quotes, blockquote lines and code: words that are not the writer's own."""
        return quoted_spans(self.text)

    @cached_feature
    def quote_index(self) -> SpanIndex:
        return SpanIndex(self.quotes)

    @cached_feature
    def code_blocks(self) -> list[Span]:
        """Fenced code blocks."""
        return code_blocks(self.text)

    @cached_feature
    def test_case_lines(self) -> int:
        """Lines of source, markup or configuration (a test case), not program output."""
        return count_test_case_lines(self.text)

    # --- steps --------------------------------------------------------------------------------

    @cached_feature
    def list_actions(self) -> list[Span]:
        """List items that are steps (by the action lexicon)."""
        return list_actions(self.text)

    def ordered_actions(self, is_action: IsAction = lexicon_is_action, *, enough: int | None = None) -> int:
        """How many ordered actions the note holds (lists, inline numbers, prose, transcripts);
        with ``enough``, counting stops once that many are found."""
        return ordered_actions(self.text, self.sentences, is_action, enough=enough)

    @cached_feature
    def asks(self) -> list[Span]:
        """Sentences that ask the reader for something (a question mark or a request cue).

        Room for the next step of the text model: what each ask asks for (every ask of a
        multi-ask sentence) and negation ("do not share X" asks for nothing), read once here for
        every rule.
        """
        return [(start, end) for start, end in self.sentences if is_ask(self.text[start:end])]

    # --- values and names ---------------------------------------------------------------------

    @cached_feature
    def values(self) -> list[Value]:
        """Typed values (URLs, emails, packages, IP addresses, paths, dates, times, versions, ids,
        quantities, numbers), each read as one kind: nothing inside a literal is read again."""
        return find_values(self.text, literals=self.literals)

    @cached_feature
    def literals(self) -> list[Value]:
        """What is read as a whole: URLs, emails, package versions (``pkg@1.2.3``), IP addresses,
        file paths and marked versions (``v1.2.3``). No number inside one is a phone, card or id."""
        return find_literals(self.text)

    @cached_feature
    def literal_index(self) -> SpanIndex:
        """Literals by position: "is this number part of a link, a path, an address or a version?"."""
        return SpanIndex(v.span for v in self.literals)

    @cached_feature
    def links(self) -> list[Value]:
        """URLs and email addresses only (cheaper than every value, when that is all a rule needs)."""
        return find_links(self.text)

    @cached_feature
    def link_index(self) -> SpanIndex:
        """URLs and email addresses by position: "is this number part of a link?"."""
        return SpanIndex(v.span for v in self.links)

    @cached_feature
    def mentions(self) -> list[Span]:
        """@mentions of people and handles (not inside links)."""
        return find_mentions(self.text, lambda: self.link_index) if "@" in self.text else []

    @cached_feature
    def platforms(self) -> list[Platform]:
        """Operating systems, devices and browsers named, each with its kind."""
        return list(find_platforms(self.text))

    # --- topic --------------------------------------------------------------------------------

    @cached_feature
    def topic_words(self) -> TopicWords:
        """How many words say the note is about a defect, and how many say something else."""
        return topic_words(self.tokens)
