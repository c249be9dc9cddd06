"""Atlassian Document Format (Jira REST v3 rich text) to readable plain text.

Blocks become paragraphs separated by a blank line; headings, lists, quotes and code blocks
keep a light Markdown shape (``## Title``, ``- item``, ``1. item``, fenced code) so structure
survives; links keep their URL, mentions their display name. Unknown nodes contribute their text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def adf_to_text(document: Any) -> str | None:
    """Plain text of an ADF document; a string (API v2 wiki markup) is returned unchanged."""
    if document is None:
        return None
    if isinstance(document, str):
        return document.strip() or None
    if not isinstance(document, dict):
        return str(document)
    text = _blocks(document.get("content", []), indent="").strip()
    return text or None


def _blocks(nodes: list[Any], indent: str) -> str:
    rendered = [_block(node, indent) for node in nodes if isinstance(node, dict)]
    return "\n\n".join(part for part in rendered if part)


def _block(node: dict[str, Any], indent: str) -> str:
    kind = node.get("type")
    content = node.get("content", [])
    attrs = node.get("attrs") or {}
    if kind == "paragraph":
        return _prefix_lines(_inline(content), indent)
    if kind == "heading":
        level = int(attrs.get("level", 1))
        return indent + "#" * max(1, min(level, 6)) + " " + _inline(content)
    if kind in ("bulletList", "orderedList"):
        return _list(node, indent)
    if kind == "codeBlock":
        language = attrs.get("language") or ""
        code = "".join(child.get("text", "") for child in content if isinstance(child, dict))
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
    start = int((node.get("attrs") or {}).get("order", 1))
    lines: list[str] = []
    for number, item in enumerate(node.get("content", []), start=start):
        if not isinstance(item, dict):
            continue
        marker = f"{number}. " if ordered else "- "
        parts: list[str] = []
        for child in item.get("content", []):
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
    cells = [_blocks(cell.get("content", []), "") for cell in row.get("content", [])]
    return "| " + " | ".join(cell.replace("\n", " ") for cell in cells) + " |"


def _inline(nodes: list[Any]) -> str:
    return "".join([_inline_node(node) for node in nodes if isinstance(node, dict)])


def _inline_node(node: dict[str, Any]) -> str:
    kind = node.get("type")
    if kind == "text":
        text = str(node.get("text", ""))
        for mark in node.get("marks") or ():
            if mark.get("type") == "link":
                href = (mark.get("attrs") or {}).get("href")
                if href and href != text:
                    text = f"{text} ({href})"
            elif mark.get("type") == "code":
                text = f"`{text}`"
        return text
    if kind == "hardBreak":
        return "\n"
    attrs = node.get("attrs") or {}
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
        except ValueError:
            return ""
        return dt.datetime.fromtimestamp(stamp / 1000, tz=dt.UTC).date().isoformat()
    if kind == "status":
        return f"[{attrs.get('text', '')}]"
    return _inline(node.get("content", []))


def _prefix_lines(text: str, indent: str) -> str:
    if not indent:
        return text
    return "\n".join(indent + line for line in text.splitlines())
