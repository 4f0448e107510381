"""Asks: the questions and requests of a note, each with what it asks for.

A sentence may hold several asks ("Which model do you have and is iOS 11.1 installed on it?"),
so sentences are cut into clauses first and every clause is read; a clause with no cue of its
own that goes on from an ask ("..., and the OS of your computer") is part of that ask. What a
clause does decides whether it asks for anything:

- a question, a request cue ("could you", "please send", "let us know") or a terse chat
  question ("release?") asks;
- a prohibition or a removal ("please do not share your order number here", "delete this tweet,
  it has your email") asks for nothing: it tells the reader *not* to share something;
- an instruction to do something ("try the steps in this article", "troubleshoot error X",
  "restart the router") is not a request for information; "try X and let us know if it helps"
  asks for the result, and records X as what it asks them to try;
- a request to write to us ("send us an email at <link>", "reach us via <link>") asks them to
  use a channel, not for their address: the channel is not part of what is asked for.

Each :class:`Ask` carries the span of what it asks for (from its cue to its purpose clause, "so
we can find your order"), and, for "have you tried X?", "did you X?", "can you try X?" or "try X
and let us know", the span of X. Rules decide which kinds of information that names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from holdthread.text.lexicon import alternation, words
from holdthread.text.spans import Span

_WORDS = {
    name: alternation(words(f"asks.{name}"))
    for name in ("info_verbs", "request_verbs", "removal_verbs", "share_verbs", "subjects")
}

#: Words that make a clause a request, even without a question mark.
REQUEST_CUE = re.compile(
    r"\b(?:could|can|would|will)\s+(?:you|u)\b|\bplease\b|\bpls\b|\bplz\b|\bkindly\b|"
    r"\b(?:send|dm|message|pm|email|e-mail|text)\s+(?:me|us|over)\b|\bshare\b|\bprovide\b|\bpaste(?:bin)?\b|"
    r"\blet\s+(?:me|us)\s+know\b|\b(?:i|we)(?:'d|\s+would)?\s+(?:need|require)\b|\bneed\s+(?:your|the|to\s+see)\b|"
    r"\breply\s+with\b|\bwhat(?:'s|\s+is|\s+was|\s+are)\s+(?:your|the)\b|\bwhich\b|\bdo\s+you\s+(?:have|know)\b|"
    r"\bmay\s+(?:i|we)\s+(?:have|get|ask)\b|\bconfirm\b|\bcan\s+(?:i|we)\s+(?:get|have|see)\b|\bwould\s+you\s+mind\b|"
    r"\bmind\s+(?:sending|sharing|telling|confirming)\b|\btell\s+(?:me|us)\b|"
    r"\b(?:i|we)\s+(?:still\s+)?(?:don['’]?t|dont|do\s+not|didn['’]?t)\s+(?:understand|know|see|get)\s+(?:what|which|where|how|why)\b|\bin\s+order\s+to\s+(?:help|investigate)\b|\bcheck\s+(?:whether|if|that)\b",
    re.IGNORECASE,
)
#: "so I can find its order number": a purpose, not the thing asked for.
PURPOSE = re.compile(
    r"\bso\s+(?:that\s+)?(?:i|we)\s+(?:can|could|may)\b|\bin\s+order\s+to\b|\bto\s+(?:find|look\s+up|locate|pull\s+up|match)\b",
    re.IGNORECASE,
)
#: Where one ask of a sentence ends and the next may begin: a question mark, a semicolon, or
#: "and" / "also" before a new request or question.
_CLAUSE_END = re.compile(
    r"(?<=\?)\s*|(?<!&[a-z]{2})(?<!&[a-z]{3})(?<!&[a-z]{4});\s*|,\s*(?=(?:and|&)\s)|,\s*(?=(?:and\s+)?also\b)"
    r"|\s+(?=(?:and|&)\s+(?:please\s+)?(?:let|tell|send|share|dm|message|confirm|provide|include|attach|paste|post|reply|"
    r"what|which|whether|is|are|do|does|did|have|has|can|could|would|will|any)\b)",
    re.IGNORECASE,
)
#: What may come before a clause's verb: greetings, the addressed nick, politeness ("Hi Dana,
#: please", "zipper_: could you"). Atomic, so a run of punctuation cannot make it backtrack.
_LEAD = (
    r"(?>(?:\W*(?:@[\w.-]+|hi|hey|hello|ok(?:ay)?|so|and|also|then|now|first|just|please|pls|plz|kindly|"
    r"you\s+(?:may|can|could|might|should)(?:\s+also)?|we\s+(?:recommend|suggest|advise)(?:\s+(?:that\s+)?you)?|"
    r"be\s+sure\s+to|make\s+sure\s+(?:to|you)|for\s+(?:your\s+)?(?:privacy|security|safety)(?:\s+reasons)?|"
    r"in\s+the\s+meantime|meanwhile|(?:just\s+)?to\s+(?:make\s+sure|be\s+sure|check|confirm|clarify))\b|\W*[\w^-]{1,20}[:,](?=\s))*)\W*"
)
#: A clause that tells the reader not to share something, or to remove what they shared.
_PROHIBITION = re.compile(
    rf"\b(?:do\s+not|don['’]?t|never|avoid|refrain\s+from|stop|no\s+need\s+to)\s+(?!hesitate\b)(?:\w+\s+){{0,2}}?"
    rf"(?:{_WORDS['share_verbs']})\b|^{_LEAD}(?:{_WORDS['removal_verbs']})\b",
    re.IGNORECASE,
)
#: A request to write to us: "send us an email at", "email us via", "reach us at", "DM us here",
#: with the channel it names (a link, an address, "here"), which is where to write, not what is asked.
_CONTACT = re.compile(
    r"\b(?:(?:send|drop|shoot|write)\s+(?:us|me)\s+(?:an?\s+|a\s+quick\s+)?(?:e-?mail|dm|direct\s+message|private\s+message|"
    r"message|pm|note|line)|(?:e-?mail|dm|message|pm|contact|reach|write\s+to|call|ring|text)\s+(?:us|me))\b"
    r"(?:\s+(?:at|to|via|through|using|on|by|from)\s+(?:(?:our|the|this|that)\s+)?\S+)?(?:\s+(?:here|below|above))?",
    re.IGNORECASE,
)
#: A request by its verb alone: "ask your question", "paste the output", "tell me the release".
#: Chat addresses a line by the nick alone ("rajiv ask your question"): one word before the verb
#: that is not a subject ("we send", "they post") is read as the person addressed.
_IMPERATIVE = re.compile(
    rf"{_LEAD}(?:(?!(?:{_WORDS['subjects']})\b)[\w^|-]{{2,20}}\s+)?(?:{_WORDS['request_verbs']})\b"
    r"(?!\s+(?:me|us)\s+(?:check|see|look|try))",
    re.IGNORECASE,
)
#: An instruction to do something: a clause that starts with a verb that is not an info verb.
_INFO_HEAD = re.compile(rf"^{_LEAD}(?:{_WORDS['info_verbs']})\b", re.IGNORECASE)
_VERB_HEAD = re.compile(rf"^{_LEAD}(?P<verb>[a-z][a-z'-]+)\b", re.IGNORECASE)
#: "have you tried X", "did you (try) X", "can you try X", "try X": what they are asked to have done.
_TRIED = re.compile(
    r"\b(?:have|had)\s+(?:you|u)\s+(?:already\s+|also\s+|ever\s+)?(?:tried|attempted)\s+(?:to\s+)?(?P<x1>.+)"
    r"|^(?>(?:\W*(?:@[\w.-]+|so|and|but|ok|also|then)\b|\W*[\w^-]{1,20}[:,](?=\s))*)\W*did\s+(?:you|u)\s+(?:already\s+|also\s+|ever\s+|first\s+)?"
    r"(?:try\s+(?:to\s+)?)?(?P<x2>.+)"
    r"|\b(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?try\s+(?:to\s+)?(?P<x3>.+)"
    r"|^(?>(?:\W*(?:@[\w.-]+|please|pls|kindly|first|also)\b|\W*[\w^-]{1,20}[:,](?=\s))*)\W*try\s+(?:to\s+)?(?P<x4>.+)",
    re.IGNORECASE,
)
#: A question without its question mark, as chat writes them: "did you edit the file", "what OS
#: do you use".
_QUESTION_ORDER = re.compile(
    rf"{_LEAD}(?:(?:did|do|does|have|has|are|is|was|were|can|could|will|would)\s+(?:you|u|your|it|the|this|that|there)\b"
    r"|(?:what|which|where|when|how|why|who)\b)",
    re.IGNORECASE,
)
#: Where a question starts asking: "What graphics card do you have?" asks from "What".
_QUESTION_WORD = re.compile(
    r"\b(?:what|which|where|when|how|why|who|whose|is|are|was|were|do|does|did|have|has|can|could|would|will)\b",
    re.IGNORECASE,
)
#: An ask that points at what comes next: "please send:", "pastebin this for me?" before the commands.
_POINTS_ON = re.compile(
    r"(?::|\b(?:this|these|the\s+following|following)(?:\s+(?:for|to)\s+(?:me|us))?\s*[?:]?)\s*$", re.IGNORECASE
)
#: A sentence that asks how something went: "... and let us know if it helps", "... and see whether".
_REPORT = re.compile(
    r"\b(?:let\s+(?:us|me)\s+know|tell\s+(?:us|me)|see|check)\s+(?:if|whether|how)\b|\bif\s+(?:it|that|this)\s+(?:helps|works|fixes)\b",
    re.IGNORECASE,
)
#: "Could you power cycle the modem (and let us know if it helps)?": a fix they are asked to try.
_DO_AND_REPORT = re.compile(
    rf"\b(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?(?P<x5>(?:{alternation(words('action_verbs'))}|power)\b.+)",
    re.IGNORECASE,
)
#: Where what they are asked to have tried ends: "... and let us know", "... to see if".
_TRIED_END = re.compile(r"\s+(?:and|&)\s+(?:let|tell|see|check|report|get\s+back)\b|\s+to\s+see\b|[,;]", re.IGNORECASE)
#: "... and send it to us", "and paste the output": the thing the instruction before made is asked for.
_SEND_IT = re.compile(
    rf"\W*(?:and|&)?\s*(?:then\s+)?(?:please\s+)?(?:{_WORDS['info_verbs']})\s+(?:(?:it|them|this|that|those|the\s+(?:output|results?|file))\b|us\b|me\b)",
    re.IGNORECASE,
)
#: A list item: "- the transaction number", "2. The exact error message".
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+\S")
_TERSE = re.compile(r"\W*(?:[\w^-]{1,20}[:,]\s+)?[\w .+/-]{1,40}\?\s*")


#: An open question about the problem: "how can we help?", "what's the issue?", "ask your question".
_ASKS_FOR_THE_PROBLEM = re.compile(
    r"\bhow\s+(?:can|may|could)\s+(?:i|we)\s+(?:help|assist)\b|\b(?:help|assist)\s+(?:you\s+)?with\s+what\b"
    r"|\b(?:an?|any)\s+(?:issue|problem|question)\s+(?:that\s+)?(?:i|we)\s+can\s+(?:help|assist)\b"
    r"|\bwhat(?:'s|’s|\s+is|\s+seems\s+to\s+be)\s+(?:the|your)\s+(?:actual\s+)?(?:problem|issue|question|trouble)\b"
    r"|\bwhat\s+(?:problems?|issues?|trouble)\s+(?:are\s+you|do\s+you|you)\b"
    r"|\b(?:ask|state|explain|describe|walk\s+(?:me|us)\s+through)\s+(?:the|your)\s+(?:actual\s+)?(?:problem|issue|question)\b"
    r"|\bwhat\s+can\s+(?:i|we)\s+do\s+for\s+you\b"
    r"|\bwhat(?:'s|’s|\s+is)\s+(?:going\s+on|happening)\b"
    r"|\b(?:don'?t|don’t|do\s+not|didn'?t|did\s+not)\s+(?:understand|get|see|know)\s+what\s+(?:the|your)\s+(?:problem|issue|question)\b",
    re.IGNORECASE,
)
#: An ask for more than the customer said: "what exactly", "tell us more", "anything else".
_MORE = re.compile(
    r"\b(?:exactly|specifically|more|else|further|details?|elaborate|precisely|other|feeling)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Ask:
    """One ask of a note: the clause, what it asks for, and what it asks whether they tried."""

    #: The clause, as offsets into the note.
    start: int
    end: int
    #: What it asks for: from its cue (past any "send us an email at <link>") to its purpose; a
    #: clause that goes on from the ask ("..., and the OS of your computer") adds its own span.
    what: tuple[Span, ...]
    #: A question (a question mark), not only a request.
    question: bool
    #: "have you tried X?" / "try X and let us know": the span of X.
    tried: Span | None = None

    @property
    def span(self) -> Span:
        return self.start, self.end


def _clauses(text: str, start: int, end: int) -> Iterator[Span]:
    """The clauses of one sentence: cut at question marks, semicolons and "and" before a new ask."""
    position = start
    for match in _CLAUSE_END.finditer(text, start, end):
        if match.start() > position and text[position : match.start()].strip():
            yield position, match.start()
        position = max(position, match.end())
    if text[position:end].strip():
        yield position, end


def _instruction(clause: str) -> bool:
    """A clause that starts with an action verb that does not ask for information ("restart ...")."""
    if _INFO_HEAD.match(clause):
        return False
    head = _VERB_HEAD.match(clause)
    return head is not None and head.group("verb").lower() in _ACTION_HEADS


_ACTION_HEADS = frozenset(w.lower() for w in words("action_verbs")) | frozenset(words("asks.instruction_verbs"))


def _what(clause: str, offset: int, question: bool) -> tuple[Span, bool]:
    """What a clause asks for (from its cue, or a question's first question word; past a contact
    phrase; up to a purpose clause), and whether it has a cue of its own."""
    cue = REQUEST_CUE.search(clause)
    begin = cue.start() if cue else 0
    first_purpose = PURPOSE.search(clause)
    asking = (
        _QUESTION_WORD.search(clause, 0, first_purpose.start() if first_purpose else len(clause)) if question else None
    )
    if asking is not None and (cue is None or asking.start() < begin):
        begin = asking.start()
    for contact in _CONTACT.finditer(clause):
        begin = max(begin, contact.end())
    purpose = PURPOSE.search(clause, begin)
    limit = purpose.start() if purpose else len(clause)
    return (offset + begin, offset + max(begin, limit)), cue is not None


def _tried(clause: str, offset: int, reports: bool) -> Span | None:
    """What a clause asks them to try or asks whether they did: "have you tried X", "did you X",
    "(can you) try X"; with ``reports`` (the sentence asks how it went), also "could you X"."""
    match = _TRIED.search(clause) or (_DO_AND_REPORT.search(clause) if reports else None)
    if match is None:
        return None
    name = next(n for n in ("x1", "x2", "x3", "x4", "x5") if n in match.re.groupindex and match.group(n) is not None)
    start, end = match.span(name)
    for stop in (PURPOSE.search(clause, start), _TRIED_END.search(clause, start)):
        if stop is not None:
            end = min(end, stop.start())
    text = clause[start:end].rstrip(" ?.!,")
    return (offset + start, offset + start + len(text)) if text else None


def find_asks(text: str, sentences: Iterable[Span]) -> list[Ask]:
    """Every ask of ``text``, clause by clause, in text order."""
    asks: list[Ask] = []
    listing: Ask | None = None  # an ask that points on ("please send:"), which what follows goes on
    list_only = False  # after "please send:" only list items go on; after "paste this?" the next sentence
    for sentence_start, sentence_end in sentences:
        item = _LIST_ITEM.match(text, sentence_start) is not None
        if listing is not None and (item or not list_only):
            listing = asks[-1] = Ask(
                listing.start, sentence_end, (*listing.what, (sentence_start, sentence_end)), listing.question
            )
            listing, list_only = (listing, True) if item else (None, False)
            continue
        listing = None
        previous: Ask | None = None
        instruction: tuple[Span, Span | None] | None = None  # "try X" before "and let us know"
        reports = _REPORT.search(text, sentence_start, sentence_end) is not None
        for start, end in _clauses(text, sentence_start, sentence_end):
            clause = text[start:end]
            question = "?" in clause or _QUESTION_ORDER.match(clause) is not None
            cued = REQUEST_CUE.search(clause) is not None or _IMPERATIVE.match(clause) is not None
            instructs = not question and _instruction(clause)
            if not (question or cued or instructs or previous is not None):
                instruction = None  # most clauses of a reply ask nothing: settled with the fewest scans
                continue
            if _PROHIBITION.search(clause):
                previous, instruction = None, None
                continue
            tried = _tried(clause, start, reports)
            if instructs:
                # An instruction asks for nothing; remember it for "... and send it to us".
                previous, instruction = None, ((start, end), tried)
                continue
            what, _ = _what(clause, start, question)
            continues = previous is not None and not cued and not question
            if not (question or cued or continues):
                previous, instruction = None, None
                continue
            if continues and previous is not None:
                ask = asks[-1] = Ask(previous.start, end, (*previous.what, what), previous.question, previous.tried)
            else:
                spans: tuple[Span, ...] = (what,)
                if instruction is not None and _SEND_IT.match(clause):
                    spans = (instruction[0], what)  # "record a HAR file and send it to us"
                ask = Ask(start, end, spans, question, tried or (instruction[1] if instruction else None))
                asks.append(ask)
            previous, instruction = ask, None
        points_on = _POINTS_ON.search(text, sentence_start, sentence_end)
        if asks and previous is asks[-1] and points_on:
            listing, list_only = previous, points_on.group(0).strip().endswith(":")
    return asks


def find_instructions(text: str, sentences: Iterable[Span]) -> list[Span]:
    """The clauses that tell the reader to do something ("try reinstalling", "restart the router")."""
    return [
        (start, end)
        for sentence_start, sentence_end in sentences
        for start, end in _clauses(text, sentence_start, sentence_end)
        if "?" not in text[start:end] and _instruction(text[start:end]) and not _PROHIBITION.search(text, start, end)
    ]


def is_terse(text: str, ask: Ask) -> bool:
    """A terse chat question: a few words and a question mark ("release?", "ATI or nvidia?")."""
    return ask.question and _TERSE.fullmatch(text, ask.start, ask.end) is not None


def asks_for_the_problem(ask: str) -> bool:
    """Whether an ask is an open question about the problem, not a request for more than the
    customer said ("what exactly happens?", "tell us more", "anything else?")."""
    return _ASKS_FOR_THE_PROBLEM.search(ask) is not None and _MORE.search(ask) is None
