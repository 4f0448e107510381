"""Errors that reach users: each says where (file, line, column or JSON path) and why."""

from __future__ import annotations

from dataclasses import dataclass


class HoldthreadError(Exception):
    """Base class of every error holdthread reports to a user (exit code 2 on the command line)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a policy or an input, with its location."""

    source: str
    message: str
    line: int | None = None
    column: int | None = None
    path: str = ""

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"


class ProblemsError(HoldthreadError):
    """An error made of one or more located problems, reported together."""

    kind = "error"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class PolicyError(ProblemsError):
    """The policy is invalid: unknown keys or rules, bad values, broken ``extends``."""


class InputError(ProblemsError):
    """An input (note, ticket, check request, export record) cannot be linted."""


class PipelineNotInstalledError(HoldthreadError):
    """The policy needs a trained spaCy pipeline that is not installed."""


class UnknownRuleError(HoldthreadError):
    """A rule id given on the command line or to the API does not exist."""


class RuleError(HoldthreadError):
    """A rule raised an exception: a bug in that rule, reported with the rule and plugin named.

    The message names where in the rule's code it failed, never the note's text (customer text
    is personal data and must not reach logs).
    """
