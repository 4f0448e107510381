"""One value a detector found: its kind, where it is, and the redacted form to write instead."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    """One value found: its kind, span, and the redacted form to write instead."""

    kind: str
    start: int
    end: int
    redacted: str
