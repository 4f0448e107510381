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
from holdthread.text.asks import Ask, find_asks, find_instructions
from holdthread.text.attempts import find_attempts
from holdthread.text.code import count_test_case_lines
from holdthread.text.datetimes import DateMention, TimeMention, WeekdayMention, find_dates, find_times, find_weekdays
from holdthread.text.mentions import find_mentions
from holdthread.text.numbers import NumberMention, find_numbers, prefixes
from holdthread.text.phrases import make_doc
from holdthread.text.platforms import Platform, find_platforms
from holdthread.text.product_names import DeviceMention, find_devices, name_runs, squash
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

    # --- asks ---------------------------------------------------------------------------------

    @cached_feature
    def asks(self) -> list[Ask]:
        """Every question and request, clause by clause, with what it asks for ("do not share X"
        and "send us an email at <link>" ask for nothing of the kind; see holdthread/text/asks.py)."""
        return find_asks(self.text, self.sentences)

    @cached_feature
    def instructions(self) -> list[Span]:
        """Clauses that tell the reader to do something ("try reinstalling", "restart the router"):
        no ask, but the reply to one reports on it."""
        return find_instructions(self.text, self.sentences)

    @cached_feature
    def attempts(self) -> list[Span]:
        """Sentences in which the writer says they tried or did something ("I restarted it")."""
        return find_attempts(self.text, self.sentences)

    # --- topic --------------------------------------------------------------------------------

    @cached_feature
    def topic_words(self) -> TopicWords:
        """How many words say the note is about a defect, and how many say something else."""
        return topic_words(self.tokens)

    # --- values normalised: numbers, dates, times, product names -----------------------------

    @cached_feature
    def numbers(self) -> list[NumberMention]:
        """Every number, in digits or words, with the values it can mean ("7.500" is 7500 or 7.5)."""
        return find_numbers(self.text)

    @cached_feature
    def number_values(self) -> frozenset[str]:
        """Every value the note's numbers can mean, with the less precise forms of dotted ones
        ("11.1.1" also means 11.1 and 11): "does this note give the number 7500?" is one lookup.
        Digits inside links and @handles are no numbers of the note."""
        skipped = SpanIndex([*self.link_index.spans, *self.mentions])
        found: set[str] = set()
        for number in self.numbers:
            if not skipped.overlaps(number.start, number.end):
                found.update(number.values, *(prefixes(value) for value in number.values))
        return frozenset(found)

    @cached_feature
    def times(self) -> list[TimeMention]:
        """Clock times ("22:12", "7pm"), each with the minutes after midnight it can mean."""
        return find_times(self.text)

    @cached_feature
    def typed_times(self) -> list[TimeMention]:
        """Clock times also as customers type them ("22.12", "1130am"): for reading a thread."""
        return find_times(self.text, loose=True)

    @cached_feature
    def dates(self) -> list[DateMention]:
        """Calendar dates ("Nov 3", "2026-11-03", "11/03"), each with the days it can mean."""
        return find_dates(self.text)

    @cached_feature
    def weekdays(self) -> list[WeekdayMention]:
        """Weekdays named ("Friday", "Fri")."""
        return find_weekdays(self.text)

    @cached_feature
    def devices(self) -> list[DeviceMention]:
        """Devices named with their model ("iPhone 7 Plus", "Xbox One")."""
        return find_devices(self.text)

    @cached_feature
    def squashed(self) -> str:
        """The text as names are compared: lower case, letters and digits only ("iPhone XS" ->
        "iphonexs"), for "does this text name it at all?". Links count: a customer who links a
        guide for "Dapper" has named Dapper."""
        return squash(self.text)

    @cached_feature
    def name_runs(self) -> frozenset[str]:
        """Runs of up to four words, squashed as names are compared ("iPhone XS" -> "iphonexs"):
        "does this text name it?" is one set lookup."""
        return name_runs(self.text)
