"""Whose fact is it: the customer's (or the ticket's), or the agent's own finding?

A note relays the ticket, so a fact is the customer's unless the note says otherwise. It says
otherwise with a marker: the agent or the team doing something ("I checked", "we told them",
"Checked the promo calendar:"), a system the agent read ("the account shows", "per the ops log"),
or a section for the agent's work ("Agent check:", "Findings:"). A customer marker ("cust says",
"per their tweet", a "Customer:" section) gives the fact back to the customer.

Which marker decides: the nearest one before the fact in its clause (a sentence, or the part of
it after a semicolon); else the section the fact sits in; else the first marker after it in the
same clause ("3 parcels returned since Sept, per the shipping weights", "refund of $25 issued");
else the customer. So "Customer says 11.1; the device record I see shows 11.0.3" gives 11.1 to
the customer and 11.0.3 to the agent.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from holdthread.text import ParsedNote, Span
from holdthread.text.lexicon import alternation

Side = Literal["customer", "agent"]

#: A section label at the start of a line or a sentence ("Agent check:", "- **Customer:**").
_HEADER = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?]\s\s))[ \t]*(?:[-*•>][ \t]*)?(?:\*\*)?([A-Za-z][A-Za-z '’/-]{0,30}?)(?:\*\*)?"
    r"[ \t]*:(?!//)(?:\*\*)?",
    re.MULTILINE,
)
_CLAUSE_END = re.compile(r"[;\n]")
#: Words that make a section label the note writer's own ("My check:", "Our side:").
_FIRST_PERSON = frozenset({"my", "our", "i", "we", "me"})
_ADVERBS = (
    r"(?:(?:\w+ly|also|then|now|already|still|just|first|later|again|have|had|has|['’]ve|did|not|never|are|were|will"
    r"|would|can|could|['’]ll|['’]re)\s+){0,2}"
)
#: What the customer is, as the object of an agent's act ("told them", "asked the customer").
_TO_CUSTOMER = r"(?:them|him|her|the\s+customer|the\s+cust|cust|customer|the\s+caller|the\s+user)\b"
#: Verbs of being and having: "we have 74 minutes" is the customer speaking, not the agent acting.
_STATIVE = r"(?!(?:have|has|had|are|were|was|is|am|be|been|got|get|need|want|wanted)\b)"


@dataclass(frozen=True)
class Markers:
    """Compiled markers of both sides (built once per rule from words.yaml and the options)."""

    customer: re.Pattern[str]
    agent: re.Pattern[str]
    #: What the team did with a value, said after it ("refund of $25 issued"): read only after a fact.
    agent_after: re.Pattern[str]
    customer_sections: frozenset[str]
    agent_sections: frozenset[str]
    #: Systems the agent reads ("log", "tracking"): a section named after one is the agent's.
    agent_sources: frozenset[str]


def compile_markers(words: dict[str, Any], extra: Mapping[str, Sequence[str]]) -> Markers:
    """The two sides' markers from ``attribution_words`` in words.yaml, plus the policy's own
    phrases (the option ``attribution_words: {customer: [...], agent: [...]}``)."""
    customer, agent = words["customer"], words["agent"]
    customer_phrases = [*customer["phrases"], *extra.get("customer", ())]
    agent_phrases = [*agent["phrases"], *extra.get("agent", ())]
    channels = alternation(customer["channels"])
    not_tools = alternation([*customer["subjects"], *customer["channels"]])
    customer_pattern = (
        rf"\b(?:the\s+|our\s+|their\s+)?(?:{alternation(customer['subjects'])})(?:['’]s)?\s+{_ADVERBS}"
        rf"(?:{alternation(customer['verbs'])})\b|\b(?:{alternation(customer_phrases)})\b"
        rf"|\bper\s+(?:the\s+|their\s+|a\s+)?(?:{channels})\b"
    )
    acts = alternation(agent["verbs"])
    to_customer = alternation(agent["verbs_to_customer"])
    agent_pattern = (
        rf"\b(?:i|we)\s+{_ADVERBS}{_STATIVE}[a-z]+\b"
        rf"|\b(?:{alternation(agent['subjects'])})\s+{_ADVERBS}(?:{acts}|{to_customer}|[a-z]+ed|will|can)\b"
        rf"|(?:^|[.;:!?(\n,]|\band\b|\bthen\b)\s*(?:{acts}\b|(?:{to_customer})\s+{_TO_CUSTOMER})"
        rf"|\b(?:{alternation(agent['sources'])})\s+(?:[\w'’]+\s+){{0,2}}(?:{alternation(agent['source_verbs'])})\b"
        rf"|\b(?:{alternation(agent_phrases)})\b"
        # "per Stripe", "according to Salesforce": a tool named as the source (not the customer).
        rf"|\b(?:per|according\s+to)\s+(?:the\s+|our\s+)?(?!(?:{not_tools})\b)(?-i:[A-Z])[\w-]*\b(?!['’]s)"
    )
    return Markers(
        customer=re.compile(customer_pattern, re.IGNORECASE | re.MULTILINE),
        agent=re.compile(agent_pattern, re.IGNORECASE | re.MULTILINE),
        agent_after=re.compile(rf"\b(?:{alternation(agent['done'])})\b", re.IGNORECASE),
        customer_sections=frozenset(s.lower() for s in customer["sections"]),
        agent_sections=frozenset(s.lower() for s in agent["sections"]),
        agent_sources=frozenset(s.lower() for s in agent["sources"]),
    )


class Attribution:
    """Who each position of a note speaks for. Sections are read once per note; markers once per
    sentence, and only for the sentences of facts the thread does not state."""

    def __init__(self, note: ParsedNote, markers: Markers) -> None:
        self.note = note
        self.markers = markers
        self.sections = list(self._sections(note.text, markers))
        self.section_starts = [s for s, _, _ in self.sections]
        #: Where clauses break: semicolons and line ends.
        self.breaks = [m.start() for m in _CLAUSE_END.finditer(note.text)]
        self._by_sentence: dict[Span, tuple[list[int], list[Side], list[int], list[Side]]] = {}

    def _in_sentence(self, sentence: Span) -> tuple[list[int], list[Side], list[int], list[Side]]:
        """The markers of one sentence: (positions, sides) read before a fact, and those read after
        one (which add what the team did: "refund of $25 issued")."""
        cached = self._by_sentence.get(sentence)
        if cached is None:
            text, markers = self.note.text, self.markers
            start, end = max(0, sentence[0] - 2), sentence[1]  # a clause opens after its punctuation
            found: list[tuple[int, Side]] = [
                (m.start(), "customer") for m in markers.customer.finditer(text, start, end)
            ]
            found += [(self._start(m), "agent") for m in markers.agent.finditer(text, start, end)]
            found.sort()
            after = sorted([*found, *((m.start(), "agent") for m in markers.agent_after.finditer(text, start, end))])
            cached = ([p for p, _ in found], [s for _, s in found], [p for p, _ in after], [s for _, s in after])
            self._by_sentence[sentence] = cached
        return cached

    @staticmethod
    def _start(match: re.Match[str]) -> int:
        """Where a marker starts, past the punctuation that opened its clause."""
        text = match.group()
        return match.start() + len(text) - len(text.lstrip(".;:!?(\n, \t"))

    @staticmethod
    def _sections(text: str, markers: Markers) -> Iterable[tuple[int, int, Side | None]]:
        """(start, end, side) of each labelled section ("Agent check: ..."), to the next label
        or the next blank line."""
        heads = [(m.start(), m.end(), m.group(1).strip().lower()) for m in _HEADER.finditer(text)]
        for index, (_, end, label) in enumerate(heads):
            stop = heads[index + 1][0] if index + 1 < len(heads) else len(text)
            blank = text.find("\n\n", end, stop)
            side: Side | None = None
            words = label.split()
            if label in markers.agent_sections or words[-1] in markers.agent_sources or _FIRST_PERSON & set(words):
                side = "agent"  # "Agent check:", a system read ("Ops log:"), the writer's own ("My check:")
            elif label in markers.customer_sections:
                side = "customer"
            yield end, stop if blank == -1 else blank, side

    def side(self, start: int, end: int) -> Side:
        """Whose fact the span ``start``..``end`` states."""
        sentence = self.note.sentence_index.around(start) or (start, end)
        positions, sides, after_positions, after_sides = self._in_sentence(sentence)
        previous = bisect.bisect_left(self.breaks, start) - 1
        clause_start = max(sentence[0], self.breaks[previous] + 1 if previous >= 0 else 0)
        index = bisect.bisect_left(positions, start) - 1
        if index >= 0 and positions[index] >= clause_start:
            return sides[index]
        section = bisect.bisect_right(self.section_starts, start) - 1
        if section >= 0:
            _, section_end, side = self.sections[section]
            if start < section_end and side is not None:
                return side
        following = bisect.bisect_left(self.breaks, end)
        stop = min(sentence[1], self.breaks[following]) if following < len(self.breaks) else sentence[1]
        after = bisect.bisect_left(after_positions, end)
        if after < len(after_positions) and after_positions[after] < stop:
            return after_sides[after]
        return "customer"
