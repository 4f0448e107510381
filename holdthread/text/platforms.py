"""Operating systems, devices and browsers named in a note, from the lexicon.

A device is not an operating system: "laptop" or "iPhone" says what the customer holds, not which
OS version runs on it, so the kinds are kept apart. OS release names count as the OS ("Catalina",
"Jammy"); release names that are ordinary words ("precise", "lucid") count only right after the
OS's name ("Ubuntu precise").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

from holdthread.text.lexicon import group

PlatformKind = Literal["os", "device", "browser"]


@dataclass(frozen=True)
class Platform:
    kind: PlatformKind
    start: int
    end: int
    text: str


@cache
def _patterns() -> tuple[tuple[PlatformKind, re.Pattern[str]], ...]:
    ambiguous = group("os_releases_ambiguous")
    return (
        (
            "os",
            re.compile(
                rf"\b{group('operating_systems', 'os_releases')}(?:\s+{ambiguous})?(?:\s+v?\d+(?:\.\d+)*)?\b",
                re.IGNORECASE,
            ),
        ),
        ("device", re.compile(rf"\b{group('devices')}(?:\s+\d+\w*)?\b", re.IGNORECASE)),
        ("browser", re.compile(rf"\b{group('browsers')}(?:\s+v?\d+(?:\.\d+)*)?\b", re.IGNORECASE)),
    )


def find_platforms(text: str) -> Iterator[Platform]:
    """Each OS, device and browser named in ``text``, with its version when one follows."""
    for kind, pattern in _patterns():
        for match in pattern.finditer(text):
            yield Platform(kind, match.start(), match.end(), match.group(0))
