"""Every pluggy hook holdthread calls, in one file.

Built-in rules, sources, formats and presets are ordinary plugins of these hooks, exactly like
third-party plugins, which register through the ``holdthread`` entry-point group (like pytest's
``pytest11``). A plugin implements only the hooks it needs, with ``@holdthread.hookimpl``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from holdthread.linter.formats import Formatter
    from holdthread.linter.rule import Rule
    from holdthread.linter.sources import Source

PROJECT = "holdthread"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def holdthread_rules() -> list[type[Rule]]:  # type: ignore[empty-body]
    """Return the rule classes this plugin provides.

    Called once when a :class:`holdthread.Linter` (or the command line) builds its rule registry.
    Each class subclasses :class:`holdthread.Rule` and has a unique ``id``; a plugin's own rules
    should be named ``plugin-name/rule-id``. Two rules with the same id are an error that names
    both plugins.
    """


@hookspec
def holdthread_formats() -> list[type[Formatter]]:  # type: ignore[empty-body]
    """Return the output formats (``holdthread check --format NAME``) this plugin provides.

    Each class subclasses :class:`holdthread.linter.formats.Formatter` and has a unique ``name``.
    """


@hookspec
def holdthread_sources() -> list[type[Source]]:  # type: ignore[empty-body]
    """Return the input sources (helpdesk exports, payloads) this plugin can read.

    Each class subclasses :class:`holdthread.linter.sources.Source` and has a unique ``name``;
    ``holdthread audit --source NAME`` picks one, otherwise each source's ``detect`` is asked.
    """


@hookspec
def holdthread_presets() -> dict[str, str]:  # type: ignore[empty-body]
    """Return named policy presets, as ``{name: YAML text}``.

    A policy's ``extends: NAME`` resolves against these names (``recommended`` and ``strict``
    are built in). Two presets with the same name are an error.
    """
