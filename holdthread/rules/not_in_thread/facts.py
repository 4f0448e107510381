"""The facts a note states, each with the claims a thread must support: numbers, days, times, names.

A fact is a value of one kind (an order number, an amount, a device, a time...) with its span in
the note. What the thread must hold for the fact to be *stated* is one or more claims: each of its
numbers (by value, so "$13" and "thirteen dollars" agree), its day or time (by calendar and clock,
so "Nov 3" and "11/03" agree), or its name (squashed, so "iPhone XS" and "iphone xs" agree).
Each position of the note belongs to one fact: a number inside an id, a date or a device name is
part of that fact, not a second one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Literal

from holdthread.rules.not_in_thread.shapes import (
    CODE,
    DATE_CUE,
    DIMENSIONS,
    FULL_WEEKDAYS,
    ID_TAIL,
    ORDINARY_WORD_NAMES,
    PATH,
    PHONE,
    PLAN_STOP,
    SHORT_CODE,
    SOFTWARE_NAMES,
    UNITS,
    glued,
    list_marker,
    patterns,
    unit_of,
    word_pairs,
)
from holdthread.text import ParsedNote
from holdthread.text.numbers import same_measure
from holdthread.text.product_names import family_names, squash

FactKind = Literal["identifier", "email", "phone", "error", "software", "device", "amount", "date", "plan", "count"]
FACT_KINDS: tuple[FactKind, ...] = (
    "identifier", "email", "phone", "error", "software", "device", "amount", "date", "plan", "count",
)  # fmt: skip
ClaimType = Literal["number", "minutes", "days", "weekday", "name", "email", "phone", "words"]

_UNIT_KIND: dict[str, FactKind] = {
    "money": "amount",
    "data": "amount",
    "size": "amount",
    "time": "date",
    "percent": "count",
}


@dataclass(frozen=True)
class Claim:
    """One thing the thread must state for a fact to be supported; any of ``values`` will do."""

    type: ClaimType
    values: frozenset[object]
    #: Other ways the thread may state it, as whole words ("my SE" states the iPhone SE).
    terms: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Fact:
    kind: FactKind
    start: int
    end: int
    text: str
    claims: tuple[Claim, ...]
    #: What the value measures or names ("money", "phones", "iphone"): a thread value with the
    #: same unit is the one that can contradict it.
    unit: str | None = None
    #: Reported only when the customer gave another value for the same thing (a count in words:
    #: "two kids" sums up "4 and 5 year olds", so its absence from the thread proves nothing).
    needs_rival: bool = False


class FactReader:
    """Reads the facts of one text (a note, or a thread message when looking for the value that
    contradicts a note's). Each position is read as one fact: the first reader to claim it wins."""

    def __init__(self, note: ParsedNote, *, as_typed: bool = False) -> None:
        self.note = note
        self.text = note.text
        #: Read times as customers type them ("22.35", "1130am"): for the thread's messages.
        self.times = note.typed_times if as_typed else note.times
        #: One flag per character: already part of a fact, a link or a handle.
        self.taken = bytearray(len(note.text))
        # Links, handles and pasted code or logs (the agent's evidence, not the customer's account).
        for start, end in [*note.link_index.spans, *note.mentions, *note.code_blocks]:
            self.taken[start:end] = b"\x01" * (end - start)

    def _take(self, start: int, end: int) -> bool:
        """Claim a span for one fact; False when another fact has part of it already."""
        if any(self.taken[start:end]):
            return False
        self.taken[start:end] = b"\x01" * (end - start)
        return True

    def facts(self, kinds: Collection[str] = FACT_KINDS) -> list[Fact]:
        """The text's facts of ``kinds``. Readers run in order, each claiming its spans (a date's
        digits are no count); the readers of names, plans and quotes run only when asked for."""
        readers: list[Callable[[], Iterator[Fact]]] = [self._emails, self._phones, self._dates, self._times]
        readers += [self._devices] if "device" in kinds else []
        readers += [self._software] if "software" in kinds else []
        readers += [self._paths, self._named_ids, self._codes]
        readers += [self._plans] if "plan" in kinds else []
        readers += [self._quotes] if "error" in kinds else []
        readers += [self._numbers]
        found = [fact for reader in readers for fact in reader() if fact.kind in kinds]
        found.sort(key=lambda f: f.start)
        return found

    def _emails(self) -> Iterator[Fact]:
        for value in self.note.links:
            if value.kind == "email":
                yield Fact(
                    "email", value.start, value.end, value.text, (Claim("email", frozenset({value.text.lower()})),)
                )

    def _phones(self) -> Iterator[Fact]:
        for match in PHONE.finditer(self.text):
            digits = re.sub(r"\D", "", match.group())
            if len(digits) >= 9 and self._take(*match.span()):
                yield Fact("phone", *match.span(), match.group(), (Claim("phone", frozenset({digits[-9:]})),))

    def _dates(self) -> Iterator[Fact]:
        for mention in self.note.dates:
            if (
                "/" in mention.text
                and mention.year is None
                and not DATE_CUE.search(self.text, max(0, mention.start - 12), mention.start)
            ):
                continue  # "24/7", "2/2", "1/3": a date only where the note says it is one
            if self._take(mention.start, mention.end):
                yield Fact("date", mention.start, mention.end, mention.text, (Claim("days", mention.days),))
        for weekday in self.note.weekdays:
            full = weekday.text.lower().rstrip(".").removesuffix("s") in FULL_WEEKDAYS
            if full and self._take(weekday.start, weekday.end):
                yield Fact(
                    "date", weekday.start, weekday.end, weekday.text, (Claim("weekday", frozenset({weekday.weekday})),)
                )

    def _times(self) -> Iterator[Fact]:
        for mention in self.times:
            if self._take(mention.start, mention.end):
                yield Fact("date", mention.start, mention.end, mention.text, (Claim("minutes", mention.minutes),))

    def _devices(self) -> Iterator[Fact]:
        for device in self.note.devices:
            if self._take(device.start, device.end):
                model = device.name.removeprefix(device.line)
                # "my SE" states the iPhone SE; a bare "7" states no iPhone 7 (any number is a 7).
                terms = frozenset({model}) if re.search(r"[a-z]", model) else frozenset()
                claim = Claim("name", frozenset({device.name}), terms)
                yield Fact("device", device.start, device.end, device.text, (claim,), device.line)

    def _software(self) -> Iterator[Fact]:
        if not SOFTWARE_NAMES.found(self.text):
            return  # RE2 says no OS or browser is named: the platform scan is skipped
        for platform in self.note.platforms:
            if platform.kind == "device" or platform.text.split()[0] in ORDINARY_WORD_NAMES:
                continue  # "switch windows": an ordinary word, not the product (which a note capitalises)
            if not self._take(platform.start, platform.end):
                continue
            name = squash(re.sub(r"[\s\d.]+$", "", platform.text) or platform.text)
            claims = [Claim("name", family_names(name))]
            claims += [Claim("number", n.values) for n in self.note.numbers if platform.start <= n.start < platform.end]
            yield Fact("software", platform.start, platform.end, platform.text, tuple(claims), name)

    def _id_fact(self, start: int, end: int) -> Fact:
        code = self.text[start:end]
        before = self.text[max(0, start - 30) : start]
        kind: FactKind = "error" if patterns()[0].search(before) else "identifier"
        digits = re.sub(r"\D", "", code)
        # A code is stated by its digits alone when they say enough ("BA8482" by "8482"), not by one
        # or two ("GEX8DL" is not stated by any "8").
        values = {squash(code), digits} if len(digits) >= 3 else {squash(code)}
        return Fact(kind, start, end, code, (Claim("name", frozenset(values)),), "code")

    def _named_ids(self) -> Iterator[Fact]:
        """A number named as an id by the word before it ("flight 941", "order #48213", "seat 3A")."""
        named = patterns()[3]
        for number in self.note.numbers:
            if number.in_words or not named.search(self.text, max(0, number.start - 24), number.start):
                continue
            token = ID_TAIL.match(self.text, number.start)
            end = token.end() if token else number.end
            if self._take(number.start, end):
                yield self._id_fact(number.start, end)

    def _codes(self) -> Iterator[Fact]:
        for match in CODE.finditer(self.text):
            code = match.group()
            if (sum(c.isalnum() for c in code) < 4 and "-" not in code) or (
                code[0].isalpha() and not any(c.isupper() for c in code)
            ):
                short = SHORT_CODE.fullmatch(code)
                if short and self._take(*match.span()):
                    yield self._short_code(match.start(), match.end(), short)
                continue  # "4G", "P1", "iphone7": names, not codes; "B44", "usb2" only against their like
            if DIMENSIONS.fullmatch(code):
                if self._take(*match.span()):  # "1024x768", "24x14x9": a size, stated by its numbers
                    claims = tuple(Claim("number", frozenset({str(int(n))})) for n in re.findall(r"\d+", code))
                    yield Fact("amount", match.start(), match.end(), code, claims, "size")
                continue
            if re.fullmatch(r"\d+-[A-Za-z]+|\d+h(?:\d+m?)?|\d+m\d+s?", code):
                continue  # "3-dollar", "7-day", "3h23m": a number with its unit, a duration
            if re.fullmatch(r"\d+[a-zA-Z]{1,3}", code) and code.lstrip("0123456789").lower() in (
                *UNITS,
                "st",
                "nd",
                "rd",
                "th",
                "am",
                "pm",
                "k",
            ):
                continue  # "20GB", "3rd", "7pm": a number with its unit
            if self._take(*match.span()):
                yield self._id_fact(*match.span())

    def _short_code(self, start: int, end: int, short: re.Match[str]) -> Fact:
        """A short code ("B44", "usb2", "sda3"): too short to tell from a name by itself, so it is
        reported only against the customer's code of the same shape (the same letters and as many
        digits: "B43", "usb1")."""
        shape = f"short:{short.group(1).lower()}:{len(short.group(2))}"
        claim = Claim("name", frozenset({squash(self.text[start:end])}))
        return Fact("identifier", start, end, self.text[start:end], (claim,), shape, needs_rival=True)

    def _paths(self) -> Iterator[Fact]:
        """File and device paths ("/dev/sda2", "~/Desktop/a.deb"), stated where the thread names them."""
        for match in PATH.finditer(self.text) if "/" in self.text else ():
            if self._take(*match.span()):
                # A path is stated by itself or by its last part ("hda3" states "/dev/hda3").
                claim = Claim("name", frozenset({squash(match.group()), squash(match.group().rsplit("/", 1)[-1])}))
                yield Fact("identifier", match.start(), match.end(), match.group(), (claim,), "path")

    def _plans(self) -> Iterator[Fact]:
        for match in patterns()[1].finditer(self.text):
            words = match.group(1).split()
            sentence = self.note.sentence_index.around(match.start(1))
            if sentence and len(words) > 1 and not self.text[sentence[0] : match.start(1)].strip():
                words.pop(0)  # "Mentions Sapphire status": a sentence's first word is capitalised anyway
            while words and words[0].lower() in PLAN_STOP:
                words.pop(0)
            if not words:
                continue
            start = match.start(1) + match.group(1).index(words[0])
            if self._take(start, match.end(1)):
                yield Fact(
                    "plan",
                    start,
                    match.end(),
                    self.text[start : match.end()],
                    (Claim("name", frozenset({squash(" ".join(words))})),),
                    "plan",
                )

    def _quotes(self) -> Iterator[Fact]:
        for start, end in self.note.quotes:
            pairs = word_pairs(self.text[start:end])
            if pairs and end - start <= 80 and self._take(start, end):
                yield Fact("error", start, end, self.text[start:end], (Claim("words", pairs),), "quote")

    def _numbers(self) -> Iterator[Fact]:
        not_fact = patterns()[2]
        for number in self.note.numbers:
            if number.in_words and ("1" in number.values or self.text[number.end : number.end + 1] == "-"):
                continue  # "one", "first", "third-party", "two-factor": more often words than counts
            if glued(self.text, number.start, number.end) or list_marker(self.text, number.start, number.end):
                continue
            if not_fact.search(self.text, max(0, number.start - 16), number.start):
                continue
            unit, start, end = unit_of(self.text, number.start, number.end)
            if not self._take(number.start, number.end):
                continue
            dotted = any("." in v for v in number.values) and unit is None
            kind: FactKind = _UNIT_KIND.get(unit or "", "software" if dotted else "count")
            word = self.text[number.end : end].strip(" \t+-").lower()
            claim = Claim("number", number.values | same_measure(number.values, word))
            # A count in words sums up a list; a duration or an amount in words is a value like any other.
            yield Fact(
                kind, start, end, self.text[start:end], (claim,), unit, needs_rival=number.in_words and kind == "count"
            )
