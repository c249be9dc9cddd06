"""Atlassian Document Format (Jira REST v3 rich text) to readable plain text.

Blocks become paragraphs separated by a blank line; headings, lists, quotes and code blocks
keep a light Markdown shape (``## Title``, ``- item``, ``1. item``, fenced code) so structure
survives; links keep their URL, mentions their display name. Unknown nodes contribute their text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from backlogctl.connectors.jira_types import scalar_text

#: Deepest node nesting rendered with structure; what lies deeper is read as flat text.
MAX_DEPTH = 32


def adf_to_text(document: Any) -> str | None:
    """Plain text of an ADF document; a string (API v2 wiki markup) is returned unchanged."""
    if document is None:
        return None
    if isinstance(document, str):
        return document.strip() or None
    if not isinstance(document, dict):
        return scalar_text(document) or None
    return _blocks(_nodes(document), "", 1).strip() or None


def _nodes(node: dict[str, Any]) -> list[Any]:
    content = node.get("content")
    return content if isinstance(content, list) else []


def _flat_text(nodes: list[Any]) -> str:
    """Every text node's text in document order, one paragraph per line (iterative)."""
    parts: list[str] = []
    stack: list[Any] = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        if node.get("type") == "text":
            parts.append(scalar_text(node.get("text")))
        elif node.get("type") in ("paragraph", "heading", "hardBreak") and parts:
            parts.append("\n")
        stack.extend(reversed(_nodes(node)))
    return "".join(parts)


def _blocks(nodes: list[Any], indent: str, depth: int) -> str:
    if depth > MAX_DEPTH:
        return _prefix_lines(_flat_text(nodes), indent)
    rendered = [_block(node, indent, depth) for node in nodes if isinstance(node, dict)]
    return "\n\n".join(part for part in rendered if part)


def _block(node: dict[str, Any], indent: str, depth: int) -> str:
    kind = node.get("type")
    content = _nodes(node)
    attrs = _attrs(node)
    inner = depth + 1
    if kind == "paragraph":
        return _prefix_lines(_inline(content, inner), indent)
    if kind == "heading":
        level = _int(attrs.get("level"), 1)
        return indent + "#" * max(1, min(level, 6)) + " " + _inline(content, inner)
    if kind in ("bulletList", "orderedList"):
        return _list(node, indent, depth)
    if kind == "codeBlock":
        language = scalar_text(attrs.get("language"))
        code = "".join(
            scalar_text(child.get("text")) for child in content if isinstance(child, dict)
        )
        return _prefix_lines(f"```{language}\n{code}\n```", indent)
    if kind == "blockquote":
        quoted = _blocks(content, "", inner)
        return _prefix_lines("\n".join("> " + line for line in quoted.splitlines()), indent)
    if kind == "rule":
        return indent + "---"
    if kind == "panel":
        label = scalar_text(attrs.get("panelType"), "info").upper()
        return _prefix_lines(f"{label}: " + _blocks(content, "", inner), indent)
    if kind == "table":
        return "\n".join(_table_row(row, inner) for row in content if isinstance(row, dict))
    if kind in ("mediaSingle", "mediaGroup", "media"):
        return ""
    if any(isinstance(child, dict) and child.get("type") == "text" for child in content):
        return _prefix_lines(_inline(content, inner), indent)
    return _blocks(content, indent, inner)


def _list(node: dict[str, Any], indent: str, depth: int) -> str:
    ordered = node.get("type") == "orderedList"
    start = _int(_attrs(node).get("order"), 1)
    lines: list[str] = []
    for number, item in enumerate(_nodes(node), start=start):
        if not isinstance(item, dict):
            continue
        marker = f"{number}. " if ordered else "- "
        parts: list[str] = []
        for child in _nodes(item):
            if not isinstance(child, dict):
                continue
            if depth > MAX_DEPTH:
                parts.append(_flat_text([child]))
            elif child.get("type") in ("bulletList", "orderedList"):
                parts.append(_list(child, indent + "  ", depth + 2))
            else:
                parts.append(_block(child, "", depth + 2))
        first, *rest = [part for part in parts if part] or [""]
        head, *continuation = first.splitlines() or [""]
        lines.append(indent + marker + head)
        lines.extend(indent + " " * len(marker) + line for line in continuation)
        lines.extend(rest)
    return "\n".join(lines)


def _table_row(row: dict[str, Any], depth: int) -> str:
    cells = [_blocks(_nodes(cell), "", depth + 1) for cell in _nodes(row) if isinstance(cell, dict)]
    return "| " + " | ".join(cell.replace("\n", " ") for cell in cells) + " |"


def _inline(nodes: list[Any], depth: int) -> str:
    if depth > MAX_DEPTH:
        return _flat_text(nodes)
    return "".join([_inline_node(node, depth) for node in nodes if isinstance(node, dict)])


def _inline_node(node: dict[str, Any], depth: int) -> str:
    kind = node.get("type")
    if kind == "text":
        text = scalar_text(node.get("text"))
        marks = node.get("marks")
        for mark in marks if isinstance(marks, list) else ():
            if not isinstance(mark, dict):
                continue
            if mark.get("type") == "link":
                href = scalar_text(_attrs(mark).get("href"))
                if href and href != text:
                    text = f"{text} ({href})"
            elif mark.get("type") == "code":
                text = f"`{text}`"
        return text
    if kind == "hardBreak":
        return "\n"
    attrs = _attrs(node)
    if kind == "mention":
        name = scalar_text(attrs.get("text")) or scalar_text(attrs.get("id"))
        return name if name.startswith("@") else "@" + name
    if kind == "emoji":
        return scalar_text(attrs.get("text")) or scalar_text(attrs.get("shortName"))
    if kind in ("inlineCard", "blockCard"):
        return scalar_text(attrs.get("url"))
    if kind == "date":
        try:
            stamp = int(scalar_text(attrs.get("timestamp")))
            return dt.datetime.fromtimestamp(stamp / 1000, tz=dt.UTC).date().isoformat()
        except (ValueError, OverflowError, OSError):
            return ""
    if kind == "status":
        return f"[{scalar_text(attrs.get('text'))}]"
    return _inline(_nodes(node), depth + 1)


def _attrs(node: dict[str, Any]) -> dict[str, Any]:
    attrs = node.get("attrs")
    return attrs if isinstance(attrs, dict) else {}


def _int(value: Any, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return default
    try:
        return int(value)
    except (ValueError, OverflowError):
        return default


def _prefix_lines(text: str, indent: str) -> str:
    if not indent:
        return text
    return "\n".join(indent + line for line in text.splitlines())
