"""The facts an escalation must carry: the policy's list, built-in signals, and policy patterns.

A fact is shown by built-in regexes (``words.yaml``, trusted, matched with Python behind an RE2
pre-check) and by what a policy adds: plain phrases, or patterns. A policy is untrusted input, so
its patterns are compiled with RE2 (linear time, no catastrophic backtracking), never with
:mod:`re`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import re2
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from holdthread.linter.policy_rules import re2_options, re2_pitfall, regex_error_text
from holdthread.text.spans import Span

BUILTIN_FACTS: tuple[str, ...] = ("impact", "environment", "timeline", "tried")


@dataclass(frozen=True)
class SafePattern:
    """A policy-supplied regex compiled with RE2: matching time is linear in the text."""

    source: str
    compiled: Any

    def search(self, text: str) -> Span | None:
        match = self.compiled.search(text)
        return None if match is None else (match.start(), match.end())


def compile_policy_pattern(pattern: str, *, ignore_case: bool = True) -> SafePattern:
    """Compile an untrusted regex with RE2, or raise a ``ValueError`` (pydantic's, so a policy
    error reads without a "Value error," prefix) saying what RE2 rejected."""
    pitfall = re2_pitfall(pattern)
    if pitfall is not None:
        raise PydanticCustomError("re2_pitfall", f"pattern {pattern!r}: {pitfall}")
    try:
        return SafePattern(pattern, re2.compile(pattern, re2_options(ignore_case)))
    except re2.error as exc:
        detail = regex_error_text(exc)
        raise PydanticCustomError(
            "invalid_pattern",
            f"invalid pattern {pattern!r}: {detail} (policy patterns use RE2 syntax: no look-around or backreferences)",
        ) from None


class Fact(BaseModel):
    """One fact an escalation must carry, and what in a note shows it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        description=("Short id of the fact, used in messages (built-in: impact, environment, timeline, tried)."),
    )
    label: str | None = Field(default=None, description='What the fact is, for the message ("the affected plan").')
    phrases: list[str] = Field(
        default=[],
        description=("Plain phrases that show the fact (matched without case, whole words)."),
    )
    patterns: list[str] = Field(default=[], description="Regexes (RE2 syntax) that show the fact.")
    suggestion: str | None = Field(default=None, description="How to add the fact, for the message.")

    @model_validator(mode="before")
    @classmethod
    def _name_only(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for pattern in value:
            compile_policy_pattern(pattern)  # raises ValueError with RE2's reason
        return value

    @model_validator(mode="after")
    def _has_signals(self) -> Fact:
        if self.name not in BUILTIN_FACTS and not (self.phrases or self.patterns):
            raise ValueError(
                f"fact {self.name!r} is not built in ({', '.join(BUILTIN_FACTS)}); give it `phrases` or `patterns`"
            )
        return self


@dataclass(frozen=True)
class CompiledFact:
    name: str
    label: str
    suggestion: str
    safe: tuple[SafePattern, ...]
