"""What the installed plugins provide: rules, formats, sources and presets, by name.

Each hook implementation is called on its own so that a clash (two rules with one id) can name
both plugins; flake8 silently drops one of them, which is the surprise we avoid.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import pluggy

from holdthread.linter.errors import HoldthreadError
from holdthread.linter.plugins import default_plugin_manager

if TYPE_CHECKING:
    from holdthread.linter.formats import Formatter
    from holdthread.linter.rule import Rule
    from holdthread.linter.sources import Source

T = TypeVar("T")


class PluginConflictError(HoldthreadError):
    """Two plugins provide the same rule id, format, source or preset name."""


def _collect(
    manager: pluggy.PluginManager,
    hook_name: str,
    key: Callable[[Any], str],
    what: str,
    *,
    items: Callable[[Any], Iterable[Any]] = lambda result: result,
) -> tuple[dict[str, Any], dict[str, str]]:
    found: dict[str, Any] = {}
    owners: dict[str, str] = {}
    hook = getattr(manager.hook, hook_name)
    for impl in hook.get_hookimpls():  # registration order: built-ins first, then entry points
        result = impl.function()
        for item in items(result or []):
            name = key(item)
            if name in found:
                raise PluginConflictError(
                    f"two plugins provide the {what} {name!r}: {owners[name]!r} and {impl.plugin_name!r}; "
                    f"uninstall one of them or rename the {what}"
                )
            found[name] = item
            owners[name] = impl.plugin_name
    return found, owners


@dataclass
class Registry:
    """Every rule, format, source and preset the installed plugins provide."""

    rules: dict[str, type[Rule]] = field(default_factory=dict)
    formats: dict[str, type[Formatter]] = field(default_factory=dict)
    sources: dict[str, type[Source]] = field(default_factory=dict)
    presets: dict[str, str] = field(default_factory=dict)
    #: Which plugin provided each rule id.
    rule_plugins: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_plugin_manager(cls, manager: pluggy.PluginManager) -> Registry:
        rules, rule_plugins = _collect(manager, "holdthread_rules", lambda r: r.id, "rule")
        for rule_id, rule_class in rules.items():
            rule_class.plugin = rule_plugins[rule_id]
        formats, _ = _collect(manager, "holdthread_formats", lambda f: f.name, "format")
        sources, _ = _collect(manager, "holdthread_sources", lambda s: s.name, "source")
        presets, _ = _collect(
            manager, "holdthread_presets", lambda item: item[0], "preset",
            items=lambda result: result.items(),
        )
        return cls(
            rules=rules,
            formats=formats,
            sources=sources,
            presets={name: text for name, text in presets.values()},
            rule_plugins=rule_plugins,
        )

    def closest(self, rule_id: str) -> str | None:
        matches = difflib.get_close_matches(rule_id, list(self.rules), n=1)
        return matches[0] if matches else None


@functools.cache
def default_registry() -> Registry:
    """The registry of the process-wide plugin manager, built once."""
    return Registry.from_plugin_manager(default_plugin_manager())
