"""The output-format contract: a formatter receives reports one by one and writes them.

Formats are plugins (``holdthread_formats``); the built-ins (text, json, jsonl, sarif, github)
live in :mod:`holdthread.plugins.formats`. Streaming formats write as reports arrive; whole-run
formats (JSON array, SARIF) collect them and write in :meth:`Formatter.finish`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TextIO

from holdthread.linter.models import Report
from holdthread.linter.sources import Record

if TYPE_CHECKING:
    from holdthread.linter.registry import Registry


class Formatter:
    """Base class of every output format."""

    name: ClassVar[str]
    description: ClassVar[str] = ""

    def __init__(self, stream: TextIO, registry: Registry) -> None:
        self.stream = stream
        self.registry = registry

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
