"""Trusted Python patterns answered by RE2 where RE2 gives the same answer, and guarded by it elsewhere.

RE2 runs a linear-time automaton over the text, about ten times faster than :mod:`re` on a note
that matches nothing (most notes). A Python pattern is translated twice:

- an **ASCII** RE2 pattern, for ASCII text: classes, word boundaries and ``$`` mean the same in
  both engines on ASCII text, so for a pattern without look-arounds (which RE2 lacks) RE2 alone
  answers "is there a match?", and for one with look-arounds (dropped) it is a superset;
- a **superset** RE2 pattern, for any text: look-arounds and word boundaries dropped (RE2's ``\\b``
  knows only ASCII words), classes widened to Python's Unicode ``\\s``/``\\w``/``\\d``, and the
  dotted and dotless i added where case is ignored. Wherever Python matches, the superset
  matches, so "RE2 finds nothing" proves "Python finds nothing" and the Python scan is skipped.

tests/test_text_fastmatch.py checks both properties against :mod:`re` on generated inputs. The
guards only make rules faster; a rule's answer is always the Python pattern's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

import re2

#: What Python's Unicode ``\s``, ``\w`` and ``\d`` match beyond RE2's ASCII classes.
_RE2_CLASSES = {
    "s": r"\s\x0b\x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}",
    "w": r"\w\pL\pN\pM",
    "d": r"\d\pN",
}
#: Python's case-insensitive "i" also matches the dotted capital and the dotless small i.
_TURKIC_I = "\u0130\u0131"
_LOOKAROUND = re.compile(r"\(\?<?[=!]")


def re2_translation(pattern: str, flags: int = 0, *, superset: bool = True) -> str:
    """The Python ``pattern`` (compiled with ``flags``) as an RE2 pattern: the superset for any
    text, or (``superset=False``) the exact equivalent on ASCII text. See the module doc."""
    out: list[str] = ["(?m)" if flags & re.MULTILINE else "", "(?s)" if flags & re.DOTALL else ""]
    caseless = superset and bool(flags & re.IGNORECASE or "(?i" in pattern)
    index, size = 0, len(pattern)
    in_class = negated = False
    while index < size:
        char = pattern[index]
        if char == "\\" and index + 1 < size:
            letter = pattern[index + 1]
            if letter in _RE2_CLASSES and not negated:
                out.append(_RE2_CLASSES[letter] if in_class else f"[{_RE2_CLASSES[letter]}]")
            elif letter in "bB" and not in_class and superset:
                pass  # a word boundary: dropped
            elif letter == "Z" and not in_class:
                out.append(r"\z")
            else:
                out.append(pattern[index : index + 2])
            index += 2
        elif in_class:
            out.append(char)
            if char == "]" and caseless and not negated:
                out.append(f"|[{_TURKIC_I}])")  # the class or an i it may stand for (see _TURKIC_I)
            in_class = char != "]"
            negated = negated and in_class
            index += 1
        elif char == "[":
            in_class = True
            negated = pattern.startswith("[^", index)
            out.append("[^" if negated else ("(?:[" if caseless else "["))
            index += 2 if negated else 1
            if index < size and pattern[index] == "]":
                out.append(r"\]")
                index += 1
        elif pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), index):
            index = _group_end(pattern, index)
        elif pattern.startswith("(?", index):
            # a group's name or flags ("(?P<label>", "(?i:") are copied as they are
            marks = (pattern.find(">", index), pattern.find(":", index), pattern.find(")", index))
            end = min((i for i in marks if i != -1), default=index + 1)
            out.append(pattern[index : end + 1])
            index = end + 1
        elif char == "$":
            out.append("$" if flags & re.MULTILINE else r"(?:\n?\z)")
            index += 1
        elif caseless and char in "iI":
            out.append(f"[iI{_TURKIC_I}]")
            index += 1
        else:
            out.append(char)
            index += 1
    return "".join(out)


def re2_superset(pattern: str, flags: int = 0) -> str:
    """An RE2 pattern that matches wherever the Python ``pattern`` matches, on any text."""
    return re2_translation(pattern, flags, superset=True)


def _group_end(pattern: str, start: int) -> int:
    """The index just past the group that opens at ``start`` (escapes and classes skipped)."""
    depth, index, in_class = 0, start, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern.startswith(("[]", "[^]"), index):
                index += 2 if pattern[index + 1] == "]" else 3
                continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return index


def _options(flags: int, *, capture: bool = False) -> Any:
    options = re2.Options()
    options.case_sensitive = not flags & re.IGNORECASE
    options.log_errors = False
    options.never_capture = not capture  # only "is there a match?" is asked: the DFA answers
    options.max_mem = 64 << 20  # room for the DFA of a long alternation, so RE2 does not fall back to its NFA
    return options


def _compile(pattern: str, flags: int) -> Any:
    try:
        return re2.compile(pattern, _options(flags))
    except re2.error:
        return None  # a construct RE2 lacks: Python alone, still correct


class FastPattern:
    """A trusted Python regex with RE2 in front of it (see the module doc)."""

    def __init__(self, pattern: str, flags: int = re.IGNORECASE) -> None:
        self.python = re.compile(pattern, flags)
        self.pattern = pattern
        plain = not flags & re.VERBOSE
        #: For any text: the superset.
        self.guard: Any = _compile(re2_translation(pattern, flags), flags) if plain else None
        #: For ASCII text: exact without look-arounds, and a superset (look-arounds dropped) with them.
        self.ascii: Any = _compile(re2_translation(pattern, flags, superset=False), flags) if plain else None
        self.exact = self.ascii is not None and not _LOOKAROUND.search(pattern)

    def found(self, text: str) -> bool:
        """Whether the pattern matches anywhere; RE2 alone answers when it can."""
        if self.exact and text.isascii():
            return self.ascii.search(text) is not None
        return self.possible(text) and self.python.search(text) is not None

    def possible(self, text: str) -> bool:
        """False only when the pattern cannot match ``text``."""
        guard = self.ascii if text.isascii() else self.guard
        return guard is None or guard.search(text) is not None

    def search(self, text: str) -> re.Match[str] | None:
        return self.python.search(text) if self.possible(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.python.finditer(text) if self.possible(text) else iter(())


class AnyOf:
    """ "Does any of these patterns match?" in at most two scans: one for the alternatives RE2 can
    answer alone (no look-arounds), and one guarded Python scan for the others."""

    def __init__(self, patterns: Iterable[str], flags: int = re.IGNORECASE) -> None:
        patterns = list(patterns)
        plain = [p for p in patterns if not _LOOKAROUND.search(p)]
        other = [p for p in patterns if _LOOKAROUND.search(p)]
        self.parts = [FastPattern("|".join(group), flags) for group in (plain, other) if group]

    def found(self, text: str) -> bool:
        return any(part.found(text) for part in self.parts)


class PatternSets:
    """Which of several named pattern groups match a text, in one RE2 scan (an RE2 ``Set``) when
    the text is ASCII; each group's patterns in Python (behind their RE2 guard) otherwise, and
    for the patterns RE2 cannot run."""

    def __init__(self, groups: dict[str, list[str]], flags: int = re.IGNORECASE) -> None:
        self.set: Any = re2.Set.SearchSet(_options(flags, capture=True))
        self.owner: list[str] = []
        self.slow: dict[str, AnyOf] = {}
        self.groups = groups
        self.flags = flags
        for name, patterns in groups.items():
            slow = []
            for pattern in patterns:
                exact = None if _LOOKAROUND.search(pattern) else re2_translation(pattern, flags, superset=False)
                if exact is not None and self.set.Add(exact) >= 0:
                    self.owner.append(name)
                else:
                    slow.append(pattern)
            if slow:
                self.slow[name] = AnyOf(slow, flags)
        self.set.Compile()

    @functools.cached_property
    def every(self) -> dict[str, AnyOf]:
        """Each group's patterns in Python behind their guards: for non-ASCII text (built on first use)."""
        return {name: AnyOf(patterns, self.flags) for name, patterns in self.groups.items() if patterns}

    def found(self, text: str) -> set[str]:
        """The names of the groups with at least one matching pattern."""
        if not text.isascii():
            return {name for name, patterns in self.every.items() if patterns.found(text)}
        names = {self.owner[i] for i in self.set.Match(text) or ()} if self.owner else set()
        for name, patterns in self.slow.items():
            if name not in names and patterns.found(text):
                names.add(name)
        return names
