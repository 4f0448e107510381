"""What backs a claim: a log line, an error, a link, an id, a time, a measured number.

unsupported-claim asks "is there evidence in this note?", and its message says which kind is
missing, so each kind is one named pattern here. Times and measured numbers read their months,
time zones and units from the lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from holdthread.text.lexicon import COUNTABLES, MONTH, TIME_ZONE, UNITS
from holdthread.text.spans import Span

#: Kinds of evidence, in the order a message lists them, with how each shows in a note.
EVIDENCE_KINDS: dict[str, str] = {
    "log": "log line",
    "error": "error text or code",
    "link": "link",
    "id": "ticket, incident, PR or release id",
    "time": "time or date",
    "number": "measured number",
}

_EVIDENCE: dict[str, re.Pattern[str]] = {
    "log": re.compile(
        r"^[ \t]*\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|^[ \t]*\[?\d{2}:\d{2}:\d{2}"  # timestamped line
        r"|\b(?:ERROR|WARN|WARNING|FATAL|CRITICAL|DEBUG|TRACE)\b\s*[:\]|-]"  # log level (upper case)
        r"|(?i:\b(?:Traceback|Stack\s?trace|stacktrace)\b)|\bat\s+[\w$.]+\([\w.]*:\d+\)"  # stack traces
        r"|\b(?:GET|POST|PUT|PATCH|DELETE)\s+/\S*"  # request lines
        r"|\b[a-z][\w.-]{0,40}[_.-][\w.-]{0,40}=\S+|\b(?:status|code|latency|duration|region|host|user_id|request_id)=\S+"
        r"|```|(?i:\b(?:request|trace|correlation|span)[_ -]?id\s*[:=]?\s*[\w-]{6,})"
        r"|(?i:\b(?:x-[\w-]+|cf-ray|cache-status)\s*:\s*\S+)|\b(?:HIT|MISS)\b"
        r"|(?i:\b(?:Sentry|Datadog|Kibana|Grafana|Splunk|New\s?Relic|CloudWatch|logs?\s+show|log\s+entry|in\s+the\s+logs))\b",
        re.MULTILINE,
    ),
    "error": re.compile(
        r"[\"“`][^\"”`\n]{4,}[\"”`]"  # quoted text
        r"|\b(?:E|ERR|ERR_)[A-Z_]*\d{2,}\b|\bERR_[A-Z_]{3,}\b|\b0x[0-9a-fA-F]{3,}\b"
        r"|\b(?:HTTP|status|returns?|returned|returning|got|getting|gets|throws?|a|an|with)\s*[1-5]\d\d\b"
        r"|\b[1-5]\d\d\s+(?:errors?|responses?|status|from|on|for|when|Internal|Bad|Not|Forbidden|Unauthori[sz]ed|Gateway|Service)\b"
        r"|\b[A-Z][a-zA-Z]+(?:Error|Exception|Fault)\b|\berror\s+(?:code|message)\s*[:=]?\s*\S+",
    ),
    "link": re.compile(r"\bhttps?://\S+|\bwww\.\S+\.\w{2,}", re.IGNORECASE),
    "id": re.compile(
        r"\b[A-Z][A-Z0-9]{1,9}-\d{2,}\b|\bINC\d{3,}\b"
        r"|\b(?:PR|MR|pull\s+request|incident|ticket|case|bug|issue|jira|commit|deploy(?:ment)?)\s*#?\s*[0-9a-f]*\d[0-9a-f]*\b"
        r"|#\d{3,}\b|\b(?:release|build|version|hotfix|patch)\s*v?\d+(?:\.\d+)+\b|\bv\d+\.\d+(?:\.\d+)*\b",
        re.IGNORECASE,
    ),
    "time": re.compile(
        rf"\b\d{{1,2}}:\d{{2}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b{MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{MONTH}(?!\w)"
        rf"|\b\d{{1,2}}\s?(?:am|pm)\b|\b{TIME_ZONE}\b",
        re.IGNORECASE,
    ),
    "number": re.compile(
        rf"\b\d+(?:[.,]\d+)*\s*(?:{UNITS}|{COUNTABLES})(?![\w])|\b\d+\s+(?:of|out\s+of)\s+\d+\b|\b\d+x\b|\b(?:p50|p95|p99)\b",
        re.IGNORECASE,
    ),
}


def evidence_in(text: str, kinds: Iterable[str] = EVIDENCE_KINDS) -> dict[str, Span]:
    """The first span of each kind of evidence found in ``text``, by kind."""
    found: dict[str, Span] = {}
    for kind in kinds:
        match = _EVIDENCE[kind].search(text)
        if match is not None:
            found[kind] = match.span()
    return found


def describe_kinds(kinds: Iterable[str]) -> str:
    """ "log line, link or time or date" for a message."""
    labels = [EVIDENCE_KINDS[k] for k in kinds]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " or " + labels[-1]
