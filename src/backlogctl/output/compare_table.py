"""The compare report as tables: Rich on a terminal (movers highlighted, fitted to its width),
plain text when piped. Every cell and note is made safe with ``text.shown``."""

from __future__ import annotations

from rich.console import JustifyMethod
from rich.text import Text

from backlogctl.output.compare_common import Section, compare_sections, heading
from backlogctl.output.layout import Column, Layout, build_table, first_fit
from backlogctl.output.rich_console import string_console
from backlogctl.output.text import align, no_command_lines, shown, truncate
from backlogctl.scoring.compare import Comparison

#: Column of the item title in sections that have one (cut to keep rows on one line).
_TITLE = "Title"
#: Columns that wrap rather than set the table's width.
_WRAPPING = frozenset({"Reason", "Reading", "Outside it in (rank)"})
#: Narrowest title before the title column is left out.
_MIN_TITLE = 16


def render_compare_table(
    comparison: Comparison,
    *,
    rich: bool = False,
    color: bool = False,
    width: int = 120,
    summarize_epics: bool = True,
) -> str:
    """The comparison as Rich tables fitted to ``width`` (``rich=True``) or stable plain text."""
    sections = compare_sections(comparison, summarize_epics=summarize_epics)
    if rich:
        return no_command_lines(_render_rich(comparison, sections, color=color, width=width))
    lines = [shown(heading(comparison))]
    for section in sections:
        lines += ["", shown(section.title), *(shown(note) for note in section.notes)]
        if section.rows:
            lines += align(section.headers, _cells(section), section.right)
        else:
            lines.append(f"({section.empty})")
    return no_command_lines("\n".join(lines) + "\n")


def _cells(section: Section) -> list[list[str]]:
    """Safe cells; titles cut to keep each row on one line."""
    title = section.headers.index(_TITLE) if _TITLE in section.headers else -1
    return [
        [truncate(shown(cell)) if index == title else shown(cell) for index, cell in enumerate(row)]
        for row in section.rows
    ]


def _layouts(section: Section) -> list[Layout]:
    """The section as a table, then without its title column (when it has one)."""
    notes = [shown(note) for note in section.notes]
    if not section.rows:
        notes.append(f"({section.empty})")
    columns = []
    for index, header in enumerate(section.headers):
        cells = [Text(shown(row[index])) for row in section.rows]
        justify: JustifyMethod = "right" if index in section.right else "left"
        if header == _TITLE:
            column = Column(header, cells, min_width=_MIN_TITLE, shrink=0, truncate=True)
        elif header in _WRAPPING:
            column = Column(header, cells, justify=justify, min_width=8, shrink=1)
        else:
            column = Column(header, cells, justify=justify)
        columns.append(column)
    full = Layout(shown(section.title), columns, notes, section.highlight)
    if _TITLE not in section.headers:
        return [full]
    without = [column for column in columns if column.header != _TITLE]
    left_out = "Titles left out to fit the terminal."
    return [full, Layout(full.title, without, [*notes, left_out], section.highlight)]


def _render_rich(
    comparison: Comparison, sections: list[Section], *, color: bool, width: int
) -> str:
    console, buffer = string_console(width, color=color)
    console.print(Text(shown(heading(comparison)), style="bold"))
    for section in sections:
        console.print()
        console.print(build_table(*first_fit(_layouts(section), width)))
    return buffer.getvalue()
