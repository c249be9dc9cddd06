"""Targeted edits of items' ``rank:`` values in a YAML backlog's text (``rank --write``).

A YAML round-trip (load, change, dump) drops anchors, re-wraps flow lines and is slow on big
files, so ranks are written as text edits instead: within one item's entry (its span, found
by the YAML connector's scan), the ``rank:`` value is replaced in place, keeping its quoting,
tag and trailing comment; an item without one gets ``rank: N`` inserted after its ``key:``
line at the item's indentation (block style) or after its key inside its flow mapping. Every
other byte stays as it was. These are best-effort scans of the text: the caller re-parses the
edited text and checks it before writing anything (``sync/yaml_rank.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from backlogctl.errors import InputError


@dataclass(frozen=True)
class TextEdit:
    """Replace ``text[start:end]`` with ``new`` (an insertion when ``start == end``)."""

    start: int
    end: int
    new: str


class RankEditError(InputError):
    """An item's rank cannot be edited safely as text (an alias, an anchor others use ...)."""


_BLANK = " \t"
_PROPERTY = re.compile(r"[&!][^ \t\r\n,\[\]{}]*")
_VALUE = re.compile(
    r"""(?P<props>(?:[&!][^ \t\r\n,\[\]{}]*[ \t]+)*)"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^ \t\r\n"'][^ \t\r\n]*)?"""
)
_COMMENT = re.compile(r"[ \t]+#|^#")
_ANCHOR = re.compile(r"&([^ \t\r\n,\[\]{}]+)")


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """``text`` with non-overlapping ``edits`` applied (any order)."""
    parts: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda edit: (edit.start, edit.end)):
        parts.append(text[position : edit.start])
        parts.append(edit.new)
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)


def rank_edit(text: str, start: int, end: int, rank: int, *, has_rank: bool) -> TextEdit:
    """The edit that sets the rank of the item whose entry is ``text[start:end]`` to ``rank``.

    ``has_rank``: whether the parsed item has its own ``rank`` key (else one is inserted).
    Raises ``RankEditError`` (message only; the caller adds the location) when the item
    cannot be edited as text: an alias of a mapping defined elsewhere, a rank value carrying
    an anchor that aliases reuse, a ``rank:`` or ``key:`` the scan cannot find.
    """
    node, indent = _node_start(text, start, end)
    if text.startswith("*", node):
        raise RankEditError(
            f"the item is an alias ({text[node : _token_end(text, node)]}) of a mapping "
            "defined elsewhere: its rank cannot be written without changing that mapping; "
            "write the item out in full"
        )
    if text.startswith("{", node):
        return _flow_edit(text, node, end, rank, has_rank=has_rank)
    if text[node] in "[|>":
        raise RankEditError("the item is not a mapping of fields")
    return _block_edit(text, node, end, indent, rank, has_rank=has_rank)


def _node_start(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the item's mapping starts (after ``-``, anchors, tags, comments) and its column.

    The column is that of the first token on the mapping's first line, properties included:
    in ``- &a key: A`` the mapping's keys line up under ``&a``.
    """
    position = start
    while position < end and text[position] in _BLANK:
        position += 1
    if text.startswith("-", position) and text[position + 1 : position + 2] in ("", *" \t\r\n"):
        position += 1
    line_first: int | None = None
    while position < end:
        while position < end and text[position] in _BLANK:
            position += 1
        if position >= end:
            break
        char = text[position]
        if char == "#" or char in "\r\n":
            newline = text.find("\n", position)
            if newline == -1 or newline >= end:
                break
            position = newline + 1
            line_first = None
            continue
        if line_first is None:
            line_first = position
        if char in "&!":
            found = _PROPERTY.match(text, position)
            position = found.end() if found else position + 1
            continue
        return position, line_first - (text.rfind("\n", 0, line_first) + 1)
    raise RankEditError("cannot find the item's fields in its entry")


def _token_end(text: str, position: int) -> int:
    found = re.compile(r"[^ \t\r\n,\]}]*").match(text, position)
    return found.end() if found else position


@cache
def _block_key(name: str, indent: int) -> re.Pattern[str]:
    """``name:`` as a key at the start of a line indented ``indent`` (plain or quoted)."""
    escaped = re.escape(name)
    return re.compile(
        rf"""\n {{{indent}}}(?:{escaped}|"{escaped}"|'{escaped}')[ \t]*:(?=[ \t\r\n]|$)"""
    )


@cache
def _first_key(name: str) -> re.Pattern[str]:
    escaped = re.escape(name)
    return re.compile(rf"""(?:{escaped}|"{escaped}"|'{escaped}')[ \t]*:(?=[ \t\r\n]|$)""")


def _find_block_key(text: str, node: int, end: int, indent: int, name: str) -> int | None:
    """Position just after the colon of ``name:`` in the block mapping at ``node``, or None."""
    first = _first_key(name).match(text, node, end)
    if first is not None:
        return first.end()
    found = _block_key(name, indent).search(text, node, end)
    return found.end() if found else None


def _block_edit(
    text: str, node: int, end: int, indent: int, rank: int, *, has_rank: bool
) -> TextEdit:
    if has_rank:
        colon = _find_block_key(text, node, end, indent, "rank")
        if colon is None:
            raise RankEditError("cannot find its 'rank:' line")
        return _block_value_edit(text, colon, end, indent, rank)
    colon = _find_block_key(text, node, end, indent, "key")
    if colon is None:
        raise RankEditError("cannot find its 'key:' line to add 'rank:' after")
    return _insert_after_value(text, colon, end, indent, f"rank: {rank}")


def _line_end(text: str, position: int) -> int:
    """End of the line holding ``position``, before its ``\\r\\n`` or ``\\n``."""
    newline = text.find("\n", position)
    if newline == -1:
        newline = len(text)
    return newline - 1 if newline > position and text[newline - 1] == "\r" else newline


def _block_value_edit(text: str, colon: int, end: int, indent: int, rank: int) -> TextEdit:
    line_end = _line_end(text, colon)
    value_start = colon
    while value_start < line_end and text[value_start] in _BLANK:
        value_start += 1
    comment = _COMMENT.search(text[colon:line_end])
    value_end = colon + comment.start() if comment else line_end
    while value_end > value_start and text[value_end - 1] in _BLANK:
        value_end -= 1
    if value_start == value_end:
        below = _value_below(text, line_end, end, indent)
        if below is None:  # ``rank:`` with no value: null
            return TextEdit(colon, colon, f" {rank}")
        value_start, value_end = below
    return _value_edit(text, value_start, value_end, rank)


def _value_below(text: str, line_end: int, end: int, indent: int) -> tuple[int, int] | None:
    """The span of a value written on a line of its own below its key, or None."""
    position = text.find("\n", line_end)
    while position != -1 and position + 1 < end:
        start = position + 1
        stop = _line_end(text, start)
        stripped = text[start:stop].lstrip(_BLANK)
        if stripped and not stripped.startswith("#"):
            if stop - len(stripped) - start <= indent:
                return None
            value_start = stop - len(stripped)
            comment = _COMMENT.search(text[value_start:stop])
            value_end = value_start + comment.start() if comment else stop
            return value_start, len(text[:value_end].rstrip(_BLANK))
        position = text.find("\n", start)
    return None


def _value_edit(text: str, start: int, end: int, rank: int) -> TextEdit:
    """Replace the scalar in ``text[start:end]`` (tags and anchors before it kept) by ``rank``."""
    found = _VALUE.fullmatch(text, start, end)
    value = found.group("value") if found else None
    if found is None or value is None:
        raise RankEditError(f"its rank value {text[start:end]!r} is not a plain number")
    anchors = _ANCHOR.findall(found.group("props"))
    if value.startswith("&"):  # an anchored null: ``rank: &r``
        anchors.append(value[1:])
    for anchor in anchors:
        if re.search(rf"\*{re.escape(anchor)}(?![^ \t\r\n,\[\]{{}}])", text):
            raise RankEditError(
                f"its rank value carries the anchor &{anchor}, which aliases reuse: "
                "changing it would change them too"
            )
    if value[:1] in ("&", "|", ">", "[", "{"):
        raise RankEditError(f"its rank value {text[start:end]!r} is not a plain number")
    value_start, value_end = found.span("value")
    if value[:1] in ("'", '"'):
        return TextEdit(value_start + 1, value_end - 1, str(rank))
    return TextEdit(value_start, value_end, str(rank))


def _insert_after_value(text: str, colon: int, end: int, indent: int, line: str) -> TextEdit:
    """Insert ``line`` (at ``indent``) after the key whose colon ends at ``colon``.

    The key's value may go on over lines indented deeper (a block scalar): the new line goes
    after the last of them, before any blank lines that follow.
    """
    insert_at = _line_end(text, colon)
    position = text.find("\n", insert_at)
    while position != -1 and position + 1 < end:
        start = position + 1
        stop = _line_end(text, start)
        stripped = text[start:stop].lstrip(_BLANK)
        if stripped:
            if stop - len(stripped) - start <= indent:
                break
            insert_at = stop
        position = text.find("\n", start)
    if insert_at == len(text):  # the last line, without a final line break
        newline = "\r\n" if "\r\n" in text else "\n"
        return TextEdit(insert_at, insert_at, f"{newline}{' ' * indent}{line}")
    newline = "\r\n" if text.startswith("\r\n", insert_at) else "\n"
    after = insert_at + len(newline)
    return TextEdit(after, after, f"{' ' * indent}{line}{newline}")


def _flow_edit(text: str, brace: int, end: int, rank: int, *, has_rank: bool) -> TextEdit:
    entries = _FlowScanner(text, end).mapping(brace)
    if has_rank:
        for key, key_end, colon, value_start, value_end in entries:
            if key in ("rank", '"rank"', "'rank'"):
                if colon is None:
                    return TextEdit(key_end, key_end, f": {rank}")
                if value_start == value_end:
                    return TextEdit(colon, colon, f" {rank}")
                return _value_edit(text, value_start, value_end, rank)
        raise RankEditError("cannot find 'rank' in its flow mapping")
    for key, _, colon, _, value_end in entries:
        if key in ("key", '"key"', "'key'") and colon is not None:
            return TextEdit(value_end, value_end, f", rank: {rank}")
    raise RankEditError("cannot find 'key' in its flow mapping to add 'rank' after")


#: One entry of a flow mapping: key text, key end, colon end (None: no value), value span.
FlowEntry = tuple[str, int, int | None, int, int]


class _FlowScanner:
    """Reads the top-level entries of a flow mapping (``{key: A, rank: 3}``) from its text."""

    def __init__(self, text: str, end: int) -> None:
        self.text = text
        self.end = end

    def fail(self) -> RankEditError:
        return RankEditError("cannot read its flow mapping")

    def blank(self, position: int) -> int:
        """Skip blanks, line breaks and comments."""
        text, end = self.text, self.end
        while position < end:
            char = text[position]
            if char in " \t\r\n":
                position += 1
            elif char == "#" and (position == 0 or text[position - 1] in " \t\r\n"):
                newline = text.find("\n", position)
                position = end if newline == -1 else newline
            else:
                break
        if position >= end:
            raise self.fail()
        return position

    def quoted(self, position: int) -> int:
        """End of the quoted scalar starting at ``position``."""
        text, quote = self.text, self.text[position]
        position += 1
        while position < self.end:
            char = text[position]
            if quote == '"' and char == "\\":
                position += 2
                continue
            if char == quote:
                if quote == "'" and text.startswith("''", position):
                    position += 2
                    continue
                return position + 1
            position += 1
        raise self.fail()

    def nested(self, position: int) -> int:
        """End of the flow collection (``{...}`` or ``[...]``) starting at ``position``."""
        depth = 0
        text = self.text
        while position < self.end:
            char = text[position]
            if char in "\"'":
                position = self.quoted(position)
                continue
            if char == "#" and text[position - 1] in " \t\r\n":
                newline = text.find("\n", position)
                position = self.end if newline == -1 else newline
                continue
            if char in "{[":
                depth += 1
            elif char in "}]":
                depth -= 1
                if depth == 0:
                    return position + 1
            position += 1
        raise self.fail()

    def plain(self, position: int, *, key: bool) -> int:
        """End of a plain scalar (trailing blanks excluded)."""
        text = self.text
        last = position
        while position < self.end:
            char = text[position]
            if char in ",}]" or (char == "[" and key) or (char == "{" and key):
                break
            if char == ":" and text[position + 1 : position + 2] in ("", *" \t\r\n,[]{}"):
                break
            if char == "#" and text[position - 1] in " \t\r\n":
                break
            position += 1
            if char not in " \t\r\n":
                last = position
        return last

    def mapping(self, brace: int) -> list[FlowEntry]:
        """The entries of the flow mapping whose ``{`` is at ``brace``."""
        text = self.text
        entries: list[FlowEntry] = []
        position = brace + 1
        while True:
            position = self.blank(position)
            if text[position] == "}":
                return entries
            key_start = position
            if text[position] in "\"'":
                key_end = self.quoted(position)
            elif text[position] in "{[?":
                raise self.fail()
            else:
                key_end = self.plain(position, key=True)
            position = self.blank(key_end)
            colon: int | None = None
            value_start = value_end = key_end
            if text[position] == ":":
                colon = position + 1
                position = self.blank(colon)
                value_start = position
                if text[position] in "\"'":
                    value_end = self.quoted(position)
                elif text[position] in "{[":
                    value_end = self.nested(position)
                elif text[position] in ",}":
                    value_start = value_end = colon
                else:
                    value_end = self.plain(position, key=False)
                position = self.blank(max(value_end, position))
            entries.append((text[key_start:key_end], key_end, colon, value_start, value_end))
            if text[position] == ",":
                position += 1
            elif text[position] != "}":
                raise self.fail()
