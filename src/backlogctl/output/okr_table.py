"""The ``okr`` table: Rich fitted to the terminal, plain aligned text when piped or saved.

One row per objective (bold on a terminal) followed by its key results (indented). On a
terminal, progress shows as a bar and a percentage; when the table is too wide the due
dates and points give way first, then targets and ranks (a note says so). Warnings, unlinked
work and unknown keys follow the table. Every value passes through ``text.shown``.
"""

from __future__ import annotations

from dataclasses import replace

from rich.console import JustifyMethod
from rich.text import Text

from backlogctl.insights.okr import OkrResult
from backlogctl.output import okr_common as cells
from backlogctl.output.layout import Column, Layout, build_table, first_fit
from backlogctl.output.rich_console import string_console
from backlogctl.output.text import align, no_command_lines, shown, truncate

MIN_TITLE = 16
MIN_TITLE_NARROW = 8
_LEFT = ("Key", "Title", "Target", "Due")


def render_okr_table(
    result: OkrResult, *, rich: bool = False, color: bool = False, width: int = 120
) -> str:
    """The report as a table: Rich fitted to ``width`` (a terminal) or plain stable text."""
    if rich:
        return no_command_lines(_render_rich(result, color=color, width=width))
    return no_command_lines(_render_plain(result))


def _key(row: cells.Row) -> str:
    return shown(row.entry.key) if row.is_objective else "  " + shown(row.entry.key)


def _values(result: OkrResult, *, bars: bool) -> dict[str, list[str]]:
    """Every column's cells by header, in row order (text already made safe)."""
    rows = cells.rows(result)
    return {
        "Key": [_key(row) for row in rows],
        "Title": [shown(row.entry.title) for row in rows],
        "Open": [str(row.entry.open_items) for row in rows],
        "Done": [str(row.entry.done_items) for row in rows],
        "No est.": [str(row.entry.unestimated_open_items) for row in rows],
        "Open pts": [cells.points(row.entry.open_points) for row in rows],
        "Done pts": [cells.points(row.entry.done_points) for row in rows],
        "Delivery": [cells.delivery(row.entry, bars=bars) for row in rows],
        "Metric": [cells.metric(row.entry, bars=bars) for row in rows],
        "Now": [shown(cells.current(row.entry)) for row in rows],
        "Target": [shown(cells.target(row.entry)) for row in rows],
        "Due": [cells.due(row.entry) for row in rows],
        "Best": [cells.rank(row.entry) for row in rows],
        cells.top_header(result): [cells.percent(row.entry.top_share) for row in rows],
    }


def _footer(result: OkrResult) -> list[str]:
    lines: list[str] = []
    if result.warnings:
        lines += ["", "Warnings:"]
        lines += align(
            ["Key", "Kind", "Message"],
            [[shown(w.key), cells.warning_kind(w), shown(w.message)] for w in result.warnings],
        )[1:]
    extra = [line for line in (cells.unlinked_line(result), cells.unknown_line(result)) if line]
    if extra:
        lines.append("")
        lines += [shown(line) for line in extra]
    return lines


def _render_plain(result: OkrResult) -> str:
    lines = [cells.heading(result), ""]
    if not result.objectives:
        lines.append("No objectives declared (objectives: in a backlog file or the config).")
    else:
        values = _values(result, bars=False)
        values["Title"] = [truncate(title) for title in values["Title"]]
        headers = list(values)
        right = {i for i, header in enumerate(headers) if header not in _LEFT}
        lines += align(headers, [list(row) for row in zip(*values.values(), strict=True)], right)
    return "\n".join(lines + _footer(result)) + "\n"


def _render_rich(result: OkrResult, *, color: bool, width: int) -> str:
    console, buffer = string_console(width, color=color)
    if not result.objectives:
        console.print(Text(cells.heading(result)))
        console.print(Text("No objectives declared (objectives: in a backlog file or the config)."))
    else:
        layout, widths = first_fit(_layouts(result), width)
        console.print(build_table(layout, widths))
    for line in _footer(result):
        console.print(Text(line))
    return buffer.getvalue()


def _layouts(result: OkrResult) -> list[Layout]:
    """The table, widest first; each narrower layout leaves out more, with a note."""
    values = _values(result, bars=True)
    rows = cells.rows(result)
    bold = ["bold" if row.is_objective else "" for row in rows]

    def column(header: str) -> Column:
        texts = [Text(cell, style=style) for cell, style in zip(values[header], bold, strict=True)]
        if header == "Title":
            return Column(header, texts, min_width=MIN_TITLE, shrink=0, truncate=True)
        if header == "Key":
            return Column(header, texts, style="cyan")
        justify: JustifyMethod = "left" if header in _LEFT else "right"
        return Column(header, texts, justify=justify)

    top = cells.top_header(result)
    full = [column(header) for header in values]
    by_header = {c.header: c for c in full}

    def pick(*headers: str) -> list[Column]:
        return [by_header[header] for header in headers]

    narrow_title = replace(by_header["Title"], min_width=MIN_TITLE_NARROW)
    points = "Points and due dates left out to fit the terminal: see --format markdown or json."
    targets = "Targets, points and ranks left out to fit the terminal: see --format markdown."
    percents = _values(result, bars=False)
    delivery = Column("Delivery", [Text(v) for v in percents["Delivery"]], justify="right")
    metric = Column("Metric", [Text(v) for v in percents["Metric"]], justify="right")
    heading = cells.heading(result)
    return [
        Layout(heading, full),
        Layout(
            heading,
            pick("Key", "Title", "Open", "Delivery", "Metric", "Now", "Target", "Best", top),
            [points],
        ),
        Layout(heading, pick("Key", "Title", "Open", "Delivery", "Metric", "Best"), [targets]),
        Layout(
            heading,
            [by_header["Key"], by_header["Title"], by_header["Open"], delivery, metric],
            [targets],
        ),
        Layout(heading, [by_header["Key"], narrow_title, delivery, metric], [targets]),
    ]
