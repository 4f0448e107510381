"""YAML policies: load with line numbers, resolve ``extends``, validate, merge.

A policy file says which rules run, at which severity, with which options, on which comments;
plus shared settings (the owner directory, vocabulary, how a ticket's kind is known, limits) and
the QA scoring rubric. Every problem is reported as ``file:line:column: path: message`` with what
is allowed, and an unknown key or rule id is an error, never silently ignored (vale#1124).
"""

from __future__ import annotations

import copy
import difflib
import io
import os
import re
import string
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from holdthread.linter import policy_rules
from holdthread.linter.errors import PolicyError, Problem
from holdthread.linter.jsondata import KEY_SURROGATE_MESSAGE, SURROGATE_MESSAGE, expanded_sizes, has_surrogate
from holdthread.linter.models import Kind, Severity
from holdthread.linter.rule import Options, Rule, Targets

if TYPE_CHECKING:
    from holdthread.linter.registry import Registry

POLICY_FILENAMES = ("holdthread.yaml", ".holdthread.yaml")
DEFAULT_PRESET = "recommended"
RuleSeverity = Literal["error", "warning", "info", "off"]
RULE_ENTRY_KEYS = ("severity", "targets")

# Policies are untrusted input (a pull request, a file saved over a served policy): these bound
# the work one policy can cause. A real team policy is a few KB, some hundred values, eight
# levels deep and one or two ``extends`` away from a preset.
#: Largest policy file read, in bytes.
MAX_POLICY_BYTES = 1 << 20
#: Most values (mappings, lists and scalars) a policy may hold once YAML aliases are expanded:
#: nine nested aliases of nine items make a 357-byte file of 926 million values.
MAX_POLICY_VALUES = 100_000
#: Deepest nesting of mappings and lists in one policy file.
MAX_POLICY_DEPTH = 32
#: Longest chain of ``extends`` from a policy to its most basic preset.
MAX_EXTENDS_DEPTH = 10
#: Set (to anything but "", "0" or "false") by ``holdthread --trust-policy``: ``extends`` and path
#: options may then leave the policy's folder tree. An environment variable, so that audit
#: worker processes and service workers inherit the choice.
TRUST_ENV = "HOLDTHREAD_TRUST_POLICY"
#: Files that mark the top of a repository: a policy may reach anywhere inside its repository.
REPOSITORY_MARKERS = (".git", ".hg")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Vocabulary(_Strict):
    """Team words: extra vague phrases to flag, and terms that are fine here."""

    vague: list[str] = []
    accept: list[str] = []


class TicketKind(_Strict):
    """How a ticket's kind (a technical defect or not) is known, for defect-only rules."""

    field: Literal["type", "tags"] = "type"
    defect: list[str] = ["bug", "problem", "incident", "defect"]
    other: list[str] = [
        "question",
        "billing",
        "account",
        "how-to",
        "howto",
        "task",
        "feature",
        "feature_request",
        "refund",
        "access",
    ]
    #: When the field says neither, decide from the note's and the thread's words.
    content_fallback: bool = True


class Limits(_Strict):
    """Sizes and times, so one huge note or a hostile pattern cannot stall a check."""

    max_note_chars: int = Field(default=100_000, gt=0)
    time_budget_ms: int = Field(default=2_000, gt=0)
    #: Policy-defined rules (linter/policy_rules.py): patterns are untrusted, so capped. The
    #: ceilings (``le``) hold even when a policy raises its own limits.
    max_pattern_chars: int = Field(default=500, gt=0, le=10_000)
    max_patterns_per_rule: int = Field(default=100, gt=0, le=1_000)
    max_pattern_matches: int = Field(default=100, gt=0, le=10_000)


class History(_Strict):
    """How a ticket's history is read: which internal notes count as handoffs (linter/history.py)."""

    handoff_window_minutes: int = Field(default=30, ge=0)


class Scoring(_Strict):
    """The QA rubric: points a rule costs when it fires, critical rules, the pass mark."""

    weights: dict[str, int] = {}
    default_weights: dict[Severity, int] = {"error": 25, "warning": 10, "info": 3}
    critical: list[str] = []
    pass_mark: int = Field(default=80, ge=0, le=100)
    #: Who a ticket-level finding (owner-bounce, customer-repeated) is charged to: the ticket
    #: alone (``ticket``), or also every agent who wrote a linted comment on it (``involved``).
    ticket_findings: Literal["ticket", "involved"] = "ticket"


class Settings(_Strict):
    """Policy-wide settings every rule may read."""

    owners: dict[str, str] = {}
    vocabulary: Vocabulary = Vocabulary()
    ticket_kind: TicketKind = TicketKind()
    limits: Limits = Limits()
    history: History = History()


class StoreSettings(_Strict):
    """What the service's findings store keeps (``holdthread serve``); bodies are personal data."""

    include_bodies: bool = False


class FeedbackSettings(_Strict):
    """When ``holdthread feedback`` names a rule as too noisy, from agents' "Not right?" marks."""

    max_false_alarm_rate: float = Field(default=0.1, ge=0, le=1)
    #: Fewer findings than this in the period are too few to judge a rule by.
    min_findings: int = Field(default=20, ge=1)


def _ticket_url_problem(template: str) -> str | None:
    """Why a ``ticket_url`` template cannot make a link (``{id}`` is the only placeholder), or None."""
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        return f"not a valid template ({exc}); write the ticket id as {{id}}"
    if fields != {"id"}:
        return "use {id} (and no other placeholder) where the ticket id goes, e.g. https://acme.zendesk.com/agent/tickets/{id}"
    if not template.startswith(("https://", "http://")):
        return "the link must start with https:// (or http://)"
    return None


class PolicyDocument(_Strict):
    """The top level of one policy file, before ``extends`` is resolved."""

    extends: str | list[str] = []
    fail_on: Severity = "error"
    owners: dict[str, str] = {}
    vocabulary: Vocabulary = Vocabulary()
    ticket_kind: TicketKind = TicketKind()
    limits: Limits = Limits()
    history: History = History()
    scoring: Scoring = Scoring()
    store: StoreSettings = StoreSettings()
    #: What a plain note file is, by path glob (``"runbooks/**": note``), for ``holdthread check``.
    kinds: dict[str, Kind] = {}
    #: Where a ticket opens in the helpdesk, e.g. ``https://acme.zendesk.com/agent/tickets/{id}``.
    ticket_url: str | None = None
    feedback: FeedbackSettings = FeedbackSettings()
    rules: dict[str, Any] = {}

    @field_validator("ticket_url")
    @classmethod
    def _valid_ticket_url(cls, value: str | None) -> str | None:
        problem = None if value is None else _ticket_url_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


class RuleEntry(_Strict):
    """The reserved keys of a rule's entry; every other key is one of the rule's options."""

    severity: RuleSeverity | None = None
    targets: dict[str, Any] | None = None


@dataclass
class RuleConfig:
    """One rule as the effective policy runs it."""

    severity: RuleSeverity
    targets: Targets
    options: Options
    #: The class to run; a policy-defined rule's class is made from its entry, not registered.
    rule_class: type[Rule] | None = None


@dataclass
class Policy:
    """The effective policy: every file of the ``extends`` chain merged and validated."""

    sources: list[str]
    fail_on: Severity
    settings: Settings
    scoring: Scoring
    rules: dict[str, RuleConfig]
    #: Path globs to the kind a plain note file is linted as; relative to the policy file's folder.
    kinds: dict[str, Kind] = field(default_factory=dict)
    #: The merged mapping the policy came from, used for ``policy show`` and cache keys.
    data: dict[str, Any] = field(default_factory=dict)

    def active(self) -> dict[str, RuleConfig]:
        return {rid: cfg for rid, cfg in self.rules.items() if cfg.severity != "off"}


# --- reading YAML with positions -------------------------------------------------------------


@dataclass
class _Located:
    """A parsed policy file and a way to find any key's line and column in it."""

    name: str
    data: Any
    #: Whether errors may quote this file's values; not for a file reached through ``extends``,
    #: which may be anything on the machine (a secrets file, ``/proc/self/environ``).
    echo: bool = True
    #: The folder tree this file's ``extends`` and path options must stay in; None when trusted.
    tree: Path | None = None

    def position(self, path: tuple[Any, ...], *, key: bool = False) -> tuple[int | None, int | None]:
        node = self.data
        line: int | None = None
        column: int | None = None
        for index, part in enumerate(path):
            last = index == len(path) - 1
            if isinstance(node, CommentedMap) and part in node:
                # A key merged in with ``<<: *anchor`` has no position of its own: use the mapping's.
                found = (node.lc.data or {}).get(part)
                if found is not None:
                    line, column = (found[0], found[1]) if (last and key) else (found[2], found[3])
                elif line is None:
                    line, column = node.lc.line, node.lc.col
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                line, column = node.lc.item(part)
                node = node[part]
            else:
                if isinstance(node, CommentedMap | CommentedSeq) and line is None:
                    line, column = node.lc.line, node.lc.col
                break
        if line is None and not path and isinstance(node, CommentedMap):
            line, column = node.lc.line, node.lc.col
        if line is None:
            return None, None
        return line + 1, column + 1 if column is not None else None

    def problem(self, path: tuple[Any, ...], message: str, *, key: bool = False) -> Problem:
        line, column = self.position(path, key=key)
        return Problem(self.name, message, line, column, _dotted(path))

    def shown(self, value: Any) -> str:
        """`` (got 'wrn')`` for an error message, or nothing when values may not be quoted."""
        if not self.echo or isinstance(value, dict | list):
            return ""
        text = repr(value)
        return f" (got {text if len(text) <= 80 else text[:77] + '...'})"


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


#: A run of digits longer than Python converts to an integer (4,300), for locating one.
_HUGE_NUMBER = re.compile(r"\d{4301,}")


def read_policy_text(text: str, name: str, *, echo: bool = True, tree: Path | None = None) -> _Located:
    """Parse YAML keeping positions; a syntax error or a policy past the limits is a located PolicyError.

    What the YAML parser refuses without a position of its own (a NUL or other control
    character, a number of thousands of digits, nesting deep enough to exhaust Python's stack)
    is located here, and no message quotes the file's text: it may not be a policy at all.
    """
    try:
        data = _yaml().load(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = exc.problem if echo else "the file is not valid YAML"
        raise PolicyError([Problem(name, f"invalid YAML: {problem or exc}", line, column)]) from None
    except ReaderError as exc:
        line, column = _offset_position(text, exc.position) if isinstance(exc.position, int) else (None, None)
        code = f" (#x{exc.character:04x})" if isinstance(exc.character, int) else ""
        message = f"a control character{code} YAML does not allow; is this a policy file?"
        raise PolicyError([Problem(name, message, line, column)]) from None
    except (YAMLError, ValueError, OverflowError) as exc:  # a number too long for Python's int()
        found = _HUGE_NUMBER.search(text)
        line, column = _offset_position(text, found.start()) if found else (None, None)
        reason = "a number has thousands of digits" if found else f"cannot be read ({type(exc).__name__})"
        raise PolicyError([Problem(name, f"invalid YAML: {reason}", line, column)]) from None
    except RecursionError:
        raise PolicyError([Problem(name, f"nested more than {MAX_POLICY_DEPTH} levels deep")]) from None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, Mapping):
        raise PolicyError([Problem(name, "a policy must be a mapping of keys (extends, rules, ...)", 1, 1)])
    located = _Located(name, data, echo, tree)
    problems = _shape_problems(located)
    if problems:
        raise PolicyError(problems)
    return located


def _kind_of(value: Any) -> str:
    """What a YAML value is, in a policy author's words."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool) or value is None:
        return "true, false or null"
    return "a number" if isinstance(value, int | float) else "a value that is not text"


def _shape_problems(located: _Located) -> list[Problem]:
    """What makes a parsed policy unsafe to read further, each at its key.

    Walks the document once without recursion, visiting each aliased value once: keys that are
    not text (``? [a, b]``), text holding lone surrogates (no rule could match it), nesting over
    :data:`MAX_POLICY_DEPTH`, aliases that refer to themselves, and more than
    :data:`MAX_POLICY_VALUES` values once aliases are expanded (a "billion laughs" file).
    """
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[Any, tuple[Any, ...]]] = [(located.data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str) and has_surrogate(node):
            problems.append(located.problem(path, SURROGATE_MESSAGE + "; remove the escape"))
        if not isinstance(node, Mapping | list) or id(node) in seen:
            continue
        seen.add(id(node))
        if len(path) >= MAX_POLICY_DEPTH:
            return [*problems, located.problem(path, f"nested more than {MAX_POLICY_DEPTH} levels deep")]
        if isinstance(node, list):
            stack.extend((child, (*path, index)) for index, child in enumerate(node))
            continue
        for key, child in node.items():
            if not isinstance(key, str):
                message = f"keys are text; this mapping has {_kind_of(key)} as a key (a YAML complex key)"
                problems.append(located.problem(path, message))
            elif has_surrogate(key):
                problems.append(located.problem(path, KEY_SURROGATE_MESSAGE + "; remove the escape"))
            else:
                stack.append((child, (*path, key)))
    try:
        sizes = expanded_sizes(located.data)
    except ValueError:
        return [*problems, located.problem((), "a value contains itself through a YAML alias (*name)")]
    total = sizes.get(id(located.data), 1)
    if total > MAX_POLICY_VALUES:
        biggest = max(located.data, key=lambda k: sizes.get(id(located.data[k]), 1), default=None)
        where: tuple[Any, ...] = (biggest,) if biggest is not None else ()
        message = (
            f"the policy expands to {total:,} values through YAML aliases (*name), over the limit of "
            f"{MAX_POLICY_VALUES:,}; write the values out, or alias fewer nested ones"
        )
        problems.append(located.problem(where, message, key=True))
    return problems


def _plain(value: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --- validation ------------------------------------------------------------------------------


#: Union members pydantic names in an error's location ("facts.0.str" when a fact is not a string).
_UNION_MEMBERS = frozenset({"str", "int", "float", "bool", "list", "dict", "none"})


def _user_location(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """``loc`` with only the keys and indexes the author wrote: the parts found in ``data``, and
    any other part that is not a validator or union tag (those contain "[")."""
    kept: list[Any] = []
    node = data
    for part in loc:
        if (isinstance(node, Mapping) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
        elif isinstance(part, str) and "[" in part:
            continue
        else:
            node = None
        kept.append(part)
    return tuple(kept)


def _user_errors(error: ValidationError, data: Any) -> list[dict[str, Any]]:
    """pydantic's errors with only the keys a policy author wrote in their locations.

    Validator and union tags ("function-after[_has_signals(), Fact]", "tagged-union[...]") are
    dropped from the location (but not a key the author wrote with brackets, such as
    ``"foo[1]"``: ``data`` is the validated input, which tells them apart), and a union's failed
    alternative ("...: Input should be a valid string", when a fact given as a mapping has a bad
    pattern) is dropped when another member reports the real problem at the same place.
    "Value error, " goes from validators' messages.
    """
    items: list[dict[str, Any]] = []
    for error_item in error.errors():
        loc = _user_location(tuple(error_item["loc"]), data)
        # A validator's ValueError reads "Value error, <reason>": the reason is what the author needs.
        items.append({**error_item, "loc": loc, "msg": error_item["msg"].removeprefix("Value error, ")})
    kept: list[dict[str, Any]] = []
    for item in items:
        loc = item["loc"]
        if loc and loc[-1] in _UNION_MEMBERS:
            place = loc[:-1]
            if any(other is not item and other["loc"][: len(place)] == place for other in items):
                continue
            item = {**item, "loc": place}
        if item not in kept:
            kept.append(item)
    return kept


def _pydantic_problems(
    located: _Located, error: ValidationError, prefix: tuple[Any, ...], model: type[BaseModel], data: Any
) -> Iterator[Problem]:
    """Each validation error of ``data`` (validated as ``model``, found at ``prefix``), located."""
    for item in _user_errors(error, data):
        loc = prefix + tuple(item["loc"])
        if item["type"] == "extra_forbidden" and item["loc"]:
            allowed = ", ".join(_allowed_keys(model, tuple(item["loc"])[:-1]))
            yield located.problem(loc, f"unknown key {loc[-1]!r}; allowed: {allowed}", key=True)
        else:
            yield located.problem(loc, f"{item['msg']}{located.shown(item.get('input'))}")


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at ``loc`` inside ``model``, for "unknown key" messages."""
    current: Any = model
    for part in loc:
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        annotation = fields[part].annotation
        current = annotation if isinstance(annotation, type) else None
    fields = getattr(current, "model_fields", None) or {}
    return sorted(f.alias or name for name, f in fields.items())


def _validate_document(located: _Located) -> tuple[PolicyDocument | None, list[Problem]]:
    """The file's top level validated, or None and its problems (reported with every other one)."""
    data = _plain(located.data)
    try:
        return PolicyDocument.model_validate(data), []
    except ValidationError as exc:
        return None, list(_pydantic_problems(located, exc, (), PolicyDocument, data))


def _rule_entry(value: Any) -> dict[str, Any]:
    """A rule's entry as a mapping; ``missing-owner: off`` is short for ``{severity: off}``."""
    if isinstance(value, str):
        return {"severity": value}
    if value is None:
        return {}
    return dict(_plain(value)) if isinstance(value, Mapping) else {"severity": value}


def _unknown_rule(rule_id: str, registry: Registry) -> str:
    """ "unknown rule 'x'; did you mean 'y'?": the message every unknown rule id gets."""
    near = registry.closest(rule_id)
    hint = f"; did you mean {near!r}?" if near else ""
    return f"unknown rule {rule_id!r}{hint} (`holdthread rules` lists them)"


def _validate_rules(
    located: _Located,
    rules: Mapping[str, Any],
    registry: Registry,
    defined: Collection[str] = (),
    limits: Limits | None = None,
) -> list[Problem]:
    """Check every rule entry of one file against the registry, with positions.

    An entry with a ``kind`` defines a rule (linter/policy_rules.py); ``defined`` holds the ids
    of rules defined in the files this one extends, whose severity and targets it may change.
    """
    problems: list[Problem] = []
    for rule_id, raw in rules.items():
        path: tuple[Any, ...] = ("rules", rule_id)
        entry = _rule_entry(raw)
        if isinstance(raw, Mapping) and policy_rules.KIND_KEY in raw:
            problems.extend(_validate_policy_rule(located, path, rule_id, entry, registry, limits or Limits()))
            continue
        if rule_id in registry.rules:
            options_model: type[Options] = registry.rules[rule_id].Options
        elif rule_id in defined:
            options_model = Options  # only severity and targets; redefine it (with kind) for the rest
        else:
            problems.append(located.problem(path, _unknown_rule(rule_id, registry), key=True))
            continue
        problems.extend(_validate_entry(located, path, rule_id, raw, options_model))
    return problems


def _paths_outside_tree(
    located: _Located, options_model: type[Options], options: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """``(option, why)`` for each path option that leaves the policy's folder tree.

    A path option is read by a rule (``macro_dir`` walks a folder): from an untrusted policy it
    must not reach the rest of the machine (``macro_dir: /`` walked the whole filesystem).
    """
    if located.tree is None:
        return []
    found: list[tuple[str, str]] = []
    for key in options_model.path_options:
        value = options.get(key)
        if not isinstance(value, str) or not value or "\x00" in value:
            continue
        target = (Path(located.name).parent / Path(value).expanduser()).resolve()
        if not target.is_relative_to(located.tree):
            found.append((key, _outside_message(key, located.tree)))
    return found


def _outside_message(what: str, tree: Path) -> str:
    return (
        f"{what} points outside the policy's folder tree ({tree}); keep the file there, or run "
        f"holdthread --trust-policy (or set {TRUST_ENV}=1) if you trust this policy"
    )


def _paths_from_policy_folder(
    located: _Located, options_model: type[Options], options: Mapping[str, Any]
) -> dict[str, Any]:
    """``options`` with each relative path option made absolute from the policy file's folder."""
    resolved = dict(options)
    if located.name.startswith("<"):  # a preset or a policy given as text: no folder of its own
        return resolved
    for key in options_model.path_options:
        value = resolved.get(key)
        if isinstance(value, str) and value and not Path(value).expanduser().is_absolute():
            resolved[key] = str((Path(located.name).parent / value).resolve())
    return resolved


def _validate_entry(
    located: _Located, path: tuple[Any, ...], rule_id: str, raw: Any, options_model: type[Options]
) -> list[Problem]:
    """One rule entry's shape, reserved keys (severity, targets) and options."""
    problems: list[Problem] = []
    entry = _rule_entry(raw)
    if not isinstance(raw, str | Mapping) and raw is not None:
        problems.append(
            located.problem(path, f"a rule entry is a severity (error, warning, info, off) or a mapping (got {raw!r})")
        )
        return problems
    reserved = {k: entry[k] for k in RULE_ENTRY_KEYS if k in entry}
    try:
        RuleEntry.model_validate(reserved)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(located, exc, path, RuleEntry, reserved))
    if isinstance(reserved.get("targets"), Mapping):
        try:
            Targets.model_validate(reserved["targets"])
        except ValidationError as exc:
            problems.extend(_pydantic_problems(located, exc, (*path, "targets"), Targets, reserved["targets"]))
    options = {k: v for k, v in entry.items() if k not in RULE_ENTRY_KEYS}
    outside = _paths_outside_tree(located, options_model, options)
    problems.extend(located.problem((*path, key), message) for key, message in outside)
    resolved = _paths_from_policy_folder(
        located, options_model, {k: v for k, v in options.items() if k not in dict(outside)}
    )
    try:
        options_model.model_validate(resolved)
    except ValidationError as exc:
        for problem in _pydantic_problems(located, exc, path, options_model, resolved):
            if "unknown key" in problem.message:
                allowed = sorted({*RULE_ENTRY_KEYS, *(f.alias or n for n, f in options_model.model_fields.items())})
                problem = Problem(
                    problem.source,
                    problem.message.split(";")[0] + f"; allowed for {rule_id}: {', '.join(allowed)}",
                    problem.line,
                    problem.column,
                    problem.path,
                )
            problems.append(problem)
    return problems


def _validate_policy_rule(
    located: _Located, path: tuple[Any, ...], rule_id: str, entry: dict[str, Any], registry: Registry, limits: Limits
) -> list[Problem]:
    """A policy-defined rule: its id, its kind, its keys, then its patterns against the limits."""
    if rule_id in registry.rules:
        return [
            located.problem(
                path,
                (
                    f"{rule_id!r} is a rule of {registry.rule_plugins.get(rule_id) or 'a plugin'}; give the rule "
                    "you define an id of its own, or remove `kind` to configure the existing rule"
                ),
                key=True,
            )
        ]
    bad_id = policy_rules.id_problem(rule_id)
    if bad_id is not None:
        return [located.problem(path, bad_id, key=True)]
    kind = policy_rules.kind_of(entry)
    options_model = policy_rules.options_model(kind)
    if options_model is None:
        kinds = ", ".join(policy_rules.kinds())
        near = difflib.get_close_matches(str(kind), list(policy_rules.kinds()), n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        return [located.problem((*path, policy_rules.KIND_KEY), f"unknown kind {kind!r}; {hint}kinds: {kinds}")]
    problems = _validate_entry(located, path, rule_id, entry, options_model)
    for issue in policy_rules.definition_problems(entry, limits):
        problems.append(located.problem((*path, *issue.path), issue.message))
    return problems


def _validate_scoring(
    located: _Located, scoring: Scoring, registry: Registry, defined: Collection[str] = ()
) -> list[Problem]:
    problems = []
    for rule_id in scoring.weights:
        if rule_id not in registry.rules and rule_id not in defined:
            path: tuple[Any, ...] = ("scoring", "weights", rule_id)
            problems.append(located.problem(path, _unknown_rule(rule_id, registry), key=True))
    for index, rule_id in enumerate(scoring.critical):
        if rule_id not in registry.rules and rule_id not in defined:
            problems.append(located.problem(("scoring", "critical", index), _unknown_rule(rule_id, registry)))
    return problems


def _defined_rules(files: list[_Located]) -> tuple[frozenset[str], Limits]:
    """Ids of the rules ``files`` define (entries with ``kind``) and the limits they set together."""
    ids: set[str] = set()
    limits: dict[str, Any] = {}
    for item in files:
        data = _plain(item.data)
        rules = data.get("rules") if isinstance(data.get("rules"), Mapping) else {}
        ids.update(rid for rid, e in rules.items() if isinstance(e, Mapping) and policy_rules.KIND_KEY in e)
        if isinstance(data.get("limits"), Mapping):
            limits = _merge(limits, data["limits"])
    try:
        return frozenset(ids), Limits.model_validate(limits)
    except ValidationError:  # reported with the file's other problems; check patterns by the defaults
        return frozenset(ids), Limits()


# --- extends and merging ---------------------------------------------------------------------


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge mappings; lists and scalars in ``override`` replace those in ``base``."""
    result = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), dict):
            result[key] = _merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _normalise_rules(rules: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {rule_id: _rule_entry(value) for rule_id, value in rules.items()}


class PolicyLoader:
    """Reads a policy and its ``extends`` chain, validating each file against a registry.

    Unless ``trusted``, a policy read from a file may only reach files in its folder tree
    (:func:`policy_tree`) through ``extends`` and path options. A policy given as text or as
    Python data comes from the program itself and is trusted.
    """

    def __init__(self, registry: Registry, *, trusted: bool = False) -> None:
        self.registry = registry
        self.trusted = trusted

    def load_file(self, path: Path) -> Policy:
        tree = None if self.trusted else policy_tree(path)
        return self._resolve(self._read_path(path, echo=True, tree=tree))

    def load_text(self, text: str, name: str = "<policy>") -> Policy:
        return self._resolve(read_policy_text(text, name))

    def load_mapping(self, data: Mapping[str, Any], name: str = "<policy>") -> Policy:
        buffer = io.StringIO()
        _yaml().dump(_plain(data), buffer)
        return self.load_text(buffer.getvalue(), name)

    def load_preset(self, name: str) -> Policy:
        return self._resolve(self._read_preset(name, None, ()))

    def _read_path(self, path: Path, *, echo: bool, tree: Path | None) -> _Located:
        """A policy file read within :data:`MAX_POLICY_BYTES`; only regular files (not a FIFO or
        a device, whose reading could block or never end)."""
        where = str(path)
        try:
            if not path.is_file():
                reason = "policy file not found" if not path.exists() else "not a regular file"
                raise PolicyError([Problem(where, reason)])
            with path.open("rb") as stream:
                data = stream.read(MAX_POLICY_BYTES + 1)
        except OSError as exc:
            raise PolicyError(
                [Problem(where, f"cannot read the policy: {exc.strerror or type(exc).__name__}")]
            ) from None
        if len(data) > MAX_POLICY_BYTES:
            raise PolicyError(
                [Problem(where, f"the policy is over {MAX_POLICY_BYTES // 1024:,} KiB; a team policy is a few KB")]
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PolicyError([Problem(where, f"not UTF-8 text (byte {exc.start})")]) from None
        return read_policy_text(text, where, echo=echo, tree=tree)

    def _read_preset(self, name: str, parent: _Located | None, path: tuple[Any, ...]) -> _Located:
        presets = self.registry.presets
        if name not in presets:
            allowed = ", ".join(sorted(presets))
            problem = Problem("<policy>", f"unknown preset {name!r}; built-in presets: {allowed}")
            if parent is not None:
                problem = parent.problem(
                    path, f"unknown preset {name!r}; presets: {allowed}, or a path to a .yaml file"
                )
            raise PolicyError([problem])
        return read_policy_text(presets[name], f"<preset {name}>")

    def _parent(self, located: _Located, name: str, path: tuple[Any, ...]) -> _Located:
        """The file or preset one ``extends`` entry names, read; a PolicyError says why not."""
        if not (name.endswith((".yaml", ".yml")) or "/" in name):
            return self._read_preset(name, located, path)
        base = Path(located.name).parent if not located.name.startswith("<") else Path.cwd()
        try:
            target = (base / Path(name).expanduser()).resolve()
        except (OSError, ValueError):
            raise PolicyError([located.problem(path, "extends names a path that cannot exist")]) from None
        if located.tree is not None and not target.is_relative_to(located.tree):
            raise PolicyError([located.problem(path, _outside_message(f"extends {name!r}", located.tree))])
        if not target.is_file():
            raise PolicyError([located.problem(path, f"extends {name!r}: no such file ({target})")])
        # A file reached through extends may be anything: its values are never quoted in errors.
        return self._read_path(target, echo=False, tree=located.tree)

    def _chain(
        self, located: _Located, seen: list[str], problems: list[Problem]
    ) -> list[tuple[_Located, PolicyDocument]]:
        """Files from the most basic preset to this one, each validated on its own.

        ``seen`` holds the files on the way here, by resolved path, so that ``a.yaml`` and
        ``./a.yaml`` are one file and a cycle is reported at the ``extends`` entry that closes it.
        Every problem of every file is added to ``problems``, so they are all reported together.
        """
        document, found = _validate_document(located)
        problems.extend(found)
        chain: list[tuple[_Located, PolicyDocument]] = []
        here = [*seen, _identity(located)]
        for path, name in _extends_entries(located):
            if len(here) > MAX_EXTENDS_DEPTH:
                problems.append(
                    located.problem(
                        path, f"extends goes more than {MAX_EXTENDS_DEPTH} files deep; extend a file nearer the preset"
                    )
                )
                break
            try:
                parent = self._parent(located, name, path)
            except PolicyError as exc:
                problems.extend(exc.problems)
                continue
            if _identity(parent) in here:
                cycle = " -> ".join([*here, _identity(parent)])
                problems.append(located.problem(path, f"extends cycle: {cycle}; remove one of these extends"))
                continue
            chain.extend(self._chain(parent, here, problems))
        # Rules are checked after the files this one extends: it may configure rules they define.
        defined, limits = _defined_rules([*(item for item, _ in chain), located])
        raw_rules = located.data.get("rules")
        rules = (
            document.rules if document is not None else (_plain(raw_rules) if isinstance(raw_rules, Mapping) else {})
        )
        problems.extend(_validate_rules(located, rules, self.registry, defined, limits))
        if document is not None:
            problems.extend(_validate_scoring(located, document.scoring, self.registry, defined))
            chain.append((located, document))
        return chain

    def _resolve(self, located: _Located) -> Policy:
        problems: list[Problem] = []
        chain = self._chain(located, [], problems)
        if problems:
            raise PolicyError(problems)
        merged: dict[str, Any] = {}
        for item, _document in chain:
            data = _plain(item.data)
            data.pop("extends", None)
            if "rules" in data:
                data["rules"] = _normalise_rules(data["rules"] or {})
                for rule_id, entry in data["rules"].items():
                    if policy_rules.KIND_KEY in entry:  # a definition replaces, not extends, an earlier one
                        merged.get("rules", {}).pop(rule_id, None)
                    elif rule_id in self.registry.rules:
                        options_model = self.registry.rules[rule_id].Options
                        data["rules"][rule_id] = _paths_from_policy_folder(item, options_model, entry)
            merged = _merge(merged, data)
        effective = PolicyDocument.model_validate(merged)
        settings = Settings(
            owners=effective.owners,
            vocabulary=effective.vocabulary,
            ticket_kind=effective.ticket_kind,
            limits=effective.limits,
            history=effective.history,
        )
        rules: dict[str, RuleConfig] = {}
        for rule_id, entry in merged.get("rules", {}).items():
            rules[rule_id] = self._rule_config(rule_id, entry)
        return Policy(
            sources=[item.name for item, _ in chain],
            fail_on=effective.fail_on,
            settings=settings,
            scoring=effective.scoring,
            rules=rules,
            kinds=effective.kinds,
            data=merged,
        )

    def _rule_config(self, rule_id: str, entry: Mapping[str, Any]) -> RuleConfig:
        """A validated entry as the rule class to run, its severity, targets and options."""
        options_data = {k: v for k, v in entry.items() if k not in RULE_ENTRY_KEYS}
        defined_as = policy_rules.options_model(policy_rules.kind_of(entry))
        rule_class: type[Rule]
        options: Options
        if defined_as is not None:
            definition = defined_as.model_validate(options_data)
            rule_class, options = policy_rules.rule_class(rule_id, definition), definition
        else:
            rule_class = self.registry.rules[rule_id]
            options = rule_class.Options.model_validate(options_data)
        targets = rule_class.targets
        if entry.get("targets") is not None:
            targets = Targets.model_validate({**rule_class.targets.model_dump(), **entry["targets"]})
        severity = entry.get("severity") or rule_class.default_severity
        return RuleConfig(severity=severity, targets=targets, options=options, rule_class=rule_class)


def _extends_entries(located: _Located) -> Iterator[tuple[tuple[Any, ...], str]]:
    """``(path of the entry, name)`` for each ``extends`` entry that is text (others are reported
    by the document's validation)."""
    extends = located.data.get("extends")
    if isinstance(extends, str):
        yield ("extends",), extends
    elif isinstance(extends, list):
        for index, name in enumerate(extends):
            if isinstance(name, str):
                yield ("extends", index), name


def policy_tree(path: Path) -> Path:
    """The folder tree a policy file's ``extends`` and path options must stay in: its repository
    (the nearest folder above it with ``.git`` or ``.hg``), so a team policy may extend the
    organisation's ``../base.yaml``; outside a repository, the policy's own folder."""
    folder = path.resolve().parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in REPOSITORY_MARKERS):
            return candidate
    return folder


def trusted_by_environment() -> bool:
    """Whether ``holdthread --trust-policy`` (or :data:`TRUST_ENV`) lets policies leave their tree."""
    return os.environ.get(TRUST_ENV, "").strip().lower() not in ("", "0", "false", "no")


def _identity(located: _Located) -> str:
    """One name per policy file however it was reached (presets keep their ``<preset x>`` name)."""
    return located.name if located.name.startswith("<") else str(Path(located.name).resolve())


def find_policy_file(start: Path | None = None) -> Path | None:
    """``holdthread.yaml`` or ``.holdthread.yaml`` in ``start`` or the nearest parent."""
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        for name in POLICY_FILENAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def load_policy(
    source: str | Path | Mapping[str, Any] | Policy | None, registry: Registry, *, trusted: bool | None = None
) -> Policy:
    """A policy from a path, a preset name, a mapping, a Policy, or discovery when ``None``.

    Discovery follows the README: ``holdthread.yaml`` or ``.holdthread.yaml`` from the working
    directory upwards, else the ``recommended`` preset. ``trusted`` (default: whether
    :data:`TRUST_ENV` is set) lets a policy file's ``extends`` and path options leave its tree.
    """
    loader = PolicyLoader(registry, trusted=trusted_by_environment() if trusted is None else trusted)
    if isinstance(source, Policy):
        return source
    if isinstance(source, Mapping):
        return loader.load_mapping(source)
    if source is None:
        found = find_policy_file()
        return loader.load_file(found) if found else loader.load_preset(DEFAULT_PRESET)
    if isinstance(source, str) and source in registry.presets:
        return loader.load_preset(source)
    return loader.load_file(Path(source))


def dump_policy(policy: Policy) -> str:
    """The effective policy as YAML, every rule with its severity, targets and options."""
    data: dict[str, Any] = {
        "# sources": policy.sources,
        "fail_on": policy.fail_on,
        **policy.settings.model_dump(mode="json"),
        "scoring": policy.scoring.model_dump(mode="json"),
        **({"kinds": dict(policy.kinds)} if policy.kinds else {}),
        "rules": {
            rule_id: {
                "severity": cfg.severity,
                "targets": cfg.targets.model_dump(mode="json", exclude_defaults=False),
                **cfg.options.model_dump(mode="json"),
            }
            for rule_id, cfg in sorted(policy.rules.items())
        },
    }
    buffer = io.StringIO()
    yaml = YAML()
    yaml.default_flow_style = False
    sources = data.pop("# sources")
    buffer.write("# effective policy, merged from: " + " <- ".join(reversed(sources)) + "\n")
    yaml.dump(data, buffer)
    return buffer.getvalue()
