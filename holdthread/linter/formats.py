"""The output-format contract: a formatter receives reports one by one and writes them.

Formats are plugins (``holdthread_formats``); the built-ins (text, concise, json, jsonl, sarif,
github) live in :mod:`holdthread.plugins.formats`. Streaming formats write as reports arrive;
whole-run formats (JSON array, SARIF) collect them and write in :meth:`Formatter.finish`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, TextIO

from holdthread.linter.models import Report
from holdthread.linter.sources import Record

if TYPE_CHECKING:
    from holdthread.linter.registry import Registry
    from holdthread.linter.rule import Rule

#: Characters that a terminal acts on instead of showing: C0 and C1 controls (escape sequences
#: start with ESC, 0x1b, or CSI, 0x9b), DEL, line and paragraph separators, and the bidirectional
#: controls that reorder what is shown. A tab is harmless and kept.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


class Formatter:
    """Base class of every output format."""

    name: ClassVar[str]
    description: ClassVar[str] = ""

    def __init__(self, stream: TextIO, registry: Registry, *, rules: Mapping[str, type[Rule]] | None = None) -> None:
        self.stream = stream
        self.registry = registry
        #: Every rule that can fire in this run: the plugins' and the policy's own (SARIF lists them).
        self.rules: dict[str, type[Rule]] = dict(registry.rules if rules is None else rules)

    def report(self, report: Report, record: Record) -> None:
        """Write (or keep) the report of one input record."""
        raise NotImplementedError

    def error(self, record: Record) -> None:
        """An input that could not be linted (its ``error`` says where and why).

        The command line always prints it on standard error; a format may also show it where its
        readers look (a CI annotation, a SARIF notification), so a bad input is never mistaken
        for a clean one. The default does nothing.
        """

    def finish(self) -> None:
        """Called once after the last report."""


def report_json(report: Report) -> dict[str, object]:
    """A report as the stable JSON contract (ARCHITECTURE.md, "Output contracts")."""
    return report.model_dump(mode="json")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters shown as escapes (``\\x1b``).

    Notes, file names and ticket ids come from customers and exports; printed raw, an escape
    sequence in them could recolour, rewrite or hide what an agent sees in the terminal.
    """
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)
