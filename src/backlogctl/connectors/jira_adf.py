"""Atlassian Document Format (Jira REST v3 rich text) to readable plain text.

Blocks become paragraphs separated by a blank line; headings, lists, quotes and code blocks
keep a light Markdown shape (``## Title``, ``- item``, ``1. item``, fenced code) so structure
survives; links keep their URL, mentions their display name. Unknown nodes contribute their text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from backlogctl.connectors.jira_types import scalar_text
from backlogctl.connectors.limits import too_deep

#: Deepest nesting (JSON levels) rendered with structure; deeper documents become flat text.
MAX_DEPTH = 64


def adf_to_text(document: Any) -> str | None:
    """Plain text of an ADF document; a string (API v2 wiki markup) is returned unchanged."""
    if document is None:
        return None
    if isinstance(document, str):
        return document.strip() or None
    if not isinstance(document, dict):
        return scalar_text(document) or None
    if too_deep(document, MAX_DEPTH):
        text = _flat_text(document).strip()
    else:
        text = _blocks(_nodes(document), indent="").strip()
    return text or None


def _nodes(node: dict[str, Any]) -> list[Any]:
    content = node.get("content")
    if isinstance(content, str):
        content = [content]
    if not isinstance(content, list):
        return []
    # A text where a node belongs is not ADF, but what the Jira client leaves where a reply
    # was nested too deeply: shown as text.
    return [{"type": "text", "text": c} if isinstance(c, str) else c for c in content]


def _flat_text(document: dict[str, Any]) -> str:
    """Every text node's text in document order, one paragraph per line (iterative)."""
    parts: list[str] = []
    stack: list[Any] = [document]
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


def _blocks(nodes: list[Any], indent: str) -> str:
    rendered = [_block(node, indent) for node in nodes if isinstance(node, dict)]
    return "\n\n".join(part for part in rendered if part)


def _block(node: dict[str, Any], indent: str) -> str:
    kind = node.get("type")
    content = _nodes(node)
    attrs = _attrs(node)
    if kind == "paragraph":
        return _prefix_lines(_inline(content), indent)
    if kind == "text":
        return _prefix_lines(_inline_node(node), indent)
    if kind == "heading":
        level = _int(attrs.get("level"), 1)
        return indent + "#" * max(1, min(level, 6)) + " " + _inline(content)
    if kind in ("bulletList", "orderedList"):
        return _list(node, indent)
    if kind == "codeBlock":
        language = attrs.get("language") or ""
        code = "".join(str(child.get("text", "")) for child in content if isinstance(child, dict))
        return _prefix_lines(f"```{language}\n{code}\n```", indent)
    if kind == "blockquote":
        inner = _blocks(content, "")
        return _prefix_lines("\n".join("> " + line for line in inner.splitlines()), indent)
    if kind == "rule":
        return indent + "---"
    if kind == "panel":
        label = str(attrs.get("panelType", "info")).upper()
        return _prefix_lines(f"{label}: " + _blocks(content, ""), indent)
    if kind == "table":
        return "\n".join(_table_row(row) for row in content if isinstance(row, dict))
    if kind in ("mediaSingle", "mediaGroup", "media"):
        return ""
    if any(isinstance(child, dict) and child.get("type") == "text" for child in content):
        return _prefix_lines(_inline(content), indent)
    return _blocks(content, indent)


def _list(node: dict[str, Any], indent: str) -> str:
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
            if child.get("type") in ("bulletList", "orderedList"):
                parts.append(_list(child, indent + "  "))
            else:
                parts.append(_block(child, ""))
        first, *rest = [part for part in parts if part] or [""]
        head, *continuation = first.splitlines() or [""]
        lines.append(indent + marker + head)
        lines.extend(indent + " " * len(marker) + line for line in continuation)
        lines.extend(rest)
    return "\n".join(lines)


def _table_row(row: dict[str, Any]) -> str:
    cells = [_blocks(_nodes(cell), "") for cell in _nodes(row) if isinstance(cell, dict)]
    return "| " + " | ".join(cell.replace("\n", " ") for cell in cells) + " |"


def _inline(nodes: list[Any]) -> str:
    return "".join([_inline_node(node) for node in nodes if isinstance(node, dict)])


def _inline_node(node: dict[str, Any]) -> str:
    kind = node.get("type")
    if kind == "text":
        text = str(node.get("text", ""))
        marks = node.get("marks")
        for mark in marks if isinstance(marks, list) else ():
            if not isinstance(mark, dict):
                continue
            if mark.get("type") == "link":
                href = _attrs(mark).get("href")
                if href and href != text:
                    text = f"{text} ({href})"
            elif mark.get("type") == "code":
                text = f"`{text}`"
        return text
    if kind == "hardBreak":
        return "\n"
    attrs = _attrs(node)
    if kind == "mention":
        name = str(attrs.get("text") or attrs.get("id") or "")
        return name if name.startswith("@") else "@" + name
    if kind == "emoji":
        return str(attrs.get("text") or attrs.get("shortName") or "")
    if kind in ("inlineCard", "blockCard"):
        return str(attrs.get("url") or "")
    if kind == "date":
        try:
            stamp = int(str(attrs.get("timestamp")))
            return dt.datetime.fromtimestamp(stamp / 1000, tz=dt.UTC).date().isoformat()
        except (ValueError, OverflowError, OSError):
            return ""
    if kind == "status":
        return f"[{attrs.get('text', '')}]"
    return _inline(_nodes(node))


def _attrs(node: dict[str, Any]) -> dict[str, Any]:
    attrs = node.get("attrs")
    return attrs if isinstance(attrs, dict) else {}


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def _prefix_lines(text: str, indent: str) -> str:
    if not indent:
        return text
    return "\n".join(indent + line for line in text.splitlines())
