"""Text for ``backlogctl rules``: the rule list, and one rule's documentation with options.

Rule docstrings are written in reStructuredText (``code``, ``Example::`` followed by an
indented block). ``plain_doc`` turns them into plain text that is also Markdown (single
backticks, a colon before an indented block); ``markdown_doc`` fences the blocks as YAML
(SARIF viewers render it).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from typing import Any

from backlogctl.lint.rule import Rule
from backlogctl.output.text import align

_INLINE_CODE = re.compile(r"``(.+?)``", re.S)  # may wrap onto the next line


def plain_doc(text: str) -> str:
    """reStructuredText inline code and literal-block markers as plain text (also Markdown)."""
    lines = []
    for line in _INLINE_CODE.sub(r"`\1`", text).splitlines():
        stripped = line.rstrip()
        lines.append(stripped[:-1] if stripped.endswith("::") else line)
    return "\n".join(lines)


def markdown_doc(text: str) -> str:
    """A rule docstring as Markdown: inline code in backticks, literal blocks fenced as YAML."""
    out: list[str] = []
    block: list[str] | None = None  # the literal block being collected
    for line in [*_INLINE_CODE.sub(r"`\1`", text).splitlines(), ""]:
        if block is not None:
            if not line.strip() or line.startswith(" "):
                block.append(line)
                continue
            out += ["```yaml", *textwrap.dedent("\n".join(block)).strip("\n").splitlines()]
            out += ["```", ""]
            block = None
        if line.rstrip().endswith("::"):
            out.append(line.rstrip()[:-1])
            block = []
        else:
            out.append(line)
    if block:
        out += ["```yaml", *textwrap.dedent("\n".join(block)).strip("\n").splitlines(), "```"]
    return "\n".join(out).rstrip() + "\n"


def render_rule_list(rules: Iterable[Rule]) -> str:
    """One line per rule: code, name, default severity, summary."""
    rows = [[rule.code, rule.name, rule.severity, plain_doc(rule.summary)] for rule in rules]
    return "\n".join(align(["code", "name", "severity", "summary"], rows)) + "\n"


def render_rule_doc(rule: Rule) -> str:
    """A rule's heading, default severity, documentation and options with their defaults."""
    lines = [f"{rule.code} {rule.name} (default severity: {rule.severity})", ""]
    body = rule.doc.strip().split("\n", 1)
    lines.append(f"{plain_doc(rule.summary)}.")
    if len(body) > 1:
        lines.append(plain_doc(body[1]).rstrip())
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
