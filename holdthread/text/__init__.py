"""The note parsed once: sentences, quotes, code, lists and steps, values, names and signals.

Rules read a :class:`ParsedNote` (``context.note``; ``context.thread_note(comment)`` for earlier
comments) instead of scanning raw text, so every rule sees one answer to "which sentence", "is it
quoted", "is this number part of a link". The shared vocabulary is ``lexicon.yaml``.
"""

from holdthread.text.note import ParsedNote
from holdthread.text.spans import Span, SpanIndex

__all__ = ["ParsedNote", "Span", "SpanIndex"]
