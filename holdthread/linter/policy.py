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
import string
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from holdthread.linter import policy_rules
from holdthread.linter.errors import PolicyError, Problem
from holdthread.linter.models import Kind, Severity
from holdthread.linter.rule import Options, Rule, Targets

if TYPE_CHECKING:
    from holdthread.linter.registry import Registry

POLICY_FILENAMES = ("holdthread.yaml", ".holdthread.yaml")
DEFAULT_PRESET = "recommended"
RuleSeverity = Literal["error", "warning", "info", "off"]
RULE_ENTRY_KEYS = ("severity", "targets")


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
        "question", "billing", "account", "how-to", "howto", "task", "feature",
        "feature_request", "refund", "access",
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

    def position(self, path: tuple[Any, ...], *, key: bool = False) -> tuple[int | None, int | None]:
        node = self.data
        line: int | None = None
        column: int | None = None
        for index, part in enumerate(path):
            last = index == len(path) - 1
            if isinstance(node, CommentedMap) and part in node:
                line, column = node.lc.key(part) if (last and key) else node.lc.value(part)
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                line, column = node.lc.item(part)
                node = node[part]
            else:
                if isinstance(node, CommentedMap | CommentedSeq) and line is None:
                    line, column = node.lc.line, node.lc.col
                break
        if line is None:
            return None, None
        return line + 1, column + 1 if column is not None else None

    def problem(self, path: tuple[Any, ...], message: str, *, key: bool = False) -> Problem:
        line, column = self.position(path, key=key)
        return Problem(self.name, message, line, column, _dotted(path))


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def read_policy_text(text: str, name: str) -> _Located:
    """Parse YAML keeping positions; a syntax error is a located PolicyError."""
    try:
        data = _yaml().load(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise PolicyError([Problem(name, f"invalid YAML: {exc.problem or exc}", line, column)]) from None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, Mapping):
        raise PolicyError([Problem(name, "a policy must be a mapping of keys (extends, rules, ...)", 1, 1)])
    return _Located(name, data)


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


def _user_errors(error: ValidationError) -> list[dict[str, Any]]:
    """pydantic's errors with only the keys a policy author wrote in their locations.

    Validator and union tags ("function-after[_has_signals(), Fact]", "tagged-union[...]") are
    dropped from the location, and a union's failed alternative ("...: Input should be a valid
    string", when a fact given as a mapping has a bad pattern) is dropped when another member
    reports the real problem at the same place. "Value error, " goes from validators' messages.
    """
    items: list[dict[str, Any]] = []
    for error_item in error.errors():
        loc = tuple(part for part in error_item["loc"] if not (isinstance(part, str) and "[" in part))
        # A validator's ValueError reads "Value error, <reason>": the reason is what the author needs.
        items.append({**error_item, "loc": loc, "msg": error_item["msg"].removeprefix("Value error, ")})
    kept: list[dict[str, Any]] = []
    for item in items:
        loc = item["loc"]
        if loc and loc[-1] in _UNION_MEMBERS:
            place = loc[:-1]
            if any(other is not item and other["loc"][:len(place)] == place for other in items):
                continue
            item = {**item, "loc": place}
        if item not in kept:
            kept.append(item)
    return kept


def _pydantic_problems(
    located: _Located, error: ValidationError, prefix: tuple[Any, ...], model: type[BaseModel]
) -> Iterator[Problem]:
    for item in _user_errors(error):
        loc = prefix + tuple(item["loc"])
        if item["type"] == "extra_forbidden":
            allowed = ", ".join(_allowed_keys(model, tuple(item["loc"])[:-1]))
            yield located.problem(loc, f"unknown key {loc[-1]!r}; allowed: {allowed}", key=True)
        else:
            got = item.get("input")
            shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
            yield located.problem(loc, f"{item['msg']}{shown}")


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


def _validate_document(located: _Located) -> PolicyDocument:
    try:
        return PolicyDocument.model_validate(_plain(located.data))
    except ValidationError as exc:
        raise PolicyError(list(_pydantic_problems(located, exc, (), PolicyDocument))) from None


def _rule_entry(value: Any) -> dict[str, Any]:
    """A rule's entry as a mapping; ``missing-owner: off`` is short for ``{severity: off}``."""
    if isinstance(value, str):
        return {"severity": value}
    if value is None:
        return {}
    return dict(_plain(value)) if isinstance(value, Mapping) else {"severity": value}


def _unknown_rule(rule_id: str, registry: Registry) -> str:
    """"unknown rule 'x'; did you mean 'y'?": the message every unknown rule id gets."""
    near = registry.closest(rule_id)
    hint = f"; did you mean {near!r}?" if near else ""
    return f"unknown rule {rule_id!r}{hint} (`holdthread rules` lists them)"


def _validate_rules(
    located: _Located, rules: Mapping[str, Any], registry: Registry,
    defined: Collection[str] = (), limits: Limits | None = None,
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
        problems.append(located.problem(
            path, f"a rule entry is a severity (error, warning, info, off) or a mapping (got {raw!r})"
        ))
        return problems
    reserved = {k: entry[k] for k in RULE_ENTRY_KEYS if k in entry}
    try:
        RuleEntry.model_validate(reserved)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(located, exc, path, RuleEntry))
    if isinstance(reserved.get("targets"), Mapping):
        try:
            Targets.model_validate(reserved["targets"])
        except ValidationError as exc:
            problems.extend(_pydantic_problems(located, exc, (*path, "targets"), Targets))
    options = {k: v for k, v in entry.items() if k not in RULE_ENTRY_KEYS}
    try:
        options_model.model_validate(_paths_from_policy_folder(located, options_model, options))
    except ValidationError as exc:
        for problem in _pydantic_problems(located, exc, path, options_model):
            if "unknown key" in problem.message:
                allowed = sorted({*RULE_ENTRY_KEYS, *(f.alias or n for n, f in options_model.model_fields.items())})
                problem = Problem(
                    problem.source,
                    problem.message.split(";")[0] + f"; allowed for {rule_id}: {', '.join(allowed)}",
                    problem.line, problem.column, problem.path,
                )
            problems.append(problem)
    return problems


def _validate_policy_rule(
    located: _Located, path: tuple[Any, ...], rule_id: str, entry: dict[str, Any], registry: Registry, limits: Limits
) -> list[Problem]:
    """A policy-defined rule: its id, its kind, its keys, then its patterns against the limits."""
    if rule_id in registry.rules:
        return [located.problem(path, (
            f"{rule_id!r} is a rule of {registry.rule_plugins.get(rule_id) or 'a plugin'}; give the rule you define "
            "an id of its own, or remove `kind` to configure the existing rule"
        ), key=True)]
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
    return frozenset(ids), Limits.model_validate(limits)


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
    """Reads a policy and its ``extends`` chain, validating each file against a registry."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def load_file(self, path: Path) -> Policy:
        return self._resolve(self._read_path(path), [])

    def load_text(self, text: str, name: str = "<policy>") -> Policy:
        return self._resolve(read_policy_text(text, name), [])

    def load_mapping(self, data: Mapping[str, Any], name: str = "<policy>") -> Policy:
        buffer = io.StringIO()
        _yaml().dump(_plain(data), buffer)
        return self.load_text(buffer.getvalue(), name)

    def load_preset(self, name: str) -> Policy:
        return self._resolve(self._read_preset(name, None, ()), [])

    def _read_path(self, path: Path) -> _Located:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise PolicyError([Problem(str(path), "policy file not found")]) from None
        except UnicodeDecodeError as exc:
            raise PolicyError([Problem(str(path), f"not UTF-8 text (byte {exc.start})")]) from None
        return read_policy_text(text, str(path))

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

    def _parents(self, located: _Located, document: PolicyDocument) -> Iterator[tuple[tuple[Any, ...], _Located]]:
        """Each file or preset ``located`` extends, with the path of its ``extends`` entry."""
        names = [document.extends] if isinstance(document.extends, str) else document.extends
        for index, name in enumerate(names):
            path: tuple[Any, ...] = ("extends",) if isinstance(document.extends, str) else ("extends", index)
            if name.endswith((".yaml", ".yml")) or "/" in name:
                base = Path(located.name).parent if not located.name.startswith("<") else Path.cwd()
                target = (base / name).resolve()
                if not target.is_file():
                    raise PolicyError([located.problem(path, f"extends {name!r}: no such file ({target})")])
                yield path, self._read_path(target)
            else:
                yield path, self._read_preset(name, located, path)

    def _chain(self, located: _Located, seen: list[str]) -> list[tuple[_Located, PolicyDocument]]:
        """Files from the most basic preset to this one, each validated on its own.

        ``seen`` holds the files on the way here, by resolved path, so that ``a.yaml`` and
        ``./a.yaml`` are one file and a cycle is reported at the ``extends`` entry that closes it.
        """
        document = _validate_document(located)
        chain: list[tuple[_Located, PolicyDocument]] = []
        here = [*seen, _identity(located)]
        for path, parent in self._parents(located, document):
            if _identity(parent) in here:
                cycle = " -> ".join([*here, _identity(parent)])
                raise PolicyError([located.problem(path, f"extends cycle: {cycle}; remove one of these extends")])
            chain.extend(self._chain(parent, here))
        # Rules are checked after the files this one extends: it may configure rules they define.
        defined, limits = _defined_rules([*(item for item, _ in chain), located])
        problems = _validate_rules(located, document.rules, self.registry, defined, limits)
        problems += _validate_scoring(located, document.scoring, self.registry, defined)
        if problems:
            raise PolicyError(problems)
        chain.append((located, document))
        return chain

    def _resolve(self, located: _Located, seen: list[str]) -> Policy:
        chain = self._chain(located, seen)
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
            owners=effective.owners, vocabulary=effective.vocabulary,
            ticket_kind=effective.ticket_kind, limits=effective.limits, history=effective.history,
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


def load_policy(source: str | Path | Mapping[str, Any] | Policy | None, registry: Registry) -> Policy:
    """A policy from a path, a preset name, a mapping, a Policy, or discovery when ``None``.

    Discovery follows the README: ``holdthread.yaml`` or ``.holdthread.yaml`` from the working
    directory upwards, else the ``recommended`` preset.
    """
    loader = PolicyLoader(registry)
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
