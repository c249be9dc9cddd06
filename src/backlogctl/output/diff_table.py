"""``diff`` as tables: Rich on a terminal (fitted to its width), plain text when piped.

Every cell goes through ``text.shown``: titles and keys are untrusted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backlogctl.history.diff import HistoryDiff
from backlogctl.output.diff_common import DiffSection, diff_sections, heading, no_changes
from backlogctl.output.text import align, no_command_lines, shown, truncate

if TYPE_CHECKING:
    from rich.console import JustifyMethod

#: Narrowest title on a terminal before it is cut.
_MIN_TITLE = 12


def render_diff_table(
    diff: HistoryDiff,
    *,
    limit: int | None = None,
    rich: bool = False,
    color: bool = False,
    width: int = 120,
) -> str:
    """The diff as Rich tables fitted to ``width`` (``rich=True``) or stable plain text;
    at most ``limit`` rows per section."""
    sections = diff_sections(diff, limit)
    if rich:
        return no_command_lines(_render_rich(diff, sections, color=color, width=width))
    lines = [shown(heading(diff))]
    if not sections:
        lines += ["", no_changes(diff)]
    for section in sections:
        lines += ["", shown(section.title)]
        title = section.headers.index("Title") if "Title" in section.headers else -1
        rows = [
            [truncate(shown(cell)) if i == title else shown(cell) for i, cell in enumerate(row)]
            for row in section.rows
        ]
        lines += align(section.headers, rows, section.right)
        if section.more:
            lines.append(section.more_text())
    return no_command_lines("\n".join(lines) + "\n")


def _render_rich(diff: HistoryDiff, sections: list[DiffSection], *, color: bool, width: int) -> str:
    from rich.text import Text

    from backlogctl.output.layout import Column, Layout, build_table, first_fit
    from backlogctl.output.rich_console import string_console

    console, buffer = string_console(width, color=color)
    console.print(Text(shown(heading(diff)), style="bold"))
    if not sections:
        console.print()
        console.print(Text(no_changes(diff)))
    for section in sections:
        columns = []
        for index, header in enumerate(section.headers):
            cells = [Text(shown(row[index])) for row in section.rows]
            justify: JustifyMethod = "right" if index in section.right else "left"
            if header == "Title":
                columns.append(Column(header, cells, min_width=_MIN_TITLE, shrink=0, truncate=True))
            elif header == section.wrap or header == "Rule":
                columns.append(Column(header, cells, min_width=10, shrink=1))
            else:  # keys, ranks, codes: never wrapped
                columns.append(Column(header, cells, justify=justify))
        notes = [section.more_text()] if section.more else []
        layout = Layout(shown(section.title), columns, notes)
        narrow = Layout(
            layout.title,
            [column for column in columns if column.header != "Title"],
            [*notes, "Titles left out to fit the terminal."],
        )
        console.print()
        console.print(build_table(*first_fit([layout, narrow], width)))
    return buffer.getvalue()
