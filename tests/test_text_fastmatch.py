"""The RE2 translations of the rules' trusted patterns agree with Python's ``re`` on the same inputs.

For each pattern a built-in rule runs through :mod:`holdthread.text.fastmatch`: wherever Python
finds a match, the RE2 superset finds one too (so skipping Python when RE2 finds nothing never
drops a finding), and on ASCII text the exact RE2 pattern answers "is there a match?" as Python
does. Inputs are drawn from the patterns themselves (strings that match) and from near misses
built of the patterns' words, digits, separators and the characters where the two engines differ
(Unicode spaces and digits, the dotted and dotless i, the Kelvin sign, the long s).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import holdthread.rules.pii_in_note.detectors as pii
from holdthread import Linter
from holdthread.text.fastmatch import AnyOf, FastPattern, PatternSets, re2_superset

#: Where Python's Unicode-aware ``re`` and RE2's ASCII classes part ways.
_TRICKY = ["ı", "İ", "ſ", "K", "é", "\xa0", "\x0b", "\x1c", "\u2028", "\u3000", "١", "²", "ß", "\n", "\t"]
_PIECES = [" ", ".", ",", ":", "-", "_", "/", "@", "#", "=", "'", '"', "(", ")", "0", "1", "4", "42", "2024", "x", "is"]


def _fast_patterns() -> Iterator[FastPattern]:
    linter = Linter("recommended")
    for active in linter.rules:
        for value in vars(active.rule).values():
            if isinstance(value, FastPattern):
                yield value
            elif isinstance(value, AnyOf):
                yield from value.parts
            elif isinstance(value, PatternSets):
                for group in value.every.values():
                    yield from group.parts
    for value in vars(pii).values():
        if isinstance(value, FastPattern):
            yield value
        elif isinstance(value, AnyOf):
            yield from value.parts


PATTERNS = list({p.pattern + str(p.python.flags): p for p in _fast_patterns()}.values())


def _words(pattern: str) -> list[str]:
    return sorted(set(re.findall(r"[A-Za-z]{2,}", pattern)))[:80] or ["word"]


def _texts(fast: FastPattern) -> st.SearchStrategy[str]:
    pieces = st.sampled_from(_words(fast.pattern) + _PIECES + _TRICKY)
    near_misses = st.lists(pieces, max_size=12).map("".join)
    try:
        matching: st.SearchStrategy[str] = st.from_regex(fast.python)
    except Exception:  # a construct hypothesis cannot generate from (look-behind): near misses only
        return near_misses
    surrounded = st.tuples(near_misses, matching, near_misses).map("".join)
    return st.one_of(surrounded, near_misses)


def _check(fast: FastPattern, text: str) -> None:
    matched = fast.python.search(text) is not None
    if matched and fast.guard is not None:
        assert fast.guard.search(text) is not None, f"RE2 superset misses {text!r} for {fast.pattern!r}"
    if fast.ascii is not None and text.isascii():
        found = fast.ascii.search(text) is not None
        assert found or not matched, f"RE2 for ASCII text misses {text!r} for {fast.pattern!r}"
        assert found == matched or not fast.exact, f"exact RE2 differs on {text!r} for {fast.pattern!r}"
    assert fast.found(text) == matched


def test_every_rule_pattern_is_translated() -> None:
    """The rules' patterns compile under RE2 (no silent fallback to Python for them all)."""
    assert len(PATTERNS) >= 10
    assert all(p.guard is not None for p in PATTERNS)


@pytest.mark.parametrize("fast", PATTERNS, ids=lambda p: p.pattern[:40])
def test_re2_agrees_with_re(fast: FastPattern) -> None:
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(_texts(fast))
    def check(text: str) -> None:
        _check(fast, text)

    check()


@pytest.mark.parametrize(
    ("pattern", "flags", "text"),
    [
        (r"\bknown\s+issue\b", re.IGNORECASE, "éknown issue"),  # a boundary after a non-ASCII letter
        (r"issue\b", re.IGNORECASE, "ıssue"),  # the dotless i, which Python folds to i
        (r"fixed$", 0, "fixed\n"),  # Python's $ matches before a final line break
        (r"a\sb", 0, "a\x0bb"),  # a vertical tab is whitespace to Python
        (r"\d{3}", 0, "١٢٣"),  # Arabic-Indic digits are digits to Python
    ],
)
def test_known_differences_between_the_engines_are_covered(pattern: str, flags: int, text: str) -> None:
    fast = FastPattern(pattern, flags)
    _check(fast, text)


def test_superset_drops_lookarounds_and_boundaries() -> None:
    translated: Any = re2_superset(r"(?<![\w.])\bcard(?!\d)\b", 0)
    assert "(?<" not in translated and "(?!" not in translated and r"\b" not in translated


def test_pattern_sets_agree_with_re_on_any_text() -> None:
    groups = {"time": [r"\b\d{1,2}:\d{2}\b", r"(?<!\w)since\b"], "place": [r"\bsettings\b"]}
    sets = PatternSets(groups)

    @settings(max_examples=150, deadline=None, database=None)
    @given(st.lists(st.sampled_from(["since", "settings", "10:30", " ", "x", "ı", "é", "\xa0", ":"]), max_size=8))
    def check(parts: list[str]) -> None:
        text = "".join(parts)
        expected = {name for name, patterns in groups.items() if any(re.search(p, text, re.I) for p in patterns)}
        assert sets.found(text) == expected

    check()
