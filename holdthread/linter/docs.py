"""Rule documentation, in ruff's shape, rendered from the rule class itself.

``holdthread rules ID`` prints it and ``docs/rules/ID.md`` holds the same text (a test keeps
them in step), so the documentation cannot drift from the code.
"""

from __future__ import annotations

import inspect
import json

from pydantic import BaseModel

from holdthread.linter.nlp import describe
from holdthread.linter.rule import Rule


def _options_table(rule: type[Rule]) -> str:
    """Each option under the key a policy writes (its alias: `if`, not the Python name `if_`),
    its default, or "required" when the policy must give it."""
    fields = rule.Options.model_fields
    if not fields:
        return "This rule has no options besides `severity` and `targets`."
    lines = ["| option | default | meaning |", "| --- | --- | --- |"]
    for name, info in fields.items():
        key = info.validation_alias if isinstance(info.validation_alias, str) else info.alias or name
        default = info.get_default(call_default_factory=True)
        as_json = json.dumps(default, default=lambda v: v.model_dump() if isinstance(v, BaseModel) else str(v))
        shown = "required" if info.is_required() else f"`{as_json}`"
        lines.append(f"| `{key}` | {shown} | {info.description or ''} |")
    return "\n".join(lines)


def _targets(rule: type[Rule]) -> str:
    t = rule.targets
    parts = []
    parts.append("kinds: " + (", ".join(t.kinds) if t.kinds else "any"))
    parts.append(f"visibility: {t.visibility}")
    parts.append("authors: " + ", ".join(t.authors))
    if t.ticket_types:
        parts.append("ticket types: " + ", ".join(t.ticket_types))
    return "; ".join(parts)


def rule_markdown(rule: type[Rule]) -> str:
    """The full documentation page of a rule."""
    header = (
        f"# {rule.id}\n\n"
        f"{rule.summary}\n\n"
        f"- Default severity: `{rule.default_severity}`\n"
        f"- Reads: {_targets(rule)} ({'the whole ticket' if rule.scope == 'ticket' else 'one note at a time'})\n"
        f"- Needs from spaCy: {', '.join(sorted(rule.needs)) or 'nothing'} ({describe(rule.needs)})\n"
        f"- Provided by: `{rule.plugin or rule.__module__}`\n\n"
    )
    options = f"\n\n## Options\n\n{_options_table(rule)}\n"
    return header + inspect.cleandoc(rule.doc).strip() + options
