"""The plugin manager: built-ins and entry-point plugins, loaded the same way."""

from __future__ import annotations

import functools
from importlib import import_module

import pluggy

from holdthread.linter import hookspecs

#: Built-in plugins, registered through the very hooks third-party plugins use.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "holdthread.rules.invalid_suppression",
    "holdthread.rules.missing_owner",
    "holdthread.rules.missing_repro_steps",
    "holdthread.rules.repeated_ask",
    "holdthread.rules.vague_language",
    "holdthread.rules.owner_bounce",
    "holdthread.rules.customer_repeated",
    "holdthread.rules.unsupported_claim",
    "holdthread.rules.missing_context",
    "holdthread.rules.missing_expected_actual",
    "holdthread.rules.pii_in_note",
    "holdthread.rules.no_next_step",
    "holdthread.rules.stale_macro",
    "holdthread.rules.not_in_thread",
    "holdthread.plugins.presets",
    "holdthread.plugins.formats",
    "holdthread.plugins.generic",
    "holdthread.plugins.jsonl",
    "holdthread.plugins.zendesk",
    "holdthread.plugins.freshdesk",
    "holdthread.plugins.intercom",
    "holdthread.plugins.django_helpdesk",
    "holdthread.plugins.csv_export",
    "holdthread.plugins.macros",
)

ENTRY_POINT_GROUP = "holdthread"


def make_plugin_manager(*, load_entry_points: bool = True) -> pluggy.PluginManager:
    """A fresh plugin manager with the built-ins and (by default) every installed plugin."""
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    for module_name in BUILTIN_PLUGINS:
        manager.register(import_module(module_name), name=module_name)
    if load_entry_points:
        manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    manager.check_pending()
    return manager


@functools.cache
def default_plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager; entry points are scanned once per process."""
    return make_plugin_manager()
