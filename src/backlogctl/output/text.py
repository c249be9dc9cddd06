"""Text helpers shared by the renderers: safe one-line cells, numbers, truncation, alignment.

Piped output must be stable: no box drawing, no ANSI codes, no wrapping at 80 columns.
Item text is untrusted (anyone who can file a Jira issue writes it): every human-readable
cell goes through :func:`shown` (one line, control and bidi characters made visible, never
the start of a GitHub workflow command) or, in Markdown, :func:`markdown_cell`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Sequence

from backlogctl.sanitize import visible

#: Widest title shown in plain and Rich tables before it is cut with an ellipsis.
TITLE_WIDTH = 50

_WHITESPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines, tabs) folded into one space."""
    return _WHITESPACE.sub(" ", text).strip()


def shown(text: str) -> str:
    """Untrusted ``text`` as one inert line for a table or text report.

    Whitespace runs (newlines too) become one space and control, separator and bidi
    characters are shown as escapes (``\\x1b``). A value starting with ``::`` gets its first
    colon escaped: GitHub's runner executes any output line that starts, after spaces, with
    ``::`` (``::error``, ``::add-mask::``), and a key can be the first cell of a line.
    """
    line = visible(one_line(text))
    return "\\x3a" + line[1:] if line.startswith("::") else line


_COMMAND_START = re.compile(r"^([ \t]*)::", re.MULTILINE)


def no_command_lines(text: str) -> str:
    """``text`` with the first colon of any line starting (after spaces) with ``::`` escaped.

    ``shown`` guards the start of each value; this guards whole outputs, where wrapping (a
    Rich caption, a long description on a terminal) can put a ``::`` from the middle of a
    value at the start of a line.
    """
    return _COMMAND_START.sub(r"\1\\x3a:", text)


#: Significant digits of scores and inputs in tables and Markdown.
SIGNIFICANT_DIGITS = 3


def readable_number(value: float, digits: int = SIGNIFICANT_DIGITS) -> str:
    """A number for people: thousands separators, ``digits`` significant digits.

    Whole digits are never rounded away (``74666.667`` is ``74,667``, ``4.3333`` is
    ``4.33``, ``0.25`` stays ``0.25``). Beyond 10^15 and below 0.001, scientific notation.
    Machine formats (JSON, CSV) keep full precision instead.
    """
    value = float(value)
    if value == 0:
        return "0"
    if not math.isfinite(value) or not 0.001 <= abs(value) < 1e15:
        return f"{value:.{digits}g}"
    if abs(value) >= 10 ** (digits - 1):
        return f"{round(value):,}"
    return f"{value:.{digits}g}"


#: A plain decimal number standing alone in a formula line (not part of a name like
#: ``fields.q3``, an exponent like ``1e+20`` or a longer number).
_NUMBER = re.compile(r"(?<![\w.+-])-?\d+(?:\.\d+)?(?![\w.])")


def readable_numbers(text: str) -> str:
    """``text`` (a formula with the item's numbers, a what-if) with every plain number
    written as :func:`readable_number` writes it, as the score beside it is.

    The scoring layer writes these lines once, for JSON too, where numbers stay exact
    (``reach 30000 ... = 240000``); tables, text and Markdown show ``reach 30,000 ... =
    240,000``.
    """
    return _NUMBER.sub(lambda match: readable_number(float(match.group())), text)


def cell_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: two per wide (CJK, emoji) character, none per
    combining mark.

    Padding by ``len`` instead would push every later column of such a row out of line.
    """
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def truncate(text: str, width: int = TITLE_WIDTH) -> str:
    """``text`` on one line, cut to ``width`` columns with a trailing ellipsis."""
    flat = one_line(text)
    if cell_width(flat) <= width:
        return flat
    kept, used = [], 0
    for char in flat:
        used += _char_width(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def align(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Collection[int] = ()
) -> list[str]:
    """Rows as lines of columns two spaces apart; columns in ``right`` are right-aligned."""
    widths = [cell_width(header) for header in headers]
    for row in rows:
        widths = [max(width, cell_width(cell)) for width, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = (
            _pad(cell, width, right=index in right)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        return "  ".join(padded).rstrip()

    return [line(headers), *(line(row) for row in rows)]


def _pad(cell: str, width: int, *, right: bool) -> str:
    fill = " " * (width - cell_width(cell))
    return fill + cell if right else cell + fill


#: SAFe's own abbreviations keep the WSJF columns narrow; ``legend`` spells them out.
_LABELS = {
    "wsjf.business_value": ("BV", "business value"),
    "wsjf.time_criticality": ("TC", "time criticality"),
    "wsjf.risk_reduction": ("RR/OE", "risk reduction / opportunity enablement"),
    "wsjf.job_size": ("size", "job size"),
}


def input_labels(paths: Sequence[str]) -> list[str]:
    """Column labels for dotted input names: an abbreviation or the last part when unambiguous."""
    short = [_LABELS[path][0] if path in _LABELS else path.rpartition(".")[2] for path in paths]
    return [
        label if short.count(label) == 1 else path for label, path in zip(short, paths, strict=True)
    ]


#: Keys named in a summary line ("10 unscored epics not listed: ...") before "and N more".
SUMMARY_KEYS = 10


def key_list(keys: Sequence[str], limit: int = SUMMARY_KEYS) -> str:
    """``A, B, C`` or, beyond ``limit`` keys, ``A, B, ... and 3 more``."""
    more = f" and {len(keys) - limit} more" if len(keys) > limit else ""
    return ", ".join(keys[:limit]) + more


def legend(paths: Sequence[str]) -> str | None:
    """One line spelling out the abbreviated input labels (``BV business value, ...``), or
    None when no label is abbreviated."""
    labels = input_labels(paths)
    parts = [
        f"{label} {_LABELS[path][1]}"
        for label, path in zip(labels, paths, strict=True)
        if path in _LABELS and label == _LABELS[path][0]
    ]
    return f"Inputs: {', '.join(parts)}." if parts else None


def wrap_line(line: str, width: int) -> list[str]:
    """``line`` broken at spaces into lines of at most ``width`` columns.

    Continuation lines keep the line's indentation plus two spaces; a word wider than the
    room left is cut across lines. For text reports on a terminal (piped output is not
    wrapped).
    """
    if cell_width(line) <= width:
        return [line]
    indent = " " * (len(line) - len(line.lstrip(" ")) + 2)
    if len(indent) > width // 2:
        indent = ""
    lines: list[str] = []
    current = line[: len(line) - len(line.lstrip(" "))]
    for word in line.split():
        separator = "" if current.strip() == "" else " "
        if cell_width(current) + len(separator) + cell_width(word) <= width:
            current += separator + word
            continue
        if current.strip():
            lines.append(current)
            current = indent
        while cell_width(current) + cell_width(word) > width:
            room = width - cell_width(current)
            head = _cut(word, room)
            lines.append(current + head)
            word = word[len(head) :]
            current = indent
        current += word
    if current.strip():
        lines.append(current)
    return lines


def _cut(text: str, width: int) -> str:
    """The longest prefix of ``text`` within ``width`` columns (at least one character)."""
    used = 0
    for index, char in enumerate(text):
        used += _char_width(char)
        if used > width:
            return text[: max(index, 1)]
    return text
