"""Fitting Rich tables to the terminal: column widths, and what gives way when space is short.

Width policy (every Rich table, i.e. output on a terminal; piped output is plain text and
keeps its full width):

1. every column gets its natural width (widest cell, header on one line) when that fits;
2. otherwise columns give way in their ``shrink`` order: titles first, cut with an ellipsis
   down to ``min_width``; then wrapping columns (status, reason) down to their longest word;
   then headers wrap at spaces;
3. when even that is too wide, the caller tries its next, smaller layout (``first_fit``):
   the rank table folds its inputs into one cell, then leaves them out with a note;
4. the last layout is handed to Rich at the terminal's width, whose own collapsing makes any
   table fit, if not prettily; even then keys and numbers (columns that never shrink) are not
   wrapped: Rich cuts them with an ellipsis, so no number is split into two that read wrong.

Extra space goes nowhere special: a table is as wide as its content, so titles are shown in
full on a wide terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import JustifyMethod
from rich.table import Table
from rich.text import Text

from backlogctl.output.text import truncate

#: Each column costs three characters of box drawing and padding, plus one for the table.
_BORDER_PER_COLUMN = 3
#: A wrapping column is not squeezed below its longest word, up to this width (longer words,
#: e.g. URLs, are folded).
_LONG_WORD = 24


@dataclass(frozen=True)
class Column:
    """One table column: header, cells (already made safe) and how it may give way."""

    header: str
    cells: list[Text]
    justify: JustifyMethod = "left"
    style: str = ""
    #: Narrowest width when squeezed; None: its widest cell (keys, numbers never shrink).
    min_width: int | None = None
    #: Order of giving way (lower first); columns with ``min_width`` None only wrap headers.
    shrink: int = 9
    #: Cut cells to the width with an ellipsis (titles) instead of wrapping them.
    truncate: bool = False

    def natural(self) -> int:
        """Widest cell line, or the header on one line."""
        lines = [line for cell in self.cells for line in cell.plain.split("\n")]
        return max(cell_len(line) for line in [self.header, *lines])

    def floor(self) -> int:
        """Narrowest this column can be: its widest cell, or when it may shrink its
        ``min_width`` (a wrapping column: its longest word, up to ``_LONG_WORD``); never below
        the header's longest word."""
        lines = [line for cell in self.cells for line in cell.plain.split("\n")]
        header = max((cell_len(word) for word in self.header.split()), default=0)
        if self.min_width is None:
            return max([header, *(cell_len(line) for line in lines)])
        floor = max(self.min_width, header)
        # A cut column (titles) cuts only its first line: later lines (rank --explain's
        # formula under the title) wrap, so their words count as a wrapping column's do.
        wrapped = (
            [line for cell in self.cells for line in cell.plain.split("\n")[1:]]
            if self.truncate
            else lines
        )
        words = [cell_len(word) for line in wrapped for word in line.split()]
        floor = max(floor, min(max(words, default=0), _LONG_WORD))
        return min(self.natural(), floor)


@dataclass(frozen=True)
class Layout:
    """A table's title, columns and notes (lines under the table)."""

    title: str
    columns: list[Column]
    notes: list[str] = field(default_factory=list)
    #: Row indices drawn highlighted.
    highlight: frozenset[int] = frozenset()


def fit_widths(columns: Sequence[Column], width: int) -> list[int] | None:
    """Column widths that fit ``width`` with borders (see the module docstring), or None."""
    widths = [column.natural() for column in columns]
    excess = sum(widths) + _BORDER_PER_COLUMN * len(columns) + 1 - width
    order = sorted(range(len(columns)), key=lambda index: columns[index].shrink)
    for index in order:
        if excess <= 0:
            break
        give = min(excess, widths[index] - columns[index].floor())
        if give > 0:
            widths[index] -= give
            excess -= give
    return widths if excess <= 0 else None


def first_fit(layouts: Sequence[Layout], width: int) -> tuple[Layout, list[int] | None]:
    """The first layout that fits ``width``, with its widths; else the last, without."""
    for layout in layouts:
        widths = fit_widths(layout.columns, width)
        if widths is not None:
            return layout, widths
    return layouts[-1], None


def build_table(layout: Layout, widths: Sequence[int] | None, *, caption: bool = True) -> Table:
    """A Rich table of ``layout``; fixed column ``widths`` when given (else Rich fits it).

    Titles, headers and captions are ``Text``: nothing from the data is read as markup.
    """
    table = Table(
        title=Text(layout.title) if layout.title else None,
        title_justify="left",
        header_style="bold",
        caption=Text("\n".join(layout.notes)) if caption and layout.notes else None,
        caption_justify="left",
    )
    for index, column in enumerate(layout.columns):
        # Fitted widths hold every key and number whole; Rich's own collapsing does not.
        squeezed = widths is None and column.min_width is None
        table.add_column(
            Text(column.header),
            justify=column.justify,
            style=column.style,
            width=None if widths is None else widths[index],
            no_wrap=squeezed,
            overflow="ellipsis" if squeezed else "fold",
        )
    cells = []
    for index, column in enumerate(layout.columns):
        if column.truncate and widths is not None:
            cells.append([_cut(cell, widths[index]) for cell in column.cells])
        else:
            cells.append(column.cells)
    for row_index, row in enumerate(zip(*cells, strict=True)):
        style = "bold yellow" if row_index in layout.highlight else None
        table.add_row(*row, style=style)
    return table


def _cut(cell: Text, width: int) -> Text:
    """The first line of ``cell`` cut to ``width`` (with its style); later lines kept, to wrap."""
    first, newline, _ = cell.plain.partition("\n")
    if cell_len(first) <= width:
        return cell
    shortened = Text(truncate(first, width), style=cell.style)
    if newline:
        shortened.append("\n")
        shortened.append_text(cell[len(first) + 1 :])
    return shortened
