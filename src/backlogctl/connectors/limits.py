"""Limits on untrusted input files (backlogs, configs, baselines): size, lines, nesting, aliases.

Every reader of a file a user or a repository supplies goes through these, so a hostile file
fails fast with a one-line ``file:line`` error instead of exhausting memory, overflowing the
stack of a parser or running for minutes. bench/README.md ("Bounded input") has the figures.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from backlogctl.errors import InputError

STDIN_NAME = "<stdin>"

#: Bigger files are refused up front rather than risking memory.
MAX_FILE_BYTES = 512 * 1024 * 1024
#: A longer line is not a hand- or tool-written file; parsing it could take seconds.
MAX_LINE_CHARS = 1024 * 1024
#: Alias replays allowed per backlog document: a real backlog uses a few; a "billion laughs"
#: bomb hits the limit before it exhausts memory.
MAX_ALIAS_REPLAYS = 1_000_000
#: The same for configuration and baseline files, which are small and read with slower tools.
MAX_CONFIG_ALIAS_REPLAYS = 10_000
#: Deepest nesting of mappings and lists in a configuration or baseline file.
MAX_DEPTH = 64
#: A line whose indentation and ``-``/``?``/``:`` indicators reach this column nests
#: deeper than any backlog does. Checked before yaml_rs parses a text: it recurses once per
#: block level and crashes the interpreter (a stack overflow, not an exception) on a few
#: thousand levels, and flow nesting (``[[[``) it limits itself.
MAX_INDENT = 1000

#: A cheap filter (a literal newline lets the regex engine skip ahead at C speed), then the
#: exact test: only blanks and indicators followed by a blank, so a line of dashes passes.
_WIDE_PREFIX = re.compile(rf"\n[ \t?:-]{{{MAX_INDENT}}}")
_NESTING_PREFIX = re.compile(rf"(?:[ \t]|[-?:](?=[ \t\r\n]|$)){{{MAX_INDENT}}}")
_TOKEN = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]|\n',
    re.S,
)


def read_text(path: str, *, what: str = "YAML") -> str:
    """The UTF-8 text of ``path`` (``-``: stdin); refuses binary, oversized, long-lined input."""
    name = STDIN_NAME if path == "-" else path
    data = _read_bytes(path, name)
    if b"\x00" in data:
        raise InputError(f"binary file, not {what} text", location=name)
    _check_line_lengths(data, name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x})", location=f"{name}:{line}"
        ) from None
    return text.removeprefix("\ufeff")


def _read_bytes(path: str, name: str) -> bytes:
    if path == "-":
        if sys.stdin is None:
            raise InputError("no standard input to read", location=name)
        try:
            data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", location=name) from None
    else:
        try:
            with Path(path).open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            raise InputError("file not found", location=name) from None
        except IsADirectoryError:
            raise InputError("is a directory, expected a file", location=name) from None
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror}", location=name) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            f"file larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it", location=name
        )
    return data


def _check_line_lengths(data: bytes, name: str) -> None:
    """Refuse any line longer than ``MAX_LINE_CHARS`` bytes in O(len / limit) ``rfind`` calls."""
    start = 0
    size = len(data)
    while size - start > MAX_LINE_CHARS:
        newline = data.rfind(b"\n", start, start + MAX_LINE_CHARS + 1)
        if newline == -1:
            line = data.count(b"\n", 0, start) + 1
            raise InputError(
                f"line longer than {MAX_LINE_CHARS // 1024} KB; not a backlog file",
                location=f"{name}:{line}",
            )
        start = newline + 1


def check_indentation(text: str, name: str) -> None:
    """Refuse a YAML text with a line indented (or nested by indicators) to ``MAX_INDENT``."""
    starts = [0] if _NESTING_PREFIX.match(text) else []
    starts.extend(wide.start() + 1 for wide in _WIDE_PREFIX.finditer(text))
    for start in starts:
        if _NESTING_PREFIX.match(text, start):
            line = text.count("\n", 0, start) + 1
            raise InputError(
                f"nested or indented {MAX_INDENT} columns deep or more; not a backlog or config",
                location=f"{name}:{line}",
            )


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether mappings and lists in ``value`` nest more than ``limit`` levels (no recursion)."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth >= limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


def deep_line(text: str, limit: int = MAX_DEPTH) -> int:
    """Where a text nests more than ``limit`` levels, approximately (error path only).

    The first line indented ``limit`` columns or more (block nesting needs at least one
    column per level) or where brackets nest deeper, whichever comes first; else line 1.
    """
    indented = re.search(rf"^[ \t]{{{limit},}}\S", text, re.M)
    lines = [text.count("\n", 0, indented.start()) + 1] if indented else []
    bracketed = bracket_line(text, limit)
    if bracketed is not None:
        lines.append(bracketed)
    return min(lines, default=1)


def bracket_line(text: str, limit: int = MAX_DEPTH) -> int | None:
    """Line where ``[``/``{`` nesting (outside strings and comments) exceeds ``limit``, or None.

    Meant for TOML and YAML flow style, on the error path only.
    """
    depth = 0
    line = 1
    for token in _TOKEN.finditer(text):
        kind = token.group()
        if kind in "[{":
            depth += 1
            if depth > limit:
                return line
        elif kind in "]}":
            depth = max(0, depth - 1)
        line += kind.count("\n")
    return None
