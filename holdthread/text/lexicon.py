"""The shared vocabulary (``lexicon.yaml``) and the pattern pieces built from it.

Every rule that asks "is this a unit / a month / an OS / a device?" builds its pattern from the
same lists, so a word added here is known to all of them at once, and two rules never disagree
about what a value is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from ruamel.yaml import YAML


@cache
def lexicon() -> dict[str, Any]:
    """The parsed ``lexicon.yaml`` (read once per process)."""
    text = (resources.files("holdthread.text") / "lexicon.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = YAML(typ="safe").load(text)
    return data


def words(name: str) -> list[str]:
    """One list of the lexicon by its path: ``"months"``, ``"devices.models"``."""
    node: Any = lexicon()
    for part in name.split("."):
        node = node[part]
    if isinstance(node, dict):
        return [word for values in node.values() for word in values]
    return [str(word) for word in node]


def alternation(items: Iterable[str], *, lower: bool = True) -> str:
    """A regex alternation of literal phrases, longest first; spaces match any whitespace and an
    apostrophe matches ' or ’ or none. With ``lower`` the phrases are lower-cased (for patterns
    matched without case); without it they keep their case (for case-sensitive patterns)."""
    parts = []
    for phrase in sorted({p.strip() for p in items if p.strip()}, key=lambda p: (-len(p), p)):
        escaped = re.escape(phrase.lower() if lower else phrase)
        parts.append(escaped.replace(r"\ ", r"\s+").replace("'", "['’]?"))
    return "|".join(parts) if parts else r"(?!x)x"


def group(*names: str, lower: bool = True) -> str:
    """A non-capturing alternation of the named lexicon lists: ``group("browsers", "devices.models")``."""
    return "(?:" + alternation([w for name in names for w in words(name)], lower=lower) + ")"


_REFERENCE = re.compile(r"\{lexicon:([\w.]+)\}")


def expand(pattern: str) -> str:
    """A pattern from a rule's words.yaml with each ``{lexicon:NAME}`` replaced by that list's
    alternation, so a rule's own patterns name platforms, months or units the shared way."""
    return _REFERENCE.sub(lambda match: group(match.group(1)), pattern)


#: "Jan", "Sept", "November": a month, by its first letters (case as the pattern using it says).
MONTH_WORD = r"(?:" + "|".join(m.capitalize() for m in sorted(words("months"), key=len, reverse=True)) + r")[a-z]*"
#: A month with the period of its abbreviation ("Nov.").
MONTH = MONTH_WORD + r"\.?"
#: A weekday in full ("Monday") or short ("Tue", "Thurs").
WEEKDAY = group("weekdays", "weekday_abbreviations")
#: A time zone abbreviation in capitals.
TIME_ZONE = group("time_zones", lower=False)
#: An operating system or browser by name ("Windows", "macOS", "Chrome"), matched without case.
OS_OR_BROWSER = group("operating_systems", "browsers")
#: A number with what it measures or counts: units, then how often something happened, then things.
UNITS = group("units", lower=False)
OCCURRENCES = group("countables.occurrences", lower=False)
COUNTABLES = group("countables", lower=False)
