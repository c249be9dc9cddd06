"""Raw YAML text for the YAML connector: parsing with yaml_rs, and line lookups.

yaml_rs is far faster than the other readers (bench/README.md) but returns plain values
without positions, so the lines that errors and findings need are found by cheap scans of the
text (regex and ``str.find``), never by a second, slow, position-tracking parse of the file.
"""

from __future__ import annotations

import re
from typing import Any

from backlogctl.connectors.limits import MAX_ALIAS_REPLAYS, check_indentation
from backlogctl.errors import InputError
from backlogctl.sanitize import quoted, shorten

_PARSE_ERROR = re.compile(r"at line (\d+), column (\d+)")
_DUPLICATE_KEY = re.compile(r"duplicate mapping key: (.*)$")
_CONTENT_LINE = re.compile(r"^[ \t]*[^ \t\r\n#]", re.MULTILINE)
_DASH_ENTRY = re.compile(r"( *)-(?=[ \t\r\n]|$)")
_ITEMS_KEY = re.compile(r"""^(?:items|"items"|'items')[ \t]*:[ \t]*(?:#[^\n]*)?\r?$""", re.M)
_ALIAS_USE = re.compile(r"(?:^|[\s\[{,:])\*[^\s,\[\]{}]")
_BAD_TAG_VALUE = re.compile(r"^Invalid value '(.*)' for '(![^']*)' tag$", re.S)
_BAD_TAG = re.compile(r"^Invalid tag: '(![^']*)'$")
_DOCUMENT_MARKER = "\n---"


def parse(text: str, name: str, *, max_alias_replays: int = MAX_ALIAS_REPLAYS) -> Any:
    """Parse one YAML 1.2 document; every problem becomes a one-line ``InputError``."""
    import yaml_rs

    check_indentation(text, name)
    try:
        # Dates stay text here (BacklogItem parses them): yaml_rs would also turn a quoted
        # "2026-01-01" into a date, and a quoted value is text by YAML's own rules.
        return yaml_rs.loads(
            text,
            parse_datetime=False,
            alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=max_alias_replays),
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
        )
    except yaml_rs.YAMLDecodeError as exc:
        raise _decode_error(str(exc), text, name, max_alias_replays) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise InputError(f"invalid YAML: {shorten(str(exc))}", location=name) from None


def _decode_error(message: str, text: str, name: str, max_alias_replays: int) -> InputError:
    position = _PARSE_ERROR.search(message)
    if position is not None:
        problem = shorten(message.strip().splitlines()[-1].strip())
        return InputError(
            f"invalid YAML: {problem} (column {position.group(2)})",
            location=f"{name}:{position.group(1)}",
        )
    duplicate = _DUPLICATE_KEY.search(message)
    if duplicate is not None:
        key = duplicate.group(1).strip().strip("'\"")
        lines = duplicate_key_lines(text, key)
        if lines is None:
            return InputError(
                f"invalid YAML: duplicate key {quoted(key)} in a mapping", location=f"{name}:1"
            )
        return InputError(
            f"invalid YAML: duplicate key {quoted(key)} in a mapping (first at line {lines[0]})",
            location=f"{name}:{lines[1]}",
        )
    if "alias" in message:
        alias = _ALIAS_USE.search(text)
        return InputError(
            f"invalid YAML: aliases expand to more than {max_alias_replays} nodes (an alias bomb?)",
            location=f"{name}:{line_of(text, alias.start()) if alias else 1}",
        )
    return _tag_error(message.strip(), text, name)


def _tag_error(message: str, text: str, name: str) -> InputError:
    """A tag problem (``!!int abc``), which yaml_rs reports without a position, at its line."""
    bad_value = _BAD_TAG_VALUE.match(message)
    bad_tag = bad_value or _BAD_TAG.match(message)
    if bad_tag is None:
        problem = shorten(message.splitlines()[0]) if message else "cannot parse"
        return InputError(f"invalid YAML: {problem}", location=f"{name}:1")
    tag = bad_tag.group(2) if bad_value else bad_tag.group(1)
    found = None
    if bad_value is not None:
        found = re.search(rf"{re.escape(tag)}[ \t]+['\"]?{re.escape(bad_value.group(1))}", text)
    found = found or re.search(rf"{re.escape(tag)}(?=[\s,\]}}]|$)", text)
    line = line_of(text, found.start()) if found else 1
    if bad_value is not None:
        problem = f"{quoted(bad_value.group(1))} is not a valid {tag} value"
    else:
        problem = f"unknown tag {quoted(tag)}"
    return InputError(f"invalid YAML: {problem}", location=f"{name}:{line}")


def line_of(text: str, position: int) -> int:
    """1-based line number of a character position."""
    return text.count("\n", 0, position) + 1


def extra_document_line(text: str) -> int | None:
    """Line of a ``---`` that starts a second document, or None for a single-document text."""
    markers = [0] if _is_marker(text, 0) else []
    position = text.find(_DOCUMENT_MARKER)
    while position != -1:
        if _is_marker(text, position + 1):
            markers.append(position + 1)
        position = text.find(_DOCUMENT_MARKER, position + 1)
    for index, marker in enumerate(markers):
        if index > 0 or _has_content(text, 0, marker):
            return line_of(text, marker)
    return None


def _is_marker(text: str, position: int) -> bool:
    return text.startswith("---", position) and text[position + 3 : position + 4] in (
        "",
        " ",
        "\t",
        "\r",
        "\n",
    )


def _has_content(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` holds anything besides blanks, comments and directives."""
    return any(
        line.strip() and not line.lstrip().startswith(("#", "%"))
        for line in text[start:end].splitlines()
    )


def item_lines(text: str, count: int, *, bare_list: bool) -> list[int] | None:
    """1-based start line of each of the ``count`` items, or None when the text is unusual.

    Items are the block sequence under the top-level ``items:`` key (or the top-level
    sequence): every entry starts with ``-`` at the same indent, and no line inside an entry
    can (block scalars and continuations are indented deeper), so one regex pass finds them.
    Flow-style sequences and other layouts return None (the caller falls back).
    """
    found = _item_starts(text, count, bare_list=bare_list)
    if found is None:
        return None
    starts = found[0]
    lines: list[int] = []
    line = line_of(text, starts[0])
    previous = starts[0]
    for position in starts:
        line += text.count("\n", previous, position)
        previous = position
        lines.append(line)
    return lines


def item_spans(text: str, count: int, *, bare_list: bool) -> list[tuple[int, int]] | None:
    """Character span ``(start, end)`` of each item's entry, found as ``item_lines`` finds lines.

    An entry starts at its ``-`` and ends where the next one starts (the last one where the
    block sequence ends), so a span also holds the comments and blank lines after the item.
    None for the layouts ``item_lines`` does not understand.
    """
    found = _item_starts(text, count, bare_list=bare_list)
    if found is None:
        return None
    starts, indent = found
    if not starts:
        return []
    ends = [*starts[1:], _block_end(text, starts[-1], indent)]
    return list(zip(starts, ends, strict=True))


def _item_starts(text: str, count: int, *, bare_list: bool) -> tuple[list[int], int] | None:
    """Where each item's ``-`` is, and the sequence's indent (see ``item_lines``)."""
    if bare_list:
        start = 0
    else:
        key = _ITEMS_KEY.search(text)
        if key is None:
            return None
        start = key.end()
    first = _CONTENT_LINE.search(text, start)
    while first is not None and (
        text.startswith("%", first.start()) or _is_marker(text, first.start())
    ):
        first = _CONTENT_LINE.search(text, text.find("\n", first.start()) + 1 or len(text))
    if first is None:
        return None
    dash = _DASH_ENTRY.match(text, first.start())
    if dash is None:
        return None
    indent = len(dash.group(1))
    # A leading "\n" instead of "^" with MULTILINE lets the regex engine search for the
    # literal prefix at C speed.
    entry = re.compile(rf"\n {{{indent}}}-(?=[ \t\r\n]|$)")
    starts = [first.start()]
    # The block's entries come first: when the whole rest of the text holds exactly
    # ``count`` entries at this indent (the items are the last key, as usual), they are the
    # items, and finding where the block ends (a second pass over the text) is not needed.
    starts.extend(match.start() + 1 for match in entry.finditer(text, first.start()))
    if len(starts) > count:
        end = _block_end(text, first.start(), indent)
        starts = [position for position in starts if position < end]
    if len(starts) != count:
        return None
    return starts, indent


def _block_end(text: str, start: int, indent: int) -> int:
    """End of the block sequence at ``indent`` that begins at ``start``."""
    if indent:
        closing = re.compile(rf"\n {{0,{indent - 1}}}[^ \t\r\n#]")
    else:
        closing = re.compile(r"\n(?:[^ \t\r\n#-]|-(?![ \t\r\n]|$))")
    found = closing.search(text, start)
    return found.start() + 1 if found else len(text)


def item_lines_slow(text: str, *, bare_list: bool) -> list[int] | None:
    """Item lines via ruamel's composer: correct for any layout, slow; used only as a fallback."""
    nodes = _item_nodes(text, bare_list=bare_list)
    return None if nodes is None else [node.start_mark.line + 1 for node in nodes]


def item_spans_slow(text: str, *, bare_list: bool) -> list[tuple[int, int]] | None:
    """Each item node's character span via ruamel's composer (any layout, slow; small files)."""
    nodes = _item_nodes(text, bare_list=bare_list)
    return None if nodes is None else [(n.start_mark.index, n.end_mark.index) for n in nodes]


def _item_nodes(text: str, *, bare_list: bool) -> list[Any] | None:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    try:
        root = YAML(typ="safe", pure=True).compose(text)
    except (YAMLError, RecursionError):
        return None
    sequence: Any = root
    if not bare_list and isinstance(root, MappingNode):
        sequence = next(
            (value for key, value in root.value if getattr(key, "value", None) == "items"), None
        )
    if not isinstance(sequence, SequenceNode):
        return None
    return list(sequence.value)


def key_line(text: str, key: str) -> int | None:
    """Line of a top-level ``key:`` (column 0), or None."""
    found = re.search(
        rf"""^(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')[ \t]*:""", text, re.M
    )
    return line_of(text, found.start()) if found else None


def field_line(text: str, first_line: int, last_line: int | None, name: str) -> int | None:
    """Line of ``name:`` between two lines (an item's span), for pointing at a bad field."""
    lines = text.splitlines()[first_line - 1 : last_line]
    pattern = re.compile(rf"""(?:^|[\s{{,-])["']?{re.escape(name)}["']?[ \t]*:(?:\s|$)""")
    for offset, line in enumerate(lines):
        if pattern.search(line):
            return first_line + offset
    return None


def duplicate_key_lines(text: str, key: str) -> tuple[int, int] | None:
    """Lines of the first and second occurrence of ``key`` within one block mapping.

    Two ``key:`` at the same column are in the same mapping unless the second starts a new
    sequence entry (``- key:``) or a line between them is indented less than that column.
    Flow mappings (``{a: 1, a: 2}``) are matched on one line. Only used on the error path.
    """
    escaped = re.escape(key)
    block = re.compile(
        rf"""^([ \t]*)((?:-[ \t]+)*)(?:{escaped}|"{escaped}"|'{escaped}')[ \t]*:(?:[ \t]|\r?$)""",
        re.MULTILINE,
    )
    last_at_column: dict[int, re.Match[str]] = {}
    for match in block.finditer(text):
        column = match.end(2) - match.start()
        previous = last_at_column.get(column)
        if previous is not None and not match.group(2):
            between = text[text.find("\n", previous.end()) + 1 : match.start()]
            closing = re.compile(rf"^ {{0,{column - 1}}}[^ \t\r\n#]", re.M) if column else None
            if closing is None or closing.search(between) is None:
                return line_of(text, previous.start()), line_of(text, match.start())
        last_at_column[column] = match
    flow = re.compile(rf"""[{{,][ \t]*["']?{escaped}["']?[ \t]*:""")
    for number, line in enumerate(text.splitlines(), start=1):
        if len(flow.findall(line)) > 1:
            return number, number
    return None
