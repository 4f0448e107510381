"""Operating systems, devices and browsers named in a note, from the lexicon.

A device is not an operating system: "laptop" or "iPhone" says what the customer holds, not which
OS version runs on it, so the kinds are kept apart. OS release names count as the OS ("Catalina",
"Jammy"); release names that are ordinary words ("precise", "lucid") count only right after the
OS's name ("Ubuntu precise"). A version may follow the name or be written into it ("iOS 11",
"ubuntu9.04", "#ios1103", "win7"); a short name ("win") counts only with its version. A bare
year.month release number ("on 10.10", "my new 11.04 install") names the release too, since that
is how such releases are written. A part inside a computer (a graphics card, a wireless chip) is
a device: its maker or product line ("ATI Radeon 9600", "nVidia") or a chip model ("AR9285").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

from holdthread.text.lexicon import alternation, group, lexicon, words

PlatformKind = Literal["os", "device", "browser"]


@dataclass(frozen=True)
class Platform:
    kind: PlatformKind
    start: int
    end: int
    text: str

    @property
    def versioned(self) -> bool:
        """Whether a version or release comes with the name ("iOS 11", "Windows XP", "10.04")."""
        return any(c.isdigit() for c in self.text) or _RELEASE_WORD.search(self.text) is not None


_VERSION = r"(?:\s*v?\d+(?:\.\d+)*(?!\w))"
_RELEASE_WORD = re.compile(rf"\b{group('os_version_words', 'os_releases', 'os_releases_ambiguous')}\b", re.IGNORECASE)


#: Words after which a bare year.month number is the release one runs ("on 10.10", "my new 11.04").
_BEFORE_RELEASE = (
    r"on|running|run|using|use|installed|install|upgraded\s+to|updated\s+to|had|have|with|new|my|fresh|clean"
)
_AFTER_RELEASE = r"install|installation|release|lts|desktop|server|beta"


@cache
def _patterns() -> tuple[tuple[PlatformKind, re.Pattern[str]], ...]:
    ambiguous = group("os_releases_ambiguous")
    number = str(lexicon()["os_release_number"])
    releases = group("os_version_words")
    named_os = rf"\b{group('operating_systems', 'os_releases')}(?:\s+{ambiguous})?(?:{_VERSION}|\s+{releases}\b)?(?!\w)"
    short_os = rf"\b{group('os_short_names')}(?:{_VERSION}|\s*{releases}\b)"
    bare_release = (
        rf"\b(?:{_BEFORE_RELEASE})\s+(?P<after>{number})(?![\w.])"
        rf"|(?<![\w.])(?P<before>{number})(?=\s+(?:{_AFTER_RELEASE})\b)"
    )
    # A device with its model: "iPhone 6s", "Galaxy Tab S9", "ATI Radeon 9600"; or a chip model.
    device = rf"\b{group('devices')}(?:\s+(?-i:[A-Z][a-z]+\s+)?[A-Za-z]{{0,3}}\d+\w*)?(?!\w)"
    chip = rf"\b(?:{alternation(words('component_models'), lower=False)})\s?\d{{3,5}}[A-Za-z]{{0,3}}\b"
    return (
        ("os", re.compile(f"{named_os}|{short_os}|{bare_release}", re.IGNORECASE)),
        ("device", re.compile(f"{device}|{chip}", re.IGNORECASE)),
        ("browser", re.compile(rf"\b{group('browsers')}(?:\s+v?\d+(?:\.\d+)*)?\b", re.IGNORECASE)),
    )


def find_platforms(text: str) -> Iterator[Platform]:
    """Each OS, device and browser named in ``text``, with its version when one follows."""
    for kind, pattern in _patterns():
        for match in pattern.finditer(text):
            # A bare release number is the number alone, not the word before it.
            name = "after" if kind == "os" and match.group("after") else None
            start, end = match.span(name or 0)
            yield Platform(kind, start, end, text[start:end])
