"""Product names compared the way people mean them: devices with their model, case and spacing ignored.

"iPhone XS", "iphone xs" and "iPhoneXS" are one device, and "iPhone 7+" is the "iPhone 7 Plus";
but "iPhone X" and "iPhone XS" are two, and so are "Xbox One" and "Xbox 360": the model words
after a product line ("Plus", "Pro", "XL", "One", a model number) are part of the device. A name
is compared in its *squashed* form (lower case, "+" read as "plus", nothing but letters and
digits), so spacing and punctuation never make two names differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from holdthread.text.lexicon import alternation, lexicon, words

_NOT_NAME = re.compile(r"[^0-9a-z]+")
_NAME_WORD = re.compile(r"[^\W_]+\+?")
#: The parts of a word where its case or its digits change: "AskPlayStation" -> Ask, Play, Station.
_NAME_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^\W\d_]+|\+")


def squash(name: str) -> str:
    """A name reduced to what identifies it: "iPhone 7+" -> "iphone7plus", "Xbox One" -> "xboxone"."""
    return _NOT_NAME.sub("", name.lower().replace("+", "plus"))


@cache
def _families() -> dict[str, frozenset[str]]:
    """Each OS family by squashed name, with every member it takes in (members of members too)."""
    direct = {squash(name): [squash(m) for m in members] for name, members in lexicon()["os_families"].items()}

    def members(name: str, seen: frozenset[str]) -> set[str]:
        found = set()
        for member in direct.get(name, []):
            if member not in seen:
                found |= {member} | members(member, seen | {member})
        return found

    return {name: frozenset(members(name, frozenset({name}))) for name in direct}


def family_names(name: str) -> frozenset[str]:
    """A name and every name that states it: "linux" is stated by "ubuntu", "dapper", "debian";
    "macos" by "osx" or "catalina". Squashed, like every compared name."""
    key = squash(name)
    return frozenset({key}) | _families().get(key, frozenset())


def _runs(words: list[str], longest: int) -> set[str]:
    runs: set[str] = set()
    for size in range(1, longest + 1):
        runs.update("".join(words[i : i + size]) for i in range(len(words) - size + 1))
    return runs


def name_runs(text: str, longest: int = 4) -> frozenset[str]:
    """Every run of one to ``longest`` neighbouring words, squashed: the names a text can hold
    ("my iPhone 7 Plus" holds "iphone7plus", "7plus", "iphone"...). Words are read in their parts,
    where case or digits change ("@AskPlayStation" holds "playstation", "TBA566517950000" holds
    "566517950000"), and whole ("LJV0Y5SFRQ"). Looking a name up among them costs one set lookup, whatever the
    text's length."""
    tokens = _NAME_WORD.findall(text)
    parts = [squash(p) for token in tokens for p in _NAME_PART.findall(token)]
    return frozenset(_runs(parts, longest).union(squash(t) for t in tokens))


@dataclass(frozen=True)
class DeviceMention:
    """A device named in a text: its product line ("iphone") and its name with the model
    ("iphone7plus"), both squashed; a brand before the line ("Samsung Galaxy") is not part of it."""

    start: int
    end: int
    text: str
    line: str
    name: str


@cache
def _device_pattern() -> re.Pattern[str]:
    lines = alternation(words("devices.models") + words("devices.brands"))
    # A model number, but not a capacity ("32GB" says how much it holds, not which model it is).
    model = r"(?:(?!\d+\s?[gtm]b\b)\d+[a-z]*\+?|[a-z]\d+[a-z]*|" + alternation(words("device_model_words")) + r")"
    brand = alternation(words("devices.brands"))
    return re.compile(
        rf"(?<![\w@])(?:(?:{brand})\s+)?(({lines})(?:\d+[a-z]*\+?)?(?:[ \t]+{model}(?![\w+])){{0,3}})(?![\w+])",
        re.IGNORECASE,
    )


def find_devices(text: str) -> list[DeviceMention]:
    """Devices named by product line or brand, with the model that follows ("Xbox One",
    "Galaxy S6", "Pixel 2 XL", "iPhone 7+", "iPhone7"). Kinds without a model ("laptop") are not
    names and are left out."""
    found = []
    for match in _device_pattern().finditer(text):
        found.append(
            DeviceMention(match.start(), match.end(), match.group(), squash(match.group(2)), squash(match.group(1)))
        )
    return found
