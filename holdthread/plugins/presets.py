"""The built-in policy presets, ``recommended`` and ``strict``, shipped as YAML package data."""

from __future__ import annotations

from importlib import resources

from holdthread.linter.hookspecs import hookimpl

PRESET_NAMES = ("recommended", "strict")


@hookimpl
def holdthread_presets() -> dict[str, str]:
    folder = resources.files("holdthread") / "presets"
    return {name: (folder / f"{name}.yaml").read_text(encoding="utf-8") for name in PRESET_NAMES}
