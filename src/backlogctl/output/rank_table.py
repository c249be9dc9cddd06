"""The rank table: a Rich table fitted to the terminal, plain aligned text when piped or saved.

On a terminal the ranked table gives way as ``layout`` describes: titles shrink, then the
input columns fold into one "Inputs" cell, then they are left out with a note. Every text
cell is made safe with ``text.shown``.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text

from backlogctl.output.layout import Column, Layout, build_table, first_fit
from backlogctl.output.rank_common import RankView, input_cells, summary_line
from backlogctl.output.rich_console import string_console
from backlogctl.output.text import (
    align,
    input_labels,
    no_command_lines,
    readable_numbers,
    shown,
    truncate,
)

#: Narrowest a title gets before the inputs give way.
MIN_TITLE = 24
#: Narrowest a title gets at all (a narrow terminal, the type column left out too).
MIN_TITLE_NARROW = 12
#: Narrowest title of an unscored item (its key and reason matter more).
MIN_TITLE_TINY = 8
#: Narrowest a wrapping column (status, reason) gets: its longest word, but at least this.
MIN_WRAPPED = 8


def render_rank_table(
    view: RankView, *, rich: bool = False, color: bool = False, width: int = 120
) -> str:
    """The ranking as a table: Rich fitted to ``width`` (a terminal) or plain stable text."""
    if rich:
        return no_command_lines(_render_rich(view, color=color, width=width))
    return no_command_lines(_render_plain(view))


def _heading(view: RankView) -> str:
    model = view.ranking.model
    return f"Ranking by {shown(model.name)}: {shown(model.formula)}"


def _epic_line(view: RankView) -> str | None:
    summary = view.epic_summary()
    return None if summary is None else summary_line(summary[0], [shown(k) for k in summary[1]])


def _render_plain(view: RankView) -> str:
    ranking = view.ranking
    labels = input_labels(ranking.model.main_inputs)
    headers = ["Rank", "Key", "Type", "Title", view.score_header(), *labels, "Status"]
    rows = [
        [
            str(item.rank),
            shown(item.key),
            shown(item.type),
            truncate(shown(item.title)),
            score,
            *input_cells(ranking, item, shown),
            shown(item.status),
        ]
        for item, score in zip(ranking.ranked, view.score_texts(), strict=True)
    ]
    right = {0, 4, *range(5, 5 + len(labels))}
    lines = [_heading(view), ""]
    if rows:
        header, *body = align(headers, rows, right)
        lines.append(header)
        for item, row_line in zip(ranking.ranked, body, strict=True):
            lines.append(row_line)
            if view.explain and item.explanation:
                lines.append(f"      {shown(readable_numbers(item.explanation))}")
        lines += view.notes()
    else:
        lines.append("No scored items.")
    listed = view.listed_unscored()
    epics = _epic_line(view)
    if listed or epics:
        lines += ["", view.unscored_heading()]
    if listed:
        unscored_rows = [
            [
                shown(item.key),
                truncate(shown(item.title)),
                shown(item.type),
                shown(item.status),
                shown(item.reason),
            ]
            for item in listed
        ]
        lines += align(["Key", "Title", "Type", "Status", "Reason"], unscored_rows)
    if epics:
        lines.append(epics)
    return "\n".join(lines) + "\n"


def _render_rich(view: RankView, *, color: bool, width: int) -> str:
    console, buffer = string_console(width, color=color)
    layout, widths = first_fit(_ranked_layouts(view), width)
    console.print(build_table(layout, widths))
    listed = view.listed_unscored()
    epics = _epic_line(view)
    if listed:
        console.print(build_table(*first_fit(_unscored_layouts(view), width)))
    elif epics:
        console.print(Text(view.unscored_heading(), style="italic"))
    if epics:
        console.print(Text(epics))
    return buffer.getvalue()


def _ranked_layouts(view: RankView) -> list[Layout]:
    """The ranked table, widest first: inputs as columns, folded into one cell, left out."""
    ranking = view.ranking
    items = ranking.ranked
    titles = []
    for item in items:
        cell = Text(shown(item.title))
        if view.explain and item.explanation:
            # The explanation goes under the title and wraps within the title's width.
            cell.append("\n")
            cell.append(shown(readable_numbers(item.explanation)), style="dim")
        titles.append(cell)
    labels = input_labels(ranking.model.main_inputs)
    inputs = [input_cells(ranking, item, shown) for item in items]
    rank = Column("Rank", [Text(str(item.rank)) for item in items], justify="right", style="bold")
    key = Column("Key", [Text(shown(item.key)) for item in items], style="cyan")
    kind = Column("Type", [Text(shown(item.type)) for item in items])
    title = Column("Title", titles, min_width=MIN_TITLE, shrink=0, truncate=True)
    score = Column(
        view.score_header(), [Text(s) for s in view.score_texts()], justify="right", style="green"
    )
    status = Column(
        "Status", [Text(shown(item.status)) for item in items], min_width=MIN_WRAPPED, shrink=1
    )
    separate = [
        Column(label, [Text(row[index]) for row in inputs], justify="right")
        for index, label in enumerate(labels)
    ]
    folded = Column(
        "Inputs",
        [
            Text("\n".join(f"{label} {cell}" for label, cell in zip(labels, row, strict=True)))
            for row in inputs
        ],
    )
    notes = view.notes()
    left_out = "Inputs left out to fit the terminal: widen it, or see --format csv or json."
    start = [rank, key, kind, title, score]
    narrow = replace(title, min_width=MIN_TITLE_NARROW)
    tiny = "Inputs, types and statuses left out to fit the terminal: widen it, or see --format csv."
    return [
        Layout(_heading(view), [*start, *separate, status], notes),
        Layout(_heading(view), [*start, folded, status], notes),
        Layout(_heading(view), [*start, status], [*notes, left_out]),
        Layout(_heading(view), [rank, key, narrow, score, status], [*notes, left_out]),
        Layout(_heading(view), [rank, key, narrow, score], [*notes, tiny]),
    ]


def _unscored_layouts(view: RankView) -> list[Layout]:
    """The unscored table, and a narrower one without the type column."""
    items = view.listed_unscored()
    full = Layout(
        view.unscored_heading(),
        [
            Column("Key", [Text(shown(item.key)) for item in items], style="cyan"),
            Column(
                "Title",
                [Text(shown(item.title)) for item in items],
                min_width=MIN_TITLE,
                shrink=0,
                truncate=True,
            ),
            Column("Type", [Text(shown(item.type)) for item in items]),
            Column(
                "Status",
                [Text(shown(item.status)) for item in items],
                min_width=MIN_WRAPPED,
                shrink=1,
            ),
            Column(
                "Reason",
                [Text(shown(item.reason)) for item in items],
                min_width=MIN_WRAPPED + 4,
                shrink=1,
                style="yellow",
            ),
        ],
    )
    key, title, _, status, reason = full.columns
    narrow = replace(title, min_width=MIN_TITLE_NARROW)
    tiny = replace(title, min_width=MIN_TITLE_TINY)
    left_out = "Types and statuses left out to fit the terminal."
    return [
        full,
        replace(full, columns=[key, narrow, status, reason]),
        replace(full, columns=[key, tiny, reason], notes=[left_out]),
    ]
