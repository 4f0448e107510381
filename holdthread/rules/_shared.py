"""Signals several rules read: sentences, quoted text, concrete details, ordered actions.

Kept in one place so that "is this sentence concrete?" or "is this a list of steps?" has one
answer across rules (vague-language and repeated-ask must agree with missing-repro-steps).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

import spacy
from ruamel.yaml import YAML
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from holdthread.linter.nlp import keep_long_runs_whole
from holdthread.linter.rule import RuleContext

Span = tuple[int, int]


@cache
def load_data(name: str) -> Any:
    """A word list shipped as YAML under ``holdthread/rules/data`` (word lists are data)."""
    text = (resources.files("holdthread.rules") / "data" / f"{name}.yaml").read_text(encoding="utf-8")
    return YAML(typ="safe").load(text)


@cache
def _pattern_maker() -> Language:
    return keep_long_runs_whole(spacy.blank("en"))


class PhraseSet:
    """Labelled phrase lists matched on spaCy tokens (case-insensitive), in C, not regex.

    A PhraseMatcher over ``LOWER`` is far cheaper than a regex alternation of hundreds of
    phrases, and token boundaries come for free. Apostrophe variants (' ’ and none) are added,
    so "doesn't", "doesn’t" and "doesnt" all match.
    """

    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        maker = _pattern_maker()
        self.matcher = PhraseMatcher(maker.vocab, attr="LOWER")
        self.labels: dict[int, str] = {}
        for label, items in phrases.items():
            variants = {v for p in items if p.strip() for v in _apostrophe_variants(p.strip().lower())}
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
        return len(self.matcher(doc))


def make_doc(text: str) -> Doc:
    """Tokens for a text the engine gave no Doc for (e.g. an earlier comment of the thread)."""
    return _pattern_maker().make_doc(text)


def _apostrophe_variants(phrase: str) -> set[str]:
    if "'" not in phrase and "’" not in phrase:
        return {phrase}
    plain = phrase.replace("’", "'")
    return {plain, plain.replace("'", "’"), plain.replace("'", "")}


def phrase_pattern(phrases: Iterable[str]) -> str:
    """An alternation of literal phrases, longest first, tolerant of spacing and apostrophes."""
    parts = []
    for phrase in sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True):
        escaped = re.escape(phrase.lower())
        escaped = escaped.replace(r"\ ", r"\s+").replace("'", "['’]?")
        parts.append(escaped)
    return "|".join(parts) if parts else r"(?!x)x"


_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"”')\]]))\s+(?=[\"'“(\[]?[A-Za-z0-9@#])"
    r"|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)]|>))|\n"
)
#: Words whose trailing period does not end a sentence ("e.g. the export", "approx. 40").
#: Titles before a name ("Dr. Brooks"): their period never ends a sentence, whatever follows.
_TITLES = frozenset({"dr.", "mr.", "mrs.", "ms.", "prof.", "st.", "mx."})
_ABBREVIATIONS = _TITLES | frozenset({
    "e.g.", "i.e.", "etc.", "vs.", "approx.", "incl.", "excl.", "no.", "nr.",
    "fig.", "ca.", "cf.", "esp.", "min.", "max.", "avg.", "est.", "dept.", "ext.", "ver.", "v.",
})


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the word ending at ``end`` is an abbreviation or an initial ("e.g.", "J.")."""
    word = text[max(0, end - 8):end].rsplit(None, 1)[-1].lower() if end else ""
    return word in _ABBREVIATIONS or (len(word) == 2 and word[0].isalpha())


def sentence_spans(context: RuleContext) -> list[Span]:
    """Sentence spans of the target (computed once per target, whichever rules ask)."""
    return context.note.sentences


def _sentence_spans(context: RuleContext) -> list[Span]:
    """spaCy's sentence boundaries when the pipeline sets them, else the line-aware splitter."""
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


#: A line that fills most of a hard-wrapped column (mail clients and old trackers wrap at 72-80).
_WRAP_WIDTH = 60
_WRAPPED_CONTINUATION = re.compile(r"[ \t]*[a-z(]")


def _is_wrapped(text: str, newline: int) -> bool:
    """Whether the line break at ``newline`` only wraps a long line ("...by adding\nthe lines").

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


#: A list marker alone before the break ("1. Your practice ID"), or a title before a name ("Dr. Brooks").
_MARKER_ONLY = re.compile(r"[ \t]*(?:\d{1,2}|[a-hA-H])[.)]")


def _keeps_sentence(text: str, start: int, end: int) -> bool:
    """Whether a space after a period does not end the sentence: it follows only a list
    marker ("1. Open Settings") or a title ("Dr. Brooks", "Mr. Okafor")."""
    line_start = max(start, text.rfind("\n", 0, end) + 1)
    if _MARKER_ONLY.fullmatch(text, line_start, end):
        return True
    word = text[max(0, end - 6):end].rsplit(None, 1)[-1].lower() if end else ""
    return word in _TITLES


def regex_sentences(text: str) -> list[Span]:
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group(0) == "\n" and _is_wrapped(text, match.start()):
            continue
        if match.group(0).strip(" \t") == "" and _keeps_sentence(text, start, match.start()):
            continue
        if (
            text[match.start() - 1:match.start()] == "."
            and not text[match.end():match.end() + 1].isupper()
            and match.group(0).strip(" \t") == ""
            and _is_abbreviation(text, match.start())
        ):
            continue  # "e.g. the export": not the end of a sentence
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


def first_line(text: str) -> Span:
    """The first non-blank line: where a finding about the whole note points."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    return start, len(text) if end == -1 else end


def inside(span: Span, spans: Iterable[Span]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


class SpanIndex:
    """Spans (sentences, quotes) looked up by position in O(log n); overlapping spans are merged.

    A rule that asked "which sentence holds this phrase?" by scanning every sentence would take
    quadratic time on a note of thousands of short sentences, each with a phrase.
    """

    def __init__(self, spans: Iterable[Span]) -> None:
        merged: list[Span] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self.spans = merged
        self.starts = [start for start, _ in merged]

    def around(self, position: int) -> Span | None:
        """The span that holds ``position``, if any."""
        index = bisect.bisect_right(self.starts, position) - 1
        if index >= 0 and self.spans[index][0] <= position < self.spans[index][1]:
            return self.spans[index]
        return None

    def covers(self, start: int, end: int) -> bool:
        """Whether one span holds all of ``start``..``end``."""
        index = bisect.bisect_right(self.starts, start) - 1
        return index >= 0 and self.spans[index][1] >= end


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
    | \b\d+(?:,\d{3})*\s*(?:%|ms|s|sec|secs|seconds?|minutes?|mins?|hours?|hrs?|days?|requests?|users?|customers?
        |accounts?|orders?|tickets?|times|errors?|calls?|attempts?|[KMG]B|workspaces?|tenants?|stores?|seats?|events?
        |rows?|records?|files?|pages?|devices?)\b
    | \b(?:iOS|Android|Windows|macOS|Chrome|Firefox|Safari|Edge)\s+\d+
    | \b\w{1,40}[-_]\w{1,40}=\S+                                   # key=value from logs / headers
    | \b(?:HIT|MISS)\b
    """,
    re.VERBOSE,
)
#: A quoted string; a single quote counts only outside a word, so "it's ... didn't" is no quote.
_QUOTED_DETAIL = re.compile(r"[\"“`][^\"”`\n]{3,}[\"”`]|(?<![A-Za-z])'[^'\n]{3,}'(?![A-Za-z])")


def is_concrete(sentence: str) -> bool:
    """Whether a sentence carries a checkable detail: a code, number, time, version, quote, link."""
    return bool(CONCRETE.search(sentence) or _QUOTED_DETAIL.search(sentence))


#: What backs a guess: an error code or text, a status, a measurement, a header or log value.
EVIDENCE = re.compile(
    r"""
    \b(?:[A-Z]{1,5}(?:-[A-Z]{1,6})?-?\d{2,}|E\d{2,}|0x[0-9a-fA-F]{2,})\b
    | \b\w{0,60}(?:Error|Exception)\b
    | \b(?:HTTP\s*)?[1-5]\d\d\s+(?:error|errors|response|responses|status)\b | \bHTTP\s*[1-5]\d\d\b
    | https?://\S+
    | \b\d+(?:[.,]\d+)*\s*(?:%|ms|s|sec|secs|seconds?|minutes?|mins?|hours?|h|[KMG]B|requests?|errors?|attempts?
        |failures?|calls?|times|of\s+\d+)\b
    | \b\w{1,40}[-_]\w{1,40}[=:]\s?\S+
    | \b(?:HIT|MISS)\b
    | \blogs?\s+(?:show|shows|showed|say|says)\b
    """,
    re.VERBOSE,
)
#: How many: a count ("3 customers", "4 of 20", "12%"), not a version, date or time.
COUNT = re.compile(
    r"(?<![\w.:/-])\d+(?:,\d{3})*(?:\s*%)?(?![\w:/-]|\.\d)"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|all|every|none)\s+(?:of\s+)?(?:the\s+)?\w+",
    re.IGNORECASE,
)
#: When: a time, date, weekday or deadline.
TIME = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{4}-\d{2}-\d{2}\b|\b(?:UTC|GMT|CET|CEST|PST|PDT|EST|EDT|BST|IST|JST)\b"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:today|tonight|tomorrow|yesterday|EOD|end\s+of\s+day)\b"
    r"|\b(?:since|by|until|before|after)\s+(?:\d|the\s+\d|release|deploy|v\d)|\b\d+\s*(?:am|pm)\b|\bin\s+\d+\s*(?:min|minutes|hours|h|days)\b",
    re.IGNORECASE,
)
SIGNALS: dict[str, Callable[[str], bool]] = {
    "detail": is_concrete,
    "evidence": lambda text: bool(EVIDENCE.search(text) or _QUOTED_DETAIL.search(text)),
    "count": lambda text: bool(COUNT.search(text)),
    "time": lambda text: bool(TIME.search(text)),
}


def redeemed(text: str, signals: Iterable[str]) -> bool:
    """Whether ``text`` carries any of the named signals (detail, evidence, count, time)."""
    return any(SIGNALS[name](text) for name in signals)


# Ordered actions: what a person did, step by step.
ACTION_VERBS = frozenset(v.lower() for v in load_data("actions")["verbs"])
#: A candidate verb; whether it is an action is a set lookup (a 300-way regex alternation is slow).
#: A word right before ":" or "[" labels a line ("configure: error", "make[1]:"), one joined by
#: "/" names a control ("Check/Uncheck", "Request/Response") and one before "id" or "number"
#: names a thing ("request id req_7f3a", "upload ID"): none of them is an action.
_WORD = r"(?P<verb>[A-Za-z][a-z-]*)(?![-\w/]|[ \t]*:|\[|[ \t]+(?i:ids?|numbers?|no\.|\#)(?!\w))"
_LIST_ITEM = re.compile(
    r"^[ \t]*(?:(?:step\s*|#|\()?\d{1,2}\s*[.):\-]|(?:#|\()?\d{1,2}\s+(?=[A-Za-z])|[-*•+]|\(?[a-h][.)]"
    r"|\|[ \t]*\d{1,2}[ \t]*\|)\s*(?P<item>[^\n]*)",
    re.IGNORECASE | re.MULTILINE,
)
_SUBJECT = (
    r"(?:(?:i|we|they|he|she|you|(?:the\s+)?(?:customer|user|player|admin|agent|merchant|patient|driver|employee|"
    r"member|guest|client|caller|tester|rep|requester|cx|cust|rider|courier|teacher|student|parent|owner|manager|"
    r"staff|cashier|nurse|doctor|clinician|receptionist|buyer|seller|host|passenger|travell?er|shopper|subscriber|"
    r"viewer|learner|applicant|tenant|resident|visitor|operator|technician|dispatcher|donor|volunteer|coach|"
    r"candidate|reviewer|approver|person)s?)\s+(?:then\s+|also\s+|first\s+|just\s+)?)"
)
#: A sentence whose subject is a person: "The rider opens ...", "She clicks ...".
_PERSON_SUBJECT = re.compile(rf"(?:(?:then|and|first|next|now)\s+)?(?=\S){_SUBJECT}", re.IGNORECASE)
#: "In the pulldown menu, select ...": where the step happens, before the action.
_LEADING_PLACE = r"(?:(?:in|on|from|at|under|within|inside|via|with)\s+[^,\n]{1,50},\s*)"
_ITEM_START = re.compile(
    rf"^{_LEADING_PLACE}?(?:(?:then|and|first|next|finally|now|also|just|please|try\s+to)\s+)*{_SUBJECT}?{_WORD}\b",
    re.IGNORECASE,
)
_CONNECTOR = r"(?:(?:and\s+)?(?:then|after\s+that|afterwards|next|finally|first|once|before|when)\s+|and\s+)"
_CLAUSE_START = re.compile(
    rf"(?:^|[,;:]\s*|(?<![\w.$])\(\s*|(?:->|→|>|»)\s*|(?<=\s)(?={_CONNECTOR}))\s*{_CONNECTOR}?{_SUBJECT}?{_WORD}\b",
    re.IGNORECASE,
)
_INLINE_NUMBERED = re.compile(
    rf"(?:^|\s|\()(?:(?:step\s*)?\d{{1,2}}\s*[.):]|[a-h]\))\s+{_SUBJECT}?{_WORD}\b", re.IGNORECASE
)
#: A heading that says a list of steps follows ("Steps:", "Repro:", "To reproduce:", "STR:").
_STEPS_HEADING = re.compile(
    r"^[ \t]*(?:#+\s*)?(?:\*\*)?(?:steps(?:\s+to\s+reproduce)?|repro(?:duction)?(?:\s+steps)?|to\s+reproduce|"
    r"how\s+to\s+reproduce|str)(?:\*\*)?\s*:?\s*(?:\*\*)?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
#: "Steps: 1. Schedule ... 2. Let it send 3. Compare": numbered items on a steps line.
_INLINE_STEPS_HEADING = re.compile(
    r"\b(?:steps(?:\s+to\s+reproduce)?|repro(?:\s+steps)?|to\s+reproduce|str|how\s+to\s+(?:see|reproduce|repro)\s+it|"
    r"to\s+see\s+it)\s*:",
    re.IGNORECASE,
)
_INLINE_ITEM = re.compile(r"(?:^|\s)(?:\d{1,2}|[a-h])[.)]\s+\S")
#: "Step 1:" labels the line as a step whatever its first word.
_STEP_LABEL = re.compile(r"^[ \t]*step\s*\d{1,2}\s*[.):\-]", re.IGNORECASE | re.MULTILINE)


#: A command typed at a shell prompt ("$ make install", "C:\\> httpd -k start", "user@host:~# ./run"):
#: a transcript of commands is a sequence of actions.
_PROMPT_LINE = re.compile(
    r"^[ \t]*(?:\$|%|[\w.-]+@[^\s$#>]*[$#>]|[A-Za-z]:\\[^>\n]*>|[\w.-]+[$#>](?=\s))[ \t]*[./\w][^\n]*",
    re.MULTILINE,
)


#: Decides whether the word at a character offset is an action verb.
IsAction = Callable[[str, int], bool]
_AUXILIARIES = frozenset({
    "is", "was", "were", "are", "be", "been", "being", "has", "had", "have", "did", "do", "does", "got",
    "seems", "seemed",
})
_VERB_TAGS = frozenset({"VB", "VBD", "VBN"})


#: Words ending in -ed that start a clause without being something a person did.
_NOT_ACTIONS_ED = frozenset({
    "seemed", "needed", "wanted", "expected", "affected", "related", "limited", "based", "used", "supposed",
    "required", "blocked", "delayed", "failed", "crashed", "stuck", "broken", "confused", "concerned", "interested",
    "attached", "noted", "allowed", "closed", "duplicated", "scheduled", "estimated", "impacted", "reported",
})


def lexicon_is_action(word: str, offset: int) -> bool:
    """The default: the word is in the action-verb list (tokens only, no trained pipeline).

    "re-import" counts as "import", and at the start of a clause a past-tense "-ed" word that
    is not an adjective or an auxiliary ("Reproduced", "Paired it", "Polled the API") counts
    too, so the list need not name every verb support work uses.
    """
    lowered = word.lower()
    if lowered.startswith("re-"):
        lowered = lowered[3:]
    if lowered in ACTION_VERBS:
        return True
    return lowered.endswith("ed") and len(lowered) > 4 and lowered not in _NOT_ACTIONS_ED


def third_person_is_action(word: str, offset: int) -> bool:
    """The lexicon, plus third-person forms ("opens", "scans") for a sentence whose subject is a
    person ("The rider opens the map, scans the code, and taps Unlock"). Elsewhere "tags" or "it
    then waits" is a plural noun or what the program does, so the plain lexicon is used."""
    return lexicon_is_action(word, offset) or _third_person(word.lower()) in ACTION_VERBS


def _actor(text: str, is_action: IsAction) -> IsAction:
    """The lexicon test to use on ``text``: with third-person forms when a person is its subject."""
    if is_action is lexicon_is_action and _PERSON_SUBJECT.match(text):
        return third_person_is_action
    return is_action


def _third_person(word: str) -> str:
    """The base form of a third-person verb ("scans" -> "scan", "pushes" -> "push")."""
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def pos_is_action(doc: Doc) -> IsAction:
    """Part-of-speech variant: any base-form or past verb (needs the trained tagger)."""
    tags = {token.idx: token.tag_ for token in doc}

    def is_action(word: str, offset: int) -> bool:
        return tags.get(offset) in _VERB_TAGS and word.lower() not in _AUXILIARIES

    return is_action


def _verb(match: re.Match[str] | None, base: int, is_action: IsAction) -> bool:
    return match is not None and is_action(match.group("verb"), base + match.start("verb"))


def starts_with_action(text: str, base: int = 0, is_action: IsAction = lexicon_is_action) -> bool:
    """Whether a line or sentence begins with an action ("Click Export", "I opened Settings")."""
    stripped = text.lstrip()
    return _verb(_ITEM_START.match(stripped), base + len(text) - len(stripped), _actor(stripped, is_action))


#: "Settings > Billing > Export": a navigation path is a sequence of actions.
_BREADCRUMB_STEP = re.compile(r"\w\s*(?:>|->|→|»)\s*\w")


def list_actions(text: str, is_action: IsAction = lexicon_is_action) -> list[Span]:
    """List items that are steps: they begin with an action, carry a "Step N:" label, sit in
    the list right under a "Steps:" / "Repro:" heading, in a fenced code block or in a table
    whose header names its steps ("| # | Action | Result |"), or follow an action as the first
    item of their list ("1. POST /v2/quotes ... 2. Response: 504")."""
    headed = (
        _headed_list_lines(text) | _led_list_lines(text, is_action) | _code_list_lines(text) | _step_table_rows(text)
    )
    code = _code_regions(text)
    found = []
    for match in _LIST_ITEM.finditer(text):
        if inside((match.start(), match.start()), code):
            continue
        item_start = match.start("item")
        item = match.group("item")
        skipped = len(item) - len(item.lstrip("*_ `"))
        if (
            (match.start() in headed and not _FACT_ITEM.match(item[skipped:]))
            or _STEP_LABEL.match(text, match.start())
            or starts_with_action(item[skipped:], item_start + skipped, is_action)
        ):
            found.append(match.span())
    return found


#: A unified diff (a pasted patch): its "+" and "-" lines are changes, not bullets.
_DIFF = re.compile(r"^(?:@@ -\d|(?:---|\+\+\+) \S).*?(?=\n[ \t]*\n(?![-+ ])|\Z)", re.MULTILINE | re.DOTALL)
#: A code comment block ("/** ... * @param l ... */"): its "*" lines are not bullets.
_COMMENT_BLOCK = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)


def _code_regions(text: str) -> list[Span]:
    """Pasted patches and code comment blocks, whose line markers look like list bullets."""
    if "/*" not in text and "@@" not in text and "+++" not in text:
        return []
    return [m.span() for m in _DIFF.finditer(text)] + [m.span() for m in _COMMENT_BLOCK.finditer(text)]


#: A list item that records a fact rather than an action, even under "Steps:": a timestamp
#: ("10:03 UTC - query raised"), a date, or a record ("Subject 0107-003 (Vitals form)").
_FACT_ITEM = re.compile(
    r"(?:\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"
    r"|(?:subject|account|user|order|patient|site|station|store|workspace|ticket|case|record|id)\s+#?[A-Z0-9-]{0,40}\d)",
    re.IGNORECASE,
)


def _list_blocks(text: str) -> Iterator[list[re.Match[str]]]:
    """Runs of consecutive list lines."""
    block: list[re.Match[str]] = []
    for match in _LIST_ITEM.finditer(text):
        if block and text[block[-1].end():match.start()].strip():
            yield block
            block = []
        block.append(match)
    if block:
        yield block


def _led_list_lines(text: str, is_action: IsAction) -> set[int]:
    """Lines of a list of two or more items whose first item begins with an action."""
    starts: set[int] = set()
    for block in _list_blocks(text):
        first = block[0]
        item = first.group("item")
        skipped = len(item) - len(item.lstrip("*_ `"))
        if len(block) >= 2 and starts_with_action(item[skipped:], first.start("item") + skipped, is_action):
            starts.update(m.start() for m in block)
    return starts


_NUMBERED_LINE = re.compile(r"^[ \t]*\d{1,2}[.)][ \t]+\S", re.MULTILINE)


def _code_list_lines(text: str) -> set[int]:
    """Numbered lines inside fenced code blocks: a scripted repro."""
    starts: set[int] = set()
    for block in _CODE_BLOCK.finditer(text):
        starts.update(m.start() for m in _NUMBERED_LINE.finditer(text, block.start(), block.end()))
    return starts


#: A Markdown table whose header names its steps: "| # | Action | Result |", "| Step | ... |".
_STEP_TABLE_HEADER = re.compile(r"^[ \t]*\|[^\n]*\b(?:steps?|actions?)\b[^\n]*\|[ \t]*$", re.IGNORECASE | re.MULTILINE)
_TABLE_ROW = re.compile(r"[ \t]*\|[^\n]*")
_TABLE_RULE = re.compile(r"[ \t]*\|[\s:|-]*")


def _step_table_rows(text: str) -> set[int]:
    """Start offsets of the rows of a steps table (each row is one step, whatever its verb)."""
    starts: set[int] = set()
    if "|" not in text:
        return starts
    position = 0
    for header in _STEP_TABLE_HEADER.finditer(text):
        if header.start() < position:
            continue  # a row of the table just read (each row is read once)
        position = header.end() + 1
        while position < len(text):
            line_end = text.find("\n", position)
            line_end = len(text) if line_end == -1 else line_end
            if not _TABLE_ROW.fullmatch(text, position, line_end):
                break
            if not _TABLE_RULE.fullmatch(text, position, line_end):
                starts.add(position)
            position = line_end + 1
    return starts


def _headed_list_lines(text: str) -> set[int]:
    """Start offsets of the list lines that directly follow a steps heading."""
    starts: set[int] = set()
    for heading in _STEPS_HEADING.finditer(text):
        position = heading.end() + 1
        while position < len(text):
            line_end = text.find("\n", position)
            line_end = len(text) if line_end == -1 else line_end
            line = text[position:line_end]
            if not _LIST_ITEM.match(line):
                break
            starts.add(position)
            position = line_end + 1
    return starts


def prose_actions(sentence: str, base: int = 0, is_action: IsAction = lexicon_is_action) -> int:
    """How many actions a prose sentence chains ("opened X, switched Y, then reloaded").

    Only actions that start a clause count, so "export" in "says export fails" is not a step.
    """
    stripped = sentence.lstrip()
    base += len(sentence) - len(stripped)
    stripped = stripped.rstrip()
    is_action = _actor(stripped, is_action)
    return sum(
        1 for m in _CLAUSE_START.finditer(stripped)
        if _verb(m, base, is_action) and not _named_in_series(stripped, m)
    )


def _named_in_series(text: str, match: re.Match[str]) -> bool:
    """A bare base-form word in a comma series names a thing ("popups for change, click, dblclick";
    "Cut, Copy, Paste"); a past-tense one is a terse step ("Reinstalled, rebooted, same error")."""
    return not match.group("verb").lower().endswith("ed") and bool(_NAME_IN_SERIES.match(text, match.end("verb")))


#: What follows a word that stands alone in a series: a comma, "and" or "or".
_NAME_IN_SERIES = re.compile(r"[ \t]*(?:\.\.?)?[ \t]*(?:,|(?:and|or)\b)")


def ordered_actions(
    text: str, sentences: Iterable[Span], is_action: IsAction = lexicon_is_action, *, enough: int | None = None
) -> int:
    """The number of ordered actions in a text: list steps, inline numbered steps, or prose.

    With ``enough``, counting stops as soon as that many are found (the caller only needs to
    know the note has steps), which keeps a note with a list at the top cheap.
    """
    listed = len(list_actions(text, is_action))
    if enough is not None and listed >= enough:
        return listed
    inline = sum(1 for m in _INLINE_NUMBERED.finditer(text) if _verb(m, 0, is_action))
    done_until = -1  # several headings on one line: count that line once
    for heading in _INLINE_STEPS_HEADING.finditer(text):
        if heading.start() < done_until:
            continue
        line_end = text.find("\n", heading.end())
        done_until = len(text) if line_end == -1 else line_end
        inline = max(inline, len(_INLINE_ITEM.findall(text, heading.end(), done_until)))
    best = max(listed, inline, len(_PROMPT_LINE.findall(text)))
    leading = 0  # consecutive sentences that each start with an action ("Open X. Click Y.")
    for start, end in sentences:
        sentence = text[start:end]
        chain = prose_actions(sentence, start, is_action)
        if (">" in sentence or "→" in sentence or "»" in sentence) and len(_BREADCRUMB_STEP.findall(sentence)) >= 2:
            chain += 1
        best = max(best, chain)
        leading = leading + 1 if starts_with_action(sentence, start, is_action) else 0
        best = max(best, leading)
        if enough is not None and best >= enough:
            break
    return best
