"""What backs a claim, and when something will happen: signals for the issue-5 rules.

unsupported-claim asks "is there evidence in this note?" (a log line, an error text, a link, a
ticket or incident id, a time, a measured number), no-next-step asks "does this say *when*?" and
missing-context asks "does this say when it started?". Each kind of signal is one compiled
pattern here, named, so a message can say which kind is missing and the rules agree on them.

Also: compiling patterns that come from a policy. A policy is untrusted input, so its regexes are
compiled with RE2 (linear time, no catastrophic backtracking), never with :mod:`re`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import re2
from pydantic_core import PydanticCustomError

from holdthread.linter.policy_rules import re2_options, re2_pitfall, regex_error_text

Span = tuple[int, int]

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_UNITS = (
    r"%|ms|s|sec|secs|seconds?|minutes?|mins?|hours?|hrs?|h|days?|requests?|req/s|rps|users?|customers?|accounts?|"
    r"orders?|tickets?|times|errors?|calls?|attempts?|[KMGT]i?B|workspaces?|tenants?|stores?|seats?|events?|rows?|"
    r"records?|files?|pages?|devices?|emails?|messages?|retries|failures|timeouts|transactions?|payments?|invoices?"
)

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
        r"^[ \t]*\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|^[ \t]*\[?\d{2}:\d{2}:\d{2}"       # timestamped line
        r"|\b(?:ERROR|WARN|WARNING|FATAL|CRITICAL|DEBUG|TRACE)\b\s*[:\]|-]"             # log level (upper case)
        r"|(?i:\b(?:Traceback|Stack\s?trace|stacktrace)\b)|\bat\s+[\w$.]+\([\w.]*:\d+\)"  # stack traces
        r"|\b(?:GET|POST|PUT|PATCH|DELETE)\s+/\S*"                                       # request lines
        r"|\b[a-z][\w.-]{0,40}[_.-][\w.-]{0,40}=\S+|\b(?:status|code|latency|duration|region|host|user_id|request_id)=\S+"
        r"|```|(?i:\b(?:request|trace|correlation|span)[_ -]?id\s*[:=]?\s*[\w-]{6,})"
        r"|(?i:\b(?:x-[\w-]+|cf-ray|cache-status)\s*:\s*\S+)|\b(?:HIT|MISS)\b"
        r"|(?i:\b(?:Sentry|Datadog|Kibana|Grafana|Splunk|New\s?Relic|CloudWatch|logs?\s+show|log\s+entry|in\s+the\s+logs))\b",
        re.MULTILINE,
    ),
    "error": re.compile(
        r"[\"“`][^\"”`\n]{4,}[\"”`]"                                                     # quoted text
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
        rf"\b\d{{1,2}}:\d{{2}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}(?!\w)"
        r"|\b\d{1,2}\s?(?:am|pm)\b|\b(?:UTC|GMT|CET|CEST|PST|PDT|EST|EDT|BST)\b",
        re.IGNORECASE,
    ),
    "number": re.compile(
        rf"\b\d+(?:[.,]\d+)*\s*(?:{_UNITS})(?![\w])|\b\d+\s+(?:of|out\s+of)\s+\d+\b|\b\d+x\b|\b(?:p50|p95|p99)\b",
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
    """"log line, link or time or date" for a message."""
    labels = [EVIDENCE_KINDS[k] for k in kinds]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " or " + labels[-1]


# --- when: times and conditions ---------------------------------------------------------------

_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"

#: A moment or deadline: "by 15:00 UTC", "tomorrow", "EOD", "Monday", "in 2 hours", "Nov 28".
WHEN = re.compile(
    rf"\b\d{{1,2}}:\d{{2}}\b|\b\d{{1,2}}\s?(?:am|pm)\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}(?!\w)"
    rf"|\b(?:today|tonight|tomorrow|tmrw|tmr|this\s+(?:morning|afternoon|evening|week)|next\s+(?:week|month|sprint|release|shift)|"
    rf"(?:on|by|before|until|till|this|next|first\s+thing)\s+{_WEEKDAY}|{_WEEKDAY}\s+(?:morning|afternoon|evening)|"
    r"eod|cob|eow|end\s+of\s+(?:day|the\s+day|shift|week|my\s+shift|business)|start\s+of\s+(?:day|shift|business)|"
    r"within\s+(?:\d+|an?|one|two|three|24|48)\s*(?:h|hrs?|hours?|mins?|minutes?|days?|business\s+days?)|"
    r"in\s+(?:\d+|an?|one|two|three|a\s+few|half\s+an)\s*(?:h|hrs?|hours?|mins?|minutes?|days?)|"
    r"(?:every|each)\s+(?:\d+\s*)?(?:h|hours?|mins?|minutes?|days?|morning)|"
    r"by\s+(?:noon|midday|lunch|close|the\s+end\s+of|\d)|(?:after|before)\s+(?:lunch|standup|the\s+weekend)|"
    r"asap\s+(?:and\s+)?(?:no\s+later\s+than|by))\b",
    re.IGNORECASE,
)

#: A condition the next step waits on: "once the fix ships", "when PR #4411 merges", "if no reply".
CONDITION = re.compile(
    r"\b(?:once|as\s+soon\s+as|when(?:ever)?|after|if|unless|until|till|pending|upon|on\s+(?:receipt|reply|merge|deploy|release))\s+"
    r"(?!(?:possible|needed|necessary|required|you\s+can|i\s+can)\b)\w"
    r"|\bwaiting\s+(?:on|for)\b[^.\n;]{3,}?(?:,|;|\s-\s|\s–\s)?\s*(?:then|and\s+then|after\s+which|->|→)\b",
    re.IGNORECASE,
)


# --- patterns from a policy -------------------------------------------------------------------


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


# --- fast matching of trusted patterns ----------------------------------------------------------

#: What Python's Unicode ``\s``, ``\w`` and ``\d`` match beyond RE2's ASCII classes.
_RE2_CLASSES = {
    "s": r"\s\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}",
    "w": r"\w\pL\pN\pM",
    "d": r"\d\pN",
}


def re2_superset(pattern: str) -> str:
    """An RE2 pattern that matches wherever the Python ``pattern`` can: look-arounds dropped, classes widened.

    Dropping a look-around only removes a condition, and the widened classes cover Python's
    Unicode ``\\s``/``\\w``/``\\d``, so a text RE2 finds nothing in is a text Python finds nothing in.
    """
    out: list[str] = []
    index, size = 0, len(pattern)
    in_class = negated = False
    while index < size:
        char = pattern[index]
        if char == "\\" and index + 1 < size:
            letter = pattern[index + 1]
            if letter in _RE2_CLASSES and not negated:
                out.append(_RE2_CLASSES[letter] if in_class else f"[{_RE2_CLASSES[letter]}]")
            else:
                out.append(pattern[index:index + 2])
            index += 2
        elif in_class:
            in_class = char != "]"
            negated = negated and in_class
            out.append(char)
            index += 1
        elif char == "[":
            in_class = True
            negated = pattern.startswith("[^", index)
            out.append("[^" if negated else "[")
            index += 2 if negated else 1
            if index < size and pattern[index] == "]":
                out.append(r"\]")
                index += 1
        elif pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), index):
            index = _group_end(pattern, index)
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _group_end(pattern: str, start: int) -> int:
    """The index just past the group that opens at ``start`` (escapes and classes skipped)."""
    depth, index, in_class = 0, start, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern.startswith(("[]", "[^]"), index):
                index += 2 if pattern[index + 1] == "]" else 3
                continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return index


_LOOKAROUND = re.compile(r"\(\?<?[=!]")


class FastPattern:
    """A trusted Python regex with an RE2 pre-check: most notes match nothing, and RE2 says so ~10x faster.

    RE2 runs a linear-time automaton over the text; only when its superset pattern finds
    something does the Python regex (with its look-arounds) run to give the exact matches.
    """

    def __init__(self, pattern: str, flags: int = re.IGNORECASE) -> None:
        self.python = re.compile(pattern, flags)
        self.pattern = pattern
        options = re2.Options()
        options.case_sensitive = not flags & re.IGNORECASE
        options.log_errors = False
        options.never_capture = True  # only "is there a match?" is asked: the DFA answers, no submatch work
        options.max_mem = 64 << 20  # room for the DFA of a long alternation, so RE2 does not fall back to its NFA
        prefix = ("(?m)" if flags & re.MULTILINE else "") + ("(?s)" if flags & re.DOTALL else "")
        superset = re2_superset(pattern)
        try:
            self.guard: Any = re2.compile(prefix + superset, options)
        except re2.error:
            self.guard = None  # a construct RE2 lacks: Python alone, still correct
        #: Without look-arounds the RE2 pattern says the same as the Python one (classes widened to match).
        self.exact = self.guard is not None and not _LOOKAROUND.search(pattern)

    def found(self, text: str) -> bool:
        """Whether the pattern matches anywhere; RE2 alone answers when it can."""
        if self.exact:
            return self.guard.search(text) is not None
        return self.possible(text) and self.python.search(text) is not None

    def possible(self, text: str) -> bool:
        return self.guard is None or self.guard.search(text) is not None

    def search(self, text: str) -> re.Match[str] | None:
        return self.python.search(text) if self.possible(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.python.finditer(text) if self.possible(text) else iter(())


class AnyOf:
    """"Does any of these patterns match?" in at most two scans: one RE2 scan for the alternatives it
    answers alone, and a guarded Python scan for those with look-arounds."""

    def __init__(self, patterns: Iterable[str], flags: int = re.IGNORECASE) -> None:
        plain = [p for p in patterns if not _LOOKAROUND.search(p)]
        other = [p for p in patterns if _LOOKAROUND.search(p)]
        self.parts = [FastPattern("|".join(group), flags) for group in (plain, other) if group]

    def found(self, text: str) -> bool:
        return any(part.found(text) for part in self.parts)


class PatternSets:
    """Which of several named pattern groups match a text, in one RE2 scan (an RE2 ``Set``).

    Alternatives with look-arounds, which RE2 cannot run, are checked with Python, and only for
    the groups the RE2 scan did not already find.
    """

    def __init__(self, groups: dict[str, list[str]], flags: int = re.IGNORECASE) -> None:
        options = re2.Options()
        options.case_sensitive = not flags & re.IGNORECASE
        options.log_errors = False
        options.max_mem = 64 << 20
        prefix = "(?m)" if flags & re.MULTILINE else ""
        self.set: Any = re2.Set.SearchSet(options)
        self.owner: list[str] = []
        self.fallback: dict[str, AnyOf] = {}
        for name, patterns in groups.items():
            slow = []
            for pattern in patterns:
                if _LOOKAROUND.search(pattern):
                    slow.append(pattern)
                elif self.set.Add(prefix + re2_superset(pattern)) >= 0:
                    self.owner.append(name)
                else:
                    slow.append(pattern)
            if slow:
                self.fallback[name] = AnyOf(slow, flags)
        self.set.Compile()

    def found(self, text: str) -> set[str]:
        """The names of the groups with at least one matching pattern."""
        names = {self.owner[i] for i in self.set.Match(text) or ()} if self.owner else set()
        for name, patterns in self.fallback.items():
            if name not in names and patterns.found(text):
                names.add(name)
        return names
