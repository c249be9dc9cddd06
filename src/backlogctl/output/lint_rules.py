"""Text for ``backlogctl rules``: the rule list, and one rule's documentation with options."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from backlogctl.lint.rule import Rule
from backlogctl.output.text import align


def render_rule_list(rules: Iterable[Rule]) -> str:
    """One line per rule: code, name, default severity, summary."""
    rows = [[rule.code, rule.name, rule.severity, rule.summary] for rule in rules]
    return "\n".join(align(["code", "name", "severity", "summary"], rows)) + "\n"


def render_rule_doc(rule: Rule) -> str:
    """A rule's heading, default severity, documentation and options with their defaults."""
    lines = [f"{rule.code} {rule.name} (default severity: {rule.severity})", ""]
    body = rule.doc.strip().split("\n", 1)
    lines.append(f"{rule.summary}.")
    if len(body) > 1:
        lines.append(body[1].rstrip())
    lines += ["", "Options:"]
    fields = rule.options.model_fields
    if not fields:
        lines.append("  (none)")
    for name, field in fields.items():
        default = field.get_default(call_default_factory=True)
        lines.append(f"  {name} = {_shown(default)}: {field.description or ''}".rstrip(": "))
    return "\n".join(lines) + "\n"


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
