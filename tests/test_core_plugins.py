"""Third-party plugins: a real example package found through its entry point, configured by a
policy, listed by `holdthread rules`; clashes and crashing rules reported clearly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

import holdthread
from holdthread import Finding, Linter, Rule, RuleContext
from holdthread.linter.errors import PolicyError, RuleError
from holdthread.linter.plugins import ENTRY_POINT_GROUP, make_plugin_manager
from holdthread.linter.registry import PluginConflictError, Registry

PLUGIN_SOURCE = Path(__file__).resolve().parent / "plugin_example"
NOTE = ("Owner: @data-platform-oncall (Priya). Export is BROKEN again and the customer is FURIOUS; "
        "the GDPR export over HTTPS fails with E1042 at 10:42 UTC.")


def install_distribution(site: Path) -> Path:
    """Install the example plugin into ``site`` as an installer would: package + ``*.dist-info``.

    The dist-info's metadata and entry points come from the plugin's own pyproject.toml, so the
    test exercises what the package declares, found by importlib.metadata like any installed
    distribution (no network, no build backend needed).
    """
    project = tomllib.loads((PLUGIN_SOURCE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    shutil.copytree(PLUGIN_SOURCE / "holdthread_example", site / "holdthread_example")
    dist_name = project["name"].replace("-", "_")
    info = site / f"{dist_name}-{project['version']}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
        f"Summary: {project['description']}\n", encoding="utf-8")
    groups = project["entry-points"]
    entry_points = "".join(
        f"[{group}]\n" + "".join(f"{name} = {target}\n" for name, target in items.items()) + "\n"
        for group, items in groups.items()
    )
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    (info / "top_level.txt").write_text("holdthread_example\n", encoding="utf-8")
    (info / "INSTALLER").write_text("holdthread-tests\n", encoding="utf-8")
    return site


@pytest.fixture
def plugin_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The example plugin installed in a fresh folder on sys.path, removed afterwards."""
    site = install_distribution(tmp_path / "site-packages")
    monkeypatch.syspath_prepend(str(site))
    yield site
    sys.modules.pop("holdthread_example", None)


@pytest.fixture
def plugin_registry(plugin_site: Path) -> Registry:
    return Registry.from_plugin_manager(make_plugin_manager())


def test_the_example_declares_an_entry_point_in_the_holdthread_group() -> None:
    project = tomllib.loads((PLUGIN_SOURCE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["entry-points"][ENTRY_POINT_GROUP] == {"example": "holdthread_example"}


def test_entry_point_plugin_is_discovered(plugin_registry: Registry) -> None:
    assert "example/no-shouting" in plugin_registry.rules
    assert plugin_registry.rule_plugins["example/no-shouting"] == "example"
    # Built-ins come through the same hooks, side by side with the plugin.
    assert {"missing-owner", "vague-language"} <= set(plugin_registry.rules)
    assert plugin_registry.rule_plugins["missing-owner"] == "holdthread.rules.missing_owner"


def test_without_entry_points_the_plugin_is_absent(plugin_site: Path) -> None:
    registry = Registry.from_plugin_manager(make_plugin_manager(load_entry_points=False))
    assert "example/no-shouting" not in registry.rules


def test_plugin_rule_runs_and_is_configured_from_a_policy(plugin_registry: Registry, tmp_path: Path) -> None:
    policy = tmp_path / "holdthread.yaml"
    policy.write_text(
        "extends: recommended\n"
        "rules:\n"
        "  example/no-shouting:\n"
        "    severity: warning\n"
        "    min_letters: 4\n"
        "    allow: [HTTPS, GDPR]\n", encoding="utf-8")
    linter = Linter(policy, registry=plugin_registry)
    config = linter.policy.rules["example/no-shouting"]
    assert config.severity == "warning"
    assert type(config.options).__name__ == "NoShoutingOptions"
    report = linter.check_text(NOTE)
    shouting = [a for a in report.annotations if a.rule == "example/no-shouting"]
    assert [a.text for a in shouting] == ["BROKEN", "FURIOUS"]
    assert {a.severity for a in shouting} == {"warning"}
    assert all(NOTE[a.start:a.end] == a.text for a in shouting)


def test_plugin_defaults_and_opt_in(plugin_registry: Registry) -> None:
    # A plugin's rule is off until a policy (or --select) turns it on, like any unlisted rule.
    assert "example/no-shouting" not in Linter("recommended", registry=plugin_registry).policy.rules
    selected = Linter("recommended", select=["example/no-shouting"], registry=plugin_registry)
    found = [a for a in selected.check_text(NOTE).annotations]
    # Defaults: min_letters 5 (E1042 and UTC are too short), HTTPS allowed, severity info.
    assert [(a.text, a.severity) for a in found] == [("BROKEN", "info"), ("FURIOUS", "info")]


def test_plugin_options_are_validated_by_its_model(plugin_registry: Registry, tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("rules:\n  example/no-shouting:\n    min_letter: 4\n    allow: HTTPS\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        Linter(policy, registry=plugin_registry)
    problems = [str(p) for p in caught.value.problems]
    assert any(p.startswith(f"{policy}:3:5: rules.example/no-shouting.min_letter: unknown key 'min_letter'; "
                            "allowed for example/no-shouting: allow, min_letters, severity, targets") for p in problems)
    assert any(p.startswith(f"{policy}:4:12: rules.example/no-shouting.allow:") for p in problems)


def _run_installed(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command in a fresh process that sees the plugin's distribution on its path."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "holdthread", *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False, cwd=site)


def test_holdthread_rules_lists_and_documents_the_plugin_rule(plugin_site: Path) -> None:
    listed = _run_installed(plugin_site, "rules", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    assert rows["example/no-shouting"]["plugin"] == "example"
    assert rows["example/no-shouting"]["severity"] == "off"  # not in the recommended policy
    assert rows["example/no-shouting"]["default_severity"] == "info"

    doc = _run_installed(plugin_site, "rules", "example/no-shouting")
    assert doc.returncode == 0, doc.stderr
    assert doc.stdout.startswith("# example/no-shouting")
    assert "Provided by: `example`" in doc.stdout
    assert "| `min_letters` | `5` |" in doc.stdout

    note = plugin_site / "note.md"
    note.write_text(NOTE, encoding="utf-8")
    checked = _run_installed(plugin_site, "check", "--select", "example/no-shouting", "--fail-on", "info", "note.md")
    assert checked.returncode == 1, checked.stderr
    assert "info[example/no-shouting] Shouting: 'BROKEN' is in capitals." in checked.stdout


# --- clashes and crashes -----------------------------------------------------------------------


class _Shouting(Rule):
    summary = "test rule"
    doc = "test rule"

    def check(self, context: RuleContext) -> list[Finding]:
        return []


class _AcmeShouting(_Shouting):
    id = "example/no-shouting"


class _GlobexShouting(_Shouting):
    id = "example/no-shouting"


class _AcmePlugin:
    @holdthread.hookimpl
    def holdthread_rules(self) -> list[type[Rule]]:
        return [_AcmeShouting]


class _GlobexPlugin:
    @holdthread.hookimpl
    def holdthread_rules(self) -> list[type[Rule]]:
        return [_GlobexShouting]


def test_two_rules_with_one_id_is_an_error_naming_both_plugins() -> None:
    manager = make_plugin_manager(load_entry_points=False)
    manager.register(_AcmePlugin(), name="acme-holdthread")
    manager.register(_GlobexPlugin(), name="globex-holdthread")
    with pytest.raises(PluginConflictError) as caught:
        Registry.from_plugin_manager(manager)
    message = str(caught.value)
    assert "'example/no-shouting'" in message
    assert "'acme-holdthread'" in message and "'globex-holdthread'" in message
    assert "uninstall one of them or rename" in message


def test_a_plugin_cannot_shadow_a_built_in_rule() -> None:
    class Impostor(_Shouting):
        id = "missing-owner"

    class ImpostorPlugin:
        @holdthread.hookimpl
        def holdthread_rules(self) -> list[type[Rule]]:
            return [Impostor]

    manager = make_plugin_manager(load_entry_points=False)
    manager.register(ImpostorPlugin(), name="impostor")
    with pytest.raises(PluginConflictError, match=r"'holdthread\.rules\.missing_owner' and 'impostor'"):
        Registry.from_plugin_manager(manager)


def test_a_crashing_rule_is_reported_without_the_note_text() -> None:
    class Crashes(_Shouting):
        id = "example/crashes"

        def check(self, context: RuleContext) -> list[Finding]:
            return [Finding(0, 1, {"x": 1}["missing"])]  # type: ignore[index]

    class CrashPlugin:
        @holdthread.hookimpl
        def holdthread_rules(self) -> list[type[Rule]]:
            return [Crashes]

    manager = make_plugin_manager(load_entry_points=False)
    manager.register(CrashPlugin(), name="crashy")
    linter = Linter("recommended", select=["example/crashes"], registry=Registry.from_plugin_manager(manager))
    with pytest.raises(RuleError) as caught:
        linter.check_text("Refund for Dana Reyes, card ending 4242: owner @payments-oncall.")
    message = str(caught.value)
    assert "rule 'example/crashes' (plugin 'crashy') failed on the draft of ticket note: KeyError" in message
    assert "--ignore example/crashes" in message
    assert "Dana" not in message and "4242" not in message
