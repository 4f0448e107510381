"""Policy-defined rules: simple checks a policy declares in YAML, without writing Python.

Four composable kinds, in the spirit of Vale's extension points:

- ``existence``: flag these phrases or patterns, one annotation per match;
- ``occurrence``: at least ``min`` / at most ``max`` matches in a note ("at least one ticket link");
- ``conditional``: if the note matches ``if``, it must also match ``then``;
- ``sections``: these headings must be present and non-empty.

A policy entry under ``rules:`` with a ``kind`` key is one of these. Each kind has a pydantic
model (validated like a built-in rule's options, so errors are located ``file:line:column``) and a
:class:`~holdthread.linter.rule.Rule` subclass; :func:`rule_class` makes one class per rule id so
the engine runs it like any other rule.

Patterns come from policy files, which are untrusted input. They are compiled with RE2 (the
``google-re2`` package), whose matching time is linear in the text for every pattern: no
catastrophic backtracking, whatever a policy author writes. RE2 refuses the constructs that make
that impossible (backreferences, lookaround), and :func:`definition_problems` explains why in the
policy error. Sizes are capped by the policy's ``limits`` and each note is searched for at most
``limits.max_pattern_matches`` matches per rule, so the work per note stays bounded.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, cast

import re2
from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from holdthread.linter.rule import Finding, Options, Rule, RuleContext
from holdthread.linter.rule import Options as RuleOptions

if TYPE_CHECKING:
    from holdthread.linter.policy import Limits, Settings

KIND_KEY = "kind"
#: Rule ids are kebab-case, like the built-in ones: ``refund-needs-approver``.
RULE_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
#: Memory RE2 may use for one compiled matcher; past it, RE2 reports the pattern as too large.
REGEX_MAX_MEM = 8 << 20
_O = TypeVar("_O", bound=Options)
_APOSTROPHE = re.compile(r"\\'")
DEFAULT_EMPTY_VALUES = ("tbd", "tba", "todo", "n/a", "na", "?", "...", "xxx")


# --- the YAML shape of each kind -------------------------------------------------------------


def _invalid(message: str) -> PydanticCustomError:
    """A validation error whose message is shown as is (no "Value error, " prefix)."""
    return PydanticCustomError("policy_rule", message)



class MatchSpec(Options):
    """What to look for: plain ``phrases`` (whole words, any spacing) and/or RE2 ``patterns``."""

    phrases: list[str] = Field(
        default=[], description="Plain text, matched as whole words, spacing and apostrophes tolerated."
    )
    patterns: list[str] = Field(
        default=[], description="Regular expressions (RE2 syntax; no backreferences or lookaround)."
    )

    @model_validator(mode="after")
    def _something_to_match(self) -> MatchSpec:
        if not [p for p in self.phrases if p.strip()] and not self.patterns:
            raise _invalid("give `phrases`, `patterns` or both: there is nothing to match")
        return self


class PolicyRuleOptions(Options):
    """The keys every policy-defined rule has (``severity`` and ``targets`` are the policy's own)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)

    #: Placeholders ``message`` and ``suggestion`` may use, per kind.
    placeholders: ClassVar[frozenset[str]] = frozenset()

    kind: str
    message: str = Field(min_length=1, description="What the annotation says; placeholders depend on the kind.")
    suggestion: str | None = Field(default=None, description="How to fix it, shown under the message.")
    summary: str | None = Field(default=None, description="One line for `holdthread rules`; defaults to the message.")
    ignore_case: bool = Field(default=True, description="Match phrases and patterns in any letter case.")

    @field_validator("message", "suggestion")
    @classmethod
    def _known_placeholders(cls, template: str | None) -> str | None:
        if template is not None:
            _check_template(template, cls.placeholders)
        return template

    def render(self, template: str | None, **values: object) -> str | None:
        """A message or suggestion with its placeholders filled in."""
        if template is None:
            return None
        parts = []
        for literal, field_name, _spec, _conversion in string.Formatter().parse(template):
            parts.append(literal)
            if field_name is not None:
                parts.append(str(values.get(field_name, "")))
        return "".join(parts)


class ExistenceOptions(PolicyRuleOptions, MatchSpec):
    """``kind: existence``: every match of the phrases or patterns is a finding."""

    placeholders = frozenset({"match"})
    kind: Literal["existence"]


class OccurrenceOptions(PolicyRuleOptions, MatchSpec):
    """``kind: occurrence``: the phrases or patterns must match at least ``min`` / at most ``max`` times."""

    placeholders = frozenset({"count", "min", "max", "match"})
    kind: Literal["occurrence"]
    min: int | None = Field(default=None, ge=0, description="Fewest matches a note must have.")
    max: int | None = Field(default=None, ge=0, description="Most matches a note may have.")

    @model_validator(mode="after")
    def _bounds(self) -> OccurrenceOptions:
        if self.min is None and self.max is None:
            raise _invalid("give `min`, `max` or both: how many matches a note must (or may) have")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise _invalid(f"`min` ({self.min}) is larger than `max` ({self.max}), so no note could pass")
        return self


class ConditionalOptions(PolicyRuleOptions):
    """``kind: conditional``: a note that matches ``if`` must also match ``then``."""

    placeholders = frozenset({"match"})
    kind: Literal["conditional"]
    if_: MatchSpec = Field(alias="if", description="When the note matches this ...")
    then: MatchSpec = Field(description="... it must also match this.")


class SectionsOptions(PolicyRuleOptions):
    """``kind: sections``: these headings must be present, each followed by some content."""

    placeholders = frozenset({"section", "state"})
    kind: Literal["sections"]
    headings: list[str | list[str]] = Field(
        min_length=1,
        description="Headings the note must have; a list gives alternatives (e.g. [Steps, Steps to reproduce]).",
    )
    empty_values: list[str] = Field(
        default=list(DEFAULT_EMPTY_VALUES),
        description="Content that counts as empty (TBD, n/a, ...), in any case.",
    )

    @model_validator(mode="after")
    def _named_headings(self) -> SectionsOptions:
        for heading in self.headings:
            names = [heading] if isinstance(heading, str) else heading
            if not names or not all(name.strip() for name in names):
                raise _invalid("every heading needs a name (a list of alternatives may not be empty)")
        return self


def _check_template(template: str, allowed: frozenset[str]) -> None:
    """Only ``{name}`` placeholders the kind fills in; no attribute access or format specs."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise _invalid(f"{exc}; write {{{{ and }}}} for literal braces") from None
    names = ", ".join("{" + name + "}" for name in sorted(allowed)) or "none"
    for _literal, field_name, spec, conversion in fields:
        if field_name is None:
            continue
        if field_name not in allowed or spec or conversion:
            raise _invalid(f"unknown placeholder {{{field_name}}}; this kind fills in: {names}")


# --- matching ---------------------------------------------------------------------------------


def re2_options(ignore_case: bool) -> Any:
    """RE2 settings for every untrusted (policy-supplied) pattern: a memory budget, no logging."""
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.max_mem = REGEX_MAX_MEM
    options.log_errors = False  # an invalid pattern is reported to the user, not logged
    options.never_capture = True  # spans of whole matches are all we read
    return options


def _phrase_regex(phrase: str) -> str:
    """A phrase as a whole-word regex, tolerant of spacing and apostrophes like the built-in
    vocabulary (``doesn't`` also matches ``doesn’t`` and ``doesnt``). ``\\b`` is ASCII in RE2,
    so word edges are required only where the phrase starts or ends with an ASCII word character.
    """
    words = phrase.split()
    body = r"\s+".join(_APOSTROPHE.sub("['’]?", re2.escape(word.replace("’", "'"))) for word in words)
    before = r"\b" if re.match(r"[A-Za-z0-9_]", words[0]) else ""
    after = r"\b" if re.search(r"[A-Za-z0-9_]$", words[-1]) else ""
    return f"{before}(?:{body}){after}"


def combined_pattern(spec: MatchSpec) -> str:
    """One RE2 alternation of every phrase and pattern; ``^``/``$`` match at line breaks."""
    parts = [_phrase_regex(p) for p in spec.phrases if p.strip()]
    parts += [f"(?:{p})" for p in spec.patterns]
    return "(?m)" + "|".join(parts)


class Matcher:
    """The compiled phrases and patterns of one :class:`MatchSpec`.

    Every search is capped at ``limit`` matches, so a pattern that matches everywhere (or whose
    each match is costly to end, like ``a.*b|a``) still costs at most ``limit`` linear scans.
    """

    def __init__(self, spec: MatchSpec, ignore_case: bool, limit: int) -> None:
        self.regex = re2.compile(combined_pattern(spec), re2_options(ignore_case))
        self.limit = limit

    def spans(self, text: str, limit: int | None = None) -> Iterator[tuple[int, int]]:
        """Non-empty, non-overlapping matches, leftmost first, at most ``limit`` searches."""
        cap = self.limit if limit is None else min(limit, self.limit)
        for match in islice(self.regex.finditer(text), cap):
            start, end = match.span()
            if end > start:
                yield start, end

    def first(self, text: str) -> tuple[int, int] | None:
        return next(self.spans(text), None)


# --- validation beyond the model: patterns and limits ----------------------------------------


@dataclass(frozen=True)
class Issue:
    """A problem in a policy-defined rule, at ``path`` below the rule's entry."""

    path: tuple[Any, ...]
    message: str


_LINEAR = "holdthread matches policy patterns with RE2, which runs in linear time on any note"
_UNSUPPORTED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\(\?<?[=!]"),
     "lookahead and lookbehind are not supported: {why}; match the surrounding text instead"),
    (re.compile(r"^\\[1-9]|^\(\?P[=>]"), "backreferences are not supported: {why}; repeat the group's pattern instead"),
    (re.compile(r"^\(\?>|^[*+?]\+|^\}\+"), "atomic groups and possessive quantifiers are not supported: {why}"),
    (re.compile(r"^\(\?\("), "conditional groups are not supported: {why}; write two alternatives with |"),
    (re.compile(r"^\\Z"), r"\Z is Python's end of text; RE2 writes it \z"),
    (re.compile(r"^\(\?#"), "inline comments (?#...) are not supported; remove the comment"),
)


def explain_regex_error(pattern: str, error: str) -> str:
    """RE2's terse error as a sentence: what is unsupported, at which character, and why."""
    detail, _, fragment = error.partition(": ")
    position = pattern.find(fragment) if fragment else -1
    where = f" at character {position + 1}" if position >= 0 else ""
    for shape, explanation in _UNSUPPORTED:
        if fragment and shape.match(fragment):
            return f"pattern not supported{where} (`{fragment}`): " + explanation.format(why=_LINEAR)
    if "too large" in error or "too big" in error:
        return f"pattern too large for the {REGEX_MAX_MEM >> 20} MiB regex budget; split it or simplify it"
    return f"invalid pattern{where}: {detail}" + (f" (`{fragment}`)" if fragment else "")


#: "{,3}": Python reads it as {0,3}, RE2 as the five characters "{,3}" (no error, no match).
_OPEN_LOWER_BOUND = re.compile(r"(?<!\\)\{,(\d+)\}")


def re2_pitfall(pattern: str) -> str | None:
    """A pattern RE2 accepts but reads differently from Python's ``re``, said plainly; else None."""
    found = _OPEN_LOWER_BOUND.search(pattern)
    if found is None:
        return None
    return (f"`{found.group(0)}` at character {found.start() + 1} is literal text in RE2, not a repeat; "
            f"write `{{0,{found.group(1)}}}` for 0 to {found.group(1)} repeats (or `\\{{,{found.group(1)}}}` "
            "to match the text)")


def regex_error_text(exc: Exception) -> str:
    """RE2's error message as text (the binding gives bytes)."""
    message = exc.args[0] if exc.args else str(exc)
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _spec_issues(
    spec: Mapping[str, Any], prefix: tuple[Any, ...], ignore_case: bool, limits: Limits
) -> Iterator[Issue]:
    patterns = _strings(spec.get("patterns"))
    if len(patterns) > limits.max_patterns_per_rule:
        yield Issue((*prefix, "patterns"), f"{len(patterns)} patterns, over the limit of "
                    f"{limits.max_patterns_per_rule} (limits.max_patterns_per_rule); merge or split them")
        return
    broken = False
    for index, pattern in enumerate(spec.get("patterns") or []):
        if not isinstance(pattern, str):
            continue  # the options model reports it
        path = (*prefix, "patterns", index)
        if len(pattern) > limits.max_pattern_chars:
            yield Issue(path, f"pattern is {len(pattern):,} characters, over the limit of "
                        f"{limits.max_pattern_chars:,} (limits.max_pattern_chars); shorten or split it")
            broken = True
            continue
        pitfall = re2_pitfall(pattern)
        if pitfall is not None:
            yield Issue(path, pitfall)
            broken = True
            continue
        try:
            compiled = re2.compile(pattern, re2_options(ignore_case))
        except re2.error as exc:
            yield Issue(path, explain_regex_error(pattern, regex_error_text(exc)))
            broken = True
            continue
        if compiled.search("") is not None:
            yield Issue(path, "pattern matches empty text, so it would match everywhere; "
                        "require at least one character")
            broken = True
    phrases = [p for p in _strings(spec.get("phrases")) if p.strip()]
    if not broken and (patterns or phrases):
        combined = combined_pattern(MatchSpec.model_construct(phrases=phrases, patterns=patterns))
        try:
            re2.compile(combined, re2_options(ignore_case))
        except re2.error as exc:
            yield Issue(prefix, explain_regex_error(combined, regex_error_text(exc)))


def definition_problems(entry: Mapping[str, Any], limits: Limits) -> list[Issue]:
    """What the options model cannot check: RE2 compatibility and the policy's limits.

    Reads the raw entry, so pattern problems are reported together with any key problems.
    """
    ignore_case = entry.get("ignore_case") is not False
    issues: list[Issue] = []
    for prefix in [(), ("if",), ("then",)]:
        spec = entry.get(prefix[0]) if prefix else entry
        if isinstance(spec, Mapping):
            issues.extend(_spec_issues(spec, prefix, ignore_case, limits))
    return issues


def id_problem(rule_id: str) -> str | None:
    """Why ``rule_id`` cannot name a policy-defined rule, or ``None``."""
    if RULE_ID.fullmatch(rule_id):
        return None
    return f"rule id {rule_id!r} is not kebab-case; use lowercase words joined by hyphens, e.g. 'refund-needs-approver'"


# --- the rule classes -------------------------------------------------------------------------


class PolicyRule(Rule):
    """Base of the rules a policy declares; :func:`rule_class` makes one subclass per rule id."""

    kind: ClassVar[str]
    needs = frozenset()
    plugin = "policy"

    def __init__(self, options: RuleOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        self.spec = _narrow(options, PolicyRuleOptions)
        self.limit = settings.limits.max_pattern_matches

    def finding(self, start: int, end: int, **values: object) -> Finding:
        message = self.spec.render(self.spec.message, **values) or self.spec.message
        return Finding(start, end, message, self.spec.render(self.spec.suggestion, **values))


def _narrow(options: RuleOptions, model: type[_O]) -> _O:
    """The options as the kind's model (the policy loader always passes that model)."""
    if not isinstance(options, model):
        raise TypeError(f"expected {model.__name__}, got {type(options).__name__}")
    return options


class ExistenceRule(PolicyRule):
    kind = "existence"
    Options = ExistenceOptions

    def __init__(self, options: RuleOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        spec = _narrow(options, ExistenceOptions)
        self.matcher = Matcher(spec, spec.ignore_case, self.limit)

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for start, end in self.matcher.spans(context.text):
            yield self.finding(start, end, match=context.text[start:end])


class OccurrenceRule(PolicyRule):
    kind = "occurrence"
    Options = OccurrenceOptions

    def __init__(self, options: RuleOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        self.bounds = _narrow(options, OccurrenceOptions)
        self.matcher = Matcher(self.bounds, self.bounds.ignore_case, self.limit)

    def check(self, context: RuleContext) -> Iterator[Finding]:
        low, high = self.bounds.min, self.bounds.max
        # Counting past ``min`` matters only when there is a ``max`` to exceed.
        spans = list(self.matcher.spans(context.text, None if high is not None else low))
        count = f"{len(spans)}+" if len(spans) >= self.limit else str(len(spans))
        shown_min, shown_max = ("" if low is None else low), ("" if high is None else high)
        if low is not None and len(spans) < low:
            yield self.finding(0, 0, count=count, min=shown_min, max=shown_max, match="")
        if high is not None and len(spans) > high:
            start, end = spans[high]
            yield self.finding(start, end, count=count, min=shown_min, max=shown_max, match=context.text[start:end])


class ConditionalRule(PolicyRule):
    kind = "conditional"
    Options = ConditionalOptions

    def __init__(self, options: RuleOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        spec = _narrow(options, ConditionalOptions)
        self.when = Matcher(spec.if_, spec.ignore_case, self.limit)
        self.then = Matcher(spec.then, spec.ignore_case, self.limit)

    def check(self, context: RuleContext) -> Iterator[Finding]:
        hit = self.when.first(context.text)
        if hit is not None and self.then.first(context.text) is None:
            yield self.finding(*hit, match=context.text[hit[0]:hit[1]])


_MARKDOWN_HEADING = re.compile(r"#{1,6}[ \t]+(.*?)[ \t#]*")
_LABEL = re.compile(r"([^:\n]{1,80}?)[ \t]*:(.*)")


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> Iterator[_Line]:
    start = 0
    for line in text.split("\n"):
        yield _Line(start, start + len(line), line)
        start += len(line) + 1


def _name(text: str) -> str:
    """A heading as compared: emphasis and list markers stripped, case and spacing folded."""
    return " ".join(text.strip(" \t*_>-•").split()).casefold()


class SectionsRule(PolicyRule):
    kind = "sections"
    Options = SectionsOptions

    def __init__(self, options: RuleOptions, settings: Settings) -> None:
        super().__init__(options, settings)
        options = _narrow(options, SectionsOptions)
        self.required = [[h] if isinstance(h, str) else h for h in options.headings]
        self.names = {_name(n): index for index, names in enumerate(self.required) for n in names}
        self.empty = {v.casefold() for v in options.empty_values}

    def _heading(self, line: str) -> tuple[int | None, str] | None:
        """(required heading index or None, rest of the line) when ``line`` is a heading.

        ``## Impact``, ``**Impact:**``, ``Impact`` alone and ``Impact: 40 admins`` are headings
        of a required section; any other markdown heading ends the section before it.
        """
        stripped = line.strip()
        markdown = _MARKDOWN_HEADING.fullmatch(stripped)
        title = markdown.group(1) if markdown else stripped
        whole = _name(title).rstrip(":").strip()
        if whole in self.names:
            return self.names[whole], ""
        label = _LABEL.fullmatch(title)
        if label and _name(label.group(1)) in self.names:
            return self.names[_name(label.group(1))], label.group(2).strip(" \t*_")
        return (None, "") if markdown else None

    def _is_empty(self, content: str) -> bool:
        words = content.strip(" \t\n-*•:>_.")
        return not words or words.casefold() in self.empty

    def check(self, context: RuleContext) -> Iterator[Finding]:
        found: dict[int, list[tuple[_Line, str]]] = {}
        current: tuple[int, _Line, list[str]] | None = None
        sections: list[tuple[int, _Line, list[str]]] = []
        for line in _lines(context.text):
            heading = self._heading(line.text)
            if heading is not None:
                index, rest = heading
                current = (index, line, [rest]) if index is not None else None
                if current is not None:
                    sections.append(current)
            elif current is not None:
                current[2].append(line.text)
        for index, line, content in sections:
            found.setdefault(index, []).append((line, "\n".join(content)))
        for index, names in enumerate(self.required):
            present = found.get(index)
            if not present:
                yield self.finding(0, 0, section=names[0], state="missing")
            elif all(self._is_empty(content) for _line, content in present):
                line = present[0][0]
                yield self.finding(line.start + len(line.text) - len(line.text.lstrip()), line.end,
                                   section=names[0], state="empty")


RULE_KINDS: dict[str, type[PolicyRule]] = {
    cls.kind: cls for cls in (ExistenceRule, OccurrenceRule, ConditionalRule, SectionsRule)
}


def kind_of(entry: Mapping[str, Any]) -> Any:
    """The ``kind`` of a rule entry (``None`` for a built-in rule's entry)."""
    return entry.get(KIND_KEY)


def options_model(kind: Any) -> type[PolicyRuleOptions] | None:
    """The options model of a kind, or ``None`` when there is no such kind."""
    rule = RULE_KINDS.get(kind) if isinstance(kind, str) else None
    return cast("type[PolicyRuleOptions]", rule.Options) if rule is not None else None


def kinds() -> Iterable[str]:
    return RULE_KINDS.keys()


def rule_class(rule_id: str, options: PolicyRuleOptions) -> type[PolicyRule]:
    """A rule class for one policy-defined rule, so the engine runs it like a built-in."""
    base = RULE_KINDS[options.kind]
    summary = options.summary or options.render(options.message, match="…", count="N", min=getattr(options, "min", ""),
                                                 max=getattr(options, "max", ""), section="…", state="missing")
    doc = f"""
        ## What it does
        A `{options.kind}` rule defined in the policy file (see docs/policy-rules.md):

        ```yaml
        {rule_id}: {options.model_dump_json(exclude_defaults=True)}
        ```
    """
    attributes = {"id": rule_id, "summary": summary, "doc": doc, "__module__": base.__module__}
    return cast("type[PolicyRule]", type(f"PolicyRule[{rule_id}]", (base,), attributes))
