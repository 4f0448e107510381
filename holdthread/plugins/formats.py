"""Built-in output formats: text and concise for people, JSON/JSONL for machines, SARIF and GitHub for CI.

Everything people read on a terminal goes through :func:`~holdthread.linter.formats.printable`:
notes, file names and ticket ids come from customers and exports, and may carry escape sequences.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import PurePath
from typing import Any, ClassVar
from urllib.parse import quote

from holdthread import __version__
from holdthread.linter.baseline import note_texts
from holdthread.linter.findings import identity, is_note_level
from holdthread.linter.formats import Formatter, printable, report_json
from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Annotation, Report
from holdthread.linter.sources import Record

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
DOCS_URL = "https://holdthread.readthedocs.io/en/latest/rules/{rule}/"
#: The partialFingerprints key: bump the version whenever what identifies a finding changes.
FINGERPRINT_KEY = "holdthread/v2"


def _artifact_uri(source: str) -> str:
    """A SARIF artifact URI (a relative URI reference) for an input path; stdin is ``stdin``."""
    if source.startswith("<"):
        return source.strip("<>")
    return quote(PurePath(source).as_posix())


def _location(annotation: Annotation, record: Record) -> str:
    where = record.source
    if annotation.comment_id is not None:
        where += f"#comment/{annotation.comment_id}"
    elif record.line is not None:
        where += f":{record.line}"
    return printable(f"{where}:{annotation.line}:{annotation.column}")


def _headline(annotation: Annotation, record: Record) -> str:
    """``path[#comment/ID]:line:col: severity[rule] message``, one line, safe for a terminal."""
    return f"{_location(annotation, record)}: {annotation.severity}[{annotation.rule}] {printable(annotation.message)}"


def _texts(record: Record) -> dict[str | None, str]:
    """The texts the record's findings point into (empty when the record carries no request)."""
    return note_texts(record.request) if record.request is not None else {}


class Totals:
    """Findings counted by severity over a run, and the closing summary line people read."""

    def __init__(self) -> None:
        self.by_severity: Counter[str] = Counter()
        self.inputs = 0
        self.failed = 0

    def add(self, report: Report) -> None:
        self.inputs += 1
        self.by_severity.update(a.severity for a in report.annotations)

    def summary(self) -> str:
        found = sum(self.by_severity.values())
        if self.failed:
            return (
                f"{self.failed} input(s) could not be checked (see the errors on standard error); "
                f"{self.inputs} input(s) checked, {found} problem(s) found.\n"
            )
        if not found:
            return f"All clear: {self.inputs} input(s) checked, no findings.\n"
        parts = ", ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in sorted(self.by_severity.items()))
        return f"Found {found} problem(s) in {self.inputs} input(s): {parts}.\n"


class TextFormatter(Formatter):
    """Each finding with its flagged text, help and evidence; each input's verdict; a summary.

    A finding about the whole note ("no next-step owner") shows no excerpt: it would only reprint
    the note's first line once per missing fact.
    """

    name = "text"
    description = "human-readable: each finding with the flagged text, help and evidence, then a summary"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.totals = Totals()

    def report(self, report: Report, record: Record) -> None:
        self.totals.add(report)
        texts = _texts(record)
        for a in report.annotations:
            self.stream.write(_headline(a, record) + "\n")
            if a.text and not is_note_level(a, texts.get(a.comment_id)):
                first, *rest = a.text.splitlines() or [""]
                self.stream.write(f"    | {printable(first)}{'…' if rest else ''}\n")
            if a.suggestion:
                self.stream.write(f"    = help: {printable(a.suggestion)}\n")
            for e in a.evidence:
                where = printable(f"comment {e.comment_id}" if e.comment_id else "the thread")
                self.stream.write(f"    = evidence: {where}, chars {e.start}-{e.end}: {printable(repr(e.text))}\n")
        self.stream.write(f"{printable(report.ticket_id)}: {report.verdict} (score {report.score})\n")

    def error(self, record: Record) -> None:
        self.totals.failed += 1

    def finish(self) -> None:
        self.stream.write(self.totals.summary())


class ConciseFormatter(TextFormatter):
    """One line per finding (``path:line:col: severity[rule] message``), like ruff's concise output."""

    name = "concise"
    description = "one line per finding, then a summary"

    def report(self, report: Report, record: Record) -> None:
        self.totals.add(report)
        for a in report.annotations:
            self.stream.write(_headline(a, record) + "\n")


class StatisticsFormatter(TextFormatter):
    """``--statistics``: how many findings each rule has, most frequent first (text or JSON)."""

    name = "statistics"
    description = "findings counted per rule"

    def __init__(self, *args: Any, as_json: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.as_json = as_json
        self.counts: Counter[str] = Counter()
        self.severities: dict[str, str] = {}

    def report(self, report: Report, record: Record) -> None:
        self.totals.add(report)
        for a in report.annotations:
            self.counts[a.rule] += 1
            self.severities.setdefault(a.rule, a.severity)

    def rows(self) -> list[dict[str, Any]]:
        ranked = sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))
        return [
            {
                "rule": rule,
                "count": count,
                "severity": self.severities[rule],
                "summary": self.rules[rule].summary if rule in self.rules else "",
            }
            for rule, count in ranked
        ]

    def finish(self) -> None:
        rows = self.rows()
        if self.as_json:
            self.stream.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
            return
        width = max((len(row["rule"]) for row in rows), default=0)
        for row in rows:
            line = f"{row['count']:>6}  {row['severity']:<7}  {row['rule']:<{width}}  {row['summary']}"
            self.stream.write(printable(line.rstrip()) + "\n")
        self.stream.write(self.totals.summary())


class JsonFormatter(Formatter):
    """One JSON object per input (an array when there are several inputs)."""

    name = "json"
    description = "the JSON report contract: one object, or an array of them for several inputs"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reports: list[dict[str, object]] = []

    def report(self, report: Report, record: Record) -> None:
        self.reports.append(report_json(report))

    def finish(self) -> None:
        data: object = self.reports[0] if len(self.reports) == 1 else self.reports
        self.stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


class JsonLinesFormatter(Formatter):
    """One compact JSON report per line, written as each input is checked."""

    name = "jsonl"
    description = "one JSON report per line, streamed"

    def report(self, report: Report, record: Record) -> None:
        self.stream.write(json.dumps(report_json(report), ensure_ascii=False) + "\n")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


class GithubFormatter(Formatter):
    """GitHub Actions workflow commands: ``::error file=..,line=..,col=..,title=..::message``."""

    name = "github"
    description = "GitHub Actions annotations (workflow commands)"
    COMMANDS: ClassVar[dict[str, str]] = {"error": "error", "warning": "warning", "info": "notice"}

    def report(self, report: Report, record: Record) -> None:
        for a in report.annotations:
            end_column = a.column + (a.end - a.start) if "\n" not in a.text else None
            props = [f"file={_escape_property(record.source)}", f"line={a.line}", f"col={a.column}"]
            if end_column is not None:
                props.append(f"endColumn={end_column}")
            props.append(f"title={_escape_property(f'holdthread {a.rule}')}")
            message = a.message + (f" {a.suggestion}" if a.suggestion else "")
            self.stream.write(f"::{self.COMMANDS[a.severity]} {','.join(props)}::{_escape_data(message)}\n")

    def error(self, record: Record) -> None:
        props = [f"file={_escape_property(record.source)}", f"title={_escape_property('holdthread input error')}"]
        if record.line is not None:
            props.insert(1, f"line={record.line}")
        self.stream.write(f"::error {','.join(props)}::{_escape_data(record.error or 'cannot be read')}\n")


class SarifFormatter(Formatter):
    """SARIF 2.1.0, for GitHub code scanning and other CI dashboards."""

    name = "sarif"
    description = "SARIF 2.1.0 log (code scanning)"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.results: list[dict[str, Any]] = []
        self.notifications: list[dict[str, Any]] = []

    def report(self, report: Report, record: Record) -> None:
        texts = _texts(record)
        seen: Counter[str] = Counter()
        for a in report.annotations:
            # The identity baselines use (a hash, never note text), and which occurrence of it this
            # is, as GitHub numbers its own line hashes: two "ASAP" in one note are two results.
            key = identity(report.ticket_id, a, texts.get(a.comment_id))
            seen[key] += 1
            region: dict[str, Any] = {
                "startLine": a.line,
                "startColumn": a.column,
                "charOffset": a.start,
                "charLength": a.end - a.start,
            }
            if a.text:
                region["snippet"] = {"text": a.text}
            logical = f"tickets/{report.ticket_id}" + (f"/comments/{a.comment_id}" if a.comment_id else "/draft")
            result: dict[str, Any] = {
                "ruleId": a.rule,
                "level": SARIF_LEVELS[a.severity],
                "message": {"text": a.message + (f" {a.suggestion}" if a.suggestion else "")},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _artifact_uri(record.source)},
                            "region": region,
                        },
                        "logicalLocations": [{"fullyQualifiedName": logical, "kind": "object"}],
                    }
                ],
                "partialFingerprints": {FINGERPRINT_KEY: f"{key}:{seen[key]}"},
            }
            self.results.append(result)

    def error(self, record: Record) -> None:
        region = {"startLine": record.line} if record.line is not None else None
        location: dict[str, Any] = {"artifactLocation": {"uri": _artifact_uri(record.source)}}
        if region:
            location["region"] = region
        self.notifications.append(
            {
                "level": "error",
                "message": {"text": record.error or "cannot be read"},
                "locations": [{"physicalLocation": location}],
            }
        )

    def finish(self) -> None:
        rules = []
        for rule_id, rule in sorted(self.rules.items()):
            descriptor: dict[str, Any] = {
                "id": rule_id,
                "shortDescription": {"text": rule.summary},
                "defaultConfiguration": {"level": SARIF_LEVELS[rule.default_severity]},
            }
            if rule.plugin.startswith("holdthread."):  # built-in rules have a documentation page
                descriptor["helpUri"] = DOCS_URL.format(rule=rule_id)
            rules.append(descriptor)
        log = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "holdthread",
                            "version": __version__,
                            "informationUri": "https://github.com/holdthread/holdthread",
                            "rules": rules,
                        }
                    },
                    "invocations": [
                        {
                            "executionSuccessful": not self.notifications,
                            "toolExecutionNotifications": self.notifications,
                        }
                    ],
                    "results": self.results,
                }
            ],
        }
        self.stream.write(json.dumps(log, indent=2, ensure_ascii=False) + "\n")


@hookimpl
def holdthread_formats() -> list[type[Formatter]]:
    return [TextFormatter, ConciseFormatter, JsonFormatter, JsonLinesFormatter, SarifFormatter, GithubFormatter]
