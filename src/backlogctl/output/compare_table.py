"""The compare report as tables: Rich on a terminal (movers highlighted), plain text when piped."""

from __future__ import annotations

from backlogctl.output.compare_common import Section, compare_sections, heading
from backlogctl.output.rich_console import string_console
from backlogctl.output.text import align, truncate
from backlogctl.scoring.compare import Comparison

#: Column of the item title in sections that have one (cut to keep rows on one line).
_TITLE = "Title"


def render_compare_table(
    comparison: Comparison, *, rich: bool = False, color: bool = False, width: int = 120
) -> str:
    """The comparison as Rich tables (``rich=True``) or stable plain text."""
    sections = compare_sections(comparison)
    if rich:
        return _render_rich(comparison, sections, color=color, width=width)
    lines = [heading(comparison)]
    for section in sections:
        lines += ["", section.title, *section.notes]
        if section.rows:
            lines += align(section.headers, _cut_titles(section), section.right)
        else:
            lines.append(f"({section.empty})")
    return "\n".join(lines) + "\n"


def _cut_titles(section: Section) -> list[list[str]]:
    if _TITLE not in section.headers:
        return section.rows
    column = section.headers.index(_TITLE)
    return [
        [truncate(cell) if index == column else cell for index, cell in enumerate(row)]
        for row in section.rows
    ]


def _render_rich(
    comparison: Comparison, sections: list[Section], *, color: bool, width: int
) -> str:
    from rich.table import Table
    from rich.text import Text

    from backlogctl.output.text import TITLE_WIDTH

    console, buffer = string_console(width, color=color)
    console.print(Text(heading(comparison), style="bold"))
    for section in sections:
        table = Table(
            title=section.title,
            title_justify="left",
            header_style="bold",
            caption="\n".join([*section.notes, *([] if section.rows else [f"({section.empty})"])])
            or None,
            caption_justify="left",
        )
        for index, header in enumerate(section.headers):
            table.add_column(
                header,
                justify="right" if index in section.right else "left",
                no_wrap=header != _TITLE,
                max_width=TITLE_WIDTH if header == _TITLE else None,
                overflow="ellipsis",
            )
        for index, row in enumerate(section.rows):
            style = "bold yellow" if index in section.highlight else None
            table.add_row(*(Text(cell) for cell in row), style=style)
        console.print()
        console.print(table)
    return buffer.getvalue()
