"""Plain-text helpers shared by the renderers: one-line cells, truncation, aligned columns.

Piped output must be stable: no box drawing, no ANSI codes, no wrapping at 80 columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence

#: Widest title shown in plain and Rich tables before it is cut with an ellipsis.
TITLE_WIDTH = 50

_WHITESPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines, tabs) folded into one space."""
    return _WHITESPACE.sub(" ", text).strip()


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


def markdown_cell(text: str) -> str:
    """``text`` as one Markdown table cell, shown as written.

    One line, with the characters that would split the cell (pipe), start emphasis or code
    (star, underscore, backtick) or open an HTML tag (less-than) backslash-escaped.
    """
    escaped = one_line(text).replace("\\", "\\\\")
    for special in "|*_`<":
        escaped = escaped.replace(special, f"\\{special}")
    return escaped


#: SAFe's own abbreviations keep the WSJF columns narrow.
_LABELS = {
    "wsjf.business_value": "BV",
    "wsjf.time_criticality": "TC",
    "wsjf.risk_reduction": "RR/OE",
    "wsjf.job_size": "size",
}


def markdown_table(
    headers: Sequence[str], aligns: Sequence[str], rows: Sequence[Sequence[str]]
) -> list[str]:
    """Lines of a GitHub Markdown table from cells already escaped (``markdown_cell``)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(aligns) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def input_labels(paths: Sequence[str]) -> list[str]:
    """Column labels for dotted input names: an abbreviation or the last part when unambiguous."""
    short = [_LABELS.get(path, path.rpartition(".")[2]) for path in paths]
    return [
        label if short.count(label) == 1 else path for label, path in zip(short, paths, strict=True)
    ]
