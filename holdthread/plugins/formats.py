"""Built-in output formats: text for people, JSON/JSONL for machines, SARIF and GitHub for CI."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any, ClassVar
from urllib.parse import quote

from holdthread import __version__
from holdthread.linter.formats import Formatter, report_json
from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Annotation, Report
from holdthread.linter.sources import Record

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
DOCS_URL = "https://holdthread.readthedocs.io/en/latest/rules/{rule}/"


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
    return f"{where}:{annotation.line}:{annotation.column}"


class TextFormatter(Formatter):
    """``path:line:col: severity[rule] message``, the suggestion below; a summary at the end."""

    name = "text"
    description = "human-readable lines, one per finding, with suggestions and a summary"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.totals: dict[str, int] = {}
        self.inputs = 0
        self.failed = 0

    def report(self, report: Report, record: Record) -> None:
        self.inputs += 1
        for a in report.annotations:
            self.totals[a.severity] = self.totals.get(a.severity, 0) + 1
            self.stream.write(f"{_location(a, record)}: {a.severity}[{a.rule}] {a.message}\n")
            if a.text:
                self.stream.write(f"    | {a.text!s}\n" if "\n" not in a.text else f"    | {a.text.splitlines()[0]}…\n")
            if a.suggestion:
                self.stream.write(f"    = help: {a.suggestion}\n")
            for e in a.evidence:
                where = f"comment {e.comment_id}" if e.comment_id else "the thread"
                self.stream.write(f"    = evidence: {where}, chars {e.start}-{e.end}: {e.text!r}\n")
        self.stream.write(f"{report.ticket_id}: {report.verdict} (score {report.score})\n")

    def error(self, record: Record) -> None:
        self.failed += 1

    def finish(self) -> None:
        found = sum(self.totals.values())
        if self.failed:
            self.stream.write(
                f"{self.failed} input(s) could not be checked (see the errors on standard error); "
                f"{self.inputs} input(s) checked, {found} problem(s) found.\n"
            )
            return
        if not found:
            self.stream.write(f"All clear: {self.inputs} input(s) checked, no findings.\n")
            return
        parts = ", ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in sorted(self.totals.items()))
        self.stream.write(f"Found {found} problem(s) in {self.inputs} input(s): {parts}.\n")


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
        for a in report.annotations:
            region: dict[str, Any] = {
                "startLine": a.line, "startColumn": a.column,
                "charOffset": a.start, "charLength": a.end - a.start,
            }
            if a.text:
                region["snippet"] = {"text": a.text}
            logical = f"tickets/{report.ticket_id}" + (f"/comments/{a.comment_id}" if a.comment_id else "/draft")
            result: dict[str, Any] = {
                "ruleId": a.rule,
                "level": SARIF_LEVELS[a.severity],
                "message": {"text": a.message + (f" {a.suggestion}" if a.suggestion else "")},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": _artifact_uri(record.source)}, "region": region},
                    "logicalLocations": [{"fullyQualifiedName": logical, "kind": "object"}],
                }],
                "partialFingerprints": {
                    "holdthread/v1": f"{a.rule}:{report.ticket_id}:{a.comment_id}:{a.text.lower()}",
                },
            }
            self.results.append(result)

    def error(self, record: Record) -> None:
        region = {"startLine": record.line} if record.line is not None else None
        location: dict[str, Any] = {"artifactLocation": {"uri": _artifact_uri(record.source)}}
        if region:
            location["region"] = region
        self.notifications.append({
            "level": "error",
            "message": {"text": record.error or "cannot be read"},
            "locations": [{"physicalLocation": location}],
        })

    def finish(self) -> None:
        rules = []
        for rule_id, rule in sorted(self.registry.rules.items()):
            rules.append({
                "id": rule_id,
                "shortDescription": {"text": rule.summary},
                "helpUri": DOCS_URL.format(rule=rule_id),
                "defaultConfiguration": {"level": SARIF_LEVELS[rule.default_severity]},
            })
        log = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "holdthread", "version": __version__,
                                    "informationUri": "https://github.com/holdthread/holdthread", "rules": rules}},
                "invocations": [{
                    "executionSuccessful": not self.notifications,
                    "toolExecutionNotifications": self.notifications,
                }],
                "results": self.results,
            }],
        }
        self.stream.write(json.dumps(log, indent=2, ensure_ascii=False) + "\n")


@hookimpl
def holdthread_formats() -> list[type[Formatter]]:
    return [TextFormatter, JsonFormatter, JsonLinesFormatter, SarifFormatter, GithubFormatter]
