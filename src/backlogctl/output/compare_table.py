"""The compare report as tables: Rich on a terminal (movers highlighted, fitted to its width),
plain text when piped. Every cell and note is made safe with ``text.shown``."""

from __future__ import annotations

from dataclasses import replace

from rich.console import JustifyMethod
from rich.text import Text

from backlogctl.output.compare_common import Section, compare_sections, heading
from backlogctl.output.layout import Column, Layout, build_table, first_fit
from backlogctl.output.rich_console import string_console
from backlogctl.output.text import align, no_command_lines, shown, truncate
from backlogctl.scoring.compare import Comparison

#: Column of the item title in sections that have one (cut to keep rows on one line).
_TITLE = "Title"
#: Columns that wrap rather than set the table's width (and "In top N of", a list of models).
_WRAPPING = frozenset({"Reason", "Reading", "Outside it in (rank)"})
#: Narrowest title before the title column is left out.
_MIN_TITLE = 16
#: Columns left out (with a note), stage after stage, when a table does not fit the terminal
#: otherwise (the stability table's rows are in rank order without their "Rank").
_NARROW_DROPS = (frozenset({_TITLE, "Type"}), frozenset({"Rank"}))


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
    """The section as tables, widest first (``layout.first_fit`` takes the first that fits).

    With a title column: the full table, its foldable columns folded into one cell, then the
    same without titles (and types); at last, foldable columns that may go are left out. Every
    step that hides something says so in a note.
    """
    notes = [shown(note) for note in section.notes]
    if not section.rows:
        notes.append(f"({section.empty})")
    columns = [_column(section, index) for index in range(len(section.headers))]
    folded = _folded(section, columns)
    shapes = [columns] if folded is None else [columns, folded]
    layouts = [Layout(shown(section.title), shape, notes, section.highlight) for shape in shapes]
    base = list(layouts)
    dropped: list[Column] = []
    for stage in _NARROW_DROPS:
        more = [c for c in columns if c.header in stage]
        if not more:
            continue
        dropped += more
        names = " and ".join(f"{c.header.lower()}s" for c in dropped)
        note = f"{names.capitalize()} left out to fit the terminal."
        layouts += [
            replace(
                layout,
                columns=[c for c in layout.columns if c not in dropped],
                notes=[*notes, note],
            )
            for layout in base
        ]
    if folded is not None and section.fold_optional:
        gone = ", ".join(section.headers[index] for index in sorted(section.fold))
        note = f"Left out to fit the terminal: {gone}; widen it, or see --format markdown or json."
        kept = [c for i, c in enumerate(columns) if i not in section.fold and c not in dropped]
        layouts.append(Layout(shown(section.title), kept, [*notes, note], section.highlight))
    return layouts


def _column(section: Section, index: int) -> Column:
    header = section.headers[index]
    cells = [Text(shown(row[index])) for row in section.rows]
    justify: JustifyMethod = "right" if index in section.right else "left"
    if header == _TITLE:
        return Column(header, cells, min_width=_MIN_TITLE, shrink=0, truncate=True)
    if header in _WRAPPING or header.startswith("In top "):
        return Column(header, cells, justify=justify, min_width=8, shrink=1)
    # Keys and numbers never wrap; other texts ("rice vs wsjf", "wsjf 7") only at spaces.
    whole = index in section.right or header == "Key"
    return Column(header, cells, justify=justify, min_width=None if whole else 1)


def _folded(section: Section, columns: list[Column]) -> list[Column] | None:
    """``columns`` with the section's foldable ones as one cell of ``header value`` lines."""
    if not section.fold:
        return None
    first = min(section.fold)
    cell = Column(
        section.fold_header,
        [
            Text(
                "\n".join(
                    f"{shown(section.headers[index])} {shown(row[index])}"
                    for index in sorted(section.fold)
                )
            )
            for row in section.rows
        ],
    )
    kept = [column for index, column in enumerate(columns) if index not in section.fold]
    return [*kept[:first], cell, *kept[first:]]


def _render_rich(
    comparison: Comparison, sections: list[Section], *, color: bool, width: int
) -> str:
    console, buffer = string_console(width, color=color)
    console.print(Text(shown(heading(comparison)), style="bold"))
    for section in sections:
        console.print()
        console.print(build_table(*first_fit(_layouts(section), width)))
    return buffer.getvalue()
