"""Facts about a finding that outputs and baselines share: is it about the whole note, and its identity.

A finding such as "no next-step owner" or "missing: timeline" is about the note as a whole, not
about a phrase in it. Rules point such a finding at the start of the note: its first line (the
built-in rules), the whole text (ticket-level rules) or an empty span (a policy ``occurrence``
rule with too few matches). Outputs show it without reprinting that line, and baselines and
SARIF recognise it by its rule alone, so rewording the note's first sentence does not make it new.

A finding that points at a phrase is recognised by its rule, where it is (ticket and comment)
and a hash of the phrase with case, spacing and punctuation folded, never by offsets or line
numbers, and never by the note text itself (customer text is personal data).
"""

from __future__ import annotations

import hashlib
import re

from holdthread.linter.models import Annotation

_WORD = re.compile(r"\w+")


def is_note_level(annotation: Annotation, text: str | None = None) -> bool:
    """Whether a finding is about the whole note rather than a phrase in it: it has no span, or
    its span starts where the note's text starts.

    ``text`` is the note the finding points into (as the engine linted it), which tells where the
    text starts after leading blank lines (a macro's body, padded to its line in the file). Without
    it, a finding at line 1, column 1 counts, so a finding read back from ``findings.jsonl`` is
    classed as the same finding seen with its note. A phrase that opens the note ("ASAP: ...")
    counts as note-level too: rare, and it is still matched by its rule and place.
    """
    if annotation.start == annotation.end:
        return True
    if text is None:
        return annotation.line == 1 and annotation.column == 1
    return annotation.start == len(text) - len(text.lstrip())


def words(text: str) -> list[str]:
    """The words of ``text``, case-folded: what is left of a phrase once spacing and punctuation go."""
    return _WORD.findall(text.casefold())


def digest(*parts: str | None) -> str:
    """A short, stable hash of ``parts`` (``None`` and ``""`` hash alike)."""
    joined = "\x1f".join("" if part is None else part for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def identity(ticket_id: str, annotation: Annotation, text: str | None = None) -> str:
    """A finding's identity across runs and edits: rule, ticket, comment and the flagged phrase.

    Note-level findings leave the phrase out: their rule, ticket and comment are the identity.
    """
    phrase = "" if is_note_level(annotation, text) else " ".join(words(annotation.text))
    return digest(ticket_id, annotation.comment_id, annotation.rule, phrase)
