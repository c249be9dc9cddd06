"""The ``stakeholders`` table: Rich fitted to the terminal, plain aligned text when piped.

One row per stakeholder: grid quadrant, influence and interest, open items, how many are in
the top N, the oldest waiting to-do item, deliveries, and the next open items by rank. With
``details`` (``--stakeholder``) each one's open and delivered items follow in full. Every
value passes through ``text.shown``.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text

from backlogctl.insights.stakeholders import StakeholderResult, StakeholderSummary
from backlogctl.output import stakeholders_common as cells
from backlogctl.output.layout import Column, Layout, build_table, first_fit
from backlogctl.output.rich_console import string_console
from backlogctl.output.text import align, no_command_lines, shown, truncate

MIN_NAME = 10
MIN_NEXT = 12
MIN_TITLE = 16
_LEFT = ("Stakeholder", "Grid", "Influence", "Interest", "Oldest wait", "Next up")
NO_ONE = "No stakeholders: none declared and no item names one."


def render_stakeholders_table(
    result: StakeholderResult,
    *,
    details: bool = False,
    rich: bool = False,
    color: bool = False,
    width: int = 120,
) -> str:
    """The report as a table: Rich fitted to ``width`` (a terminal) or plain stable text."""
    if rich:
        return no_command_lines(_render_rich(result, details=details, color=color, width=width))
    return no_command_lines(_render_plain(result, details=details))


def _values(result: StakeholderResult) -> dict[str, list[str]]:
    entries = result.stakeholders
    declarations = result.any_declared
    return {
        "Stakeholder": [shown(e.name) for e in entries],
        "Grid": [cells.grid(e, declarations=declarations) for e in entries],
        "Influence": [cells.level(e.influence) for e in entries],
        "Interest": [cells.level(e.interest) for e in entries],
        "Open": [str(len(e.open)) for e in entries],
        cells.top_header(result): [str(e.in_top_n) for e in entries],
        "Oldest wait": [cells.waiting(e, shown) for e in entries],
        "Delivered": [str(len(e.delivered)) for e in entries],
        "Next up": [cells.next_up(e, shown) for e in entries],
    }


def _detail_rows(entry: StakeholderSummary) -> tuple[list[list[str]], list[list[str]]]:
    open_rows = [
        [
            "-" if item.rank is None else str(item.rank),
            shown(item.key),
            truncate(shown(item.title)),
            shown(item.status),
        ]
        for item in entry.open
    ]
    delivered_rows = [
        [shown(item.key), item.resolved.isoformat(), truncate(shown(item.title))]
        for item in entry.delivered
    ]
    return open_rows, delivered_rows


def _footer(result: StakeholderResult) -> list[str]:
    line = cells.undeclared_line(result)
    return ["", shown(line)] if line else []


def _render_plain(result: StakeholderResult, *, details: bool) -> str:
    lines = [cells.heading(result), ""]
    if not result.stakeholders:
        lines.append(NO_ONE)
    else:
        values = _values(result)
        headers = list(values)
        right = {i for i, header in enumerate(headers) if header not in _LEFT}
        lines += align(headers, [list(row) for row in zip(*values.values(), strict=True)], right)
    if not details:
        lines += _footer(result)
    if details:
        for entry in result.stakeholders:
            open_rows, delivered_rows = _detail_rows(entry)
            lines += ["", f"{shown(entry.name)}: open items in rank order"]
            lines += (
                align(["Rank", "Key", "Title", "Status"], open_rows, {0})
                if open_rows
                else ["None."]
            )
            lines += ["", f"{shown(entry.name)}: delivered since {result.since}"]
            lines += (
                align(["Key", "Resolved", "Title"], delivered_rows) if delivered_rows else ["None."]
            )
    return "\n".join(lines) + "\n"


def _render_rich(result: StakeholderResult, *, details: bool, color: bool, width: int) -> str:
    console, buffer = string_console(width, color=color)
    if not result.stakeholders:
        console.print(Text(cells.heading(result)))
        console.print(Text(NO_ONE))
    else:
        console.print(build_table(*first_fit(_layouts(result), width)))
    if not details:
        for line in _footer(result):
            console.print(Text(line))
    if details:
        for entry in result.stakeholders:
            console.print(build_table(*first_fit(_detail_layouts(entry, result), width)))
    return buffer.getvalue()


def _layouts(result: StakeholderResult) -> list[Layout]:
    """The summary table, widest first; narrower layouts leave columns out, with a note."""
    values = _values(result)

    def column(header: str) -> Column:
        texts = [Text(cell) for cell in values[header]]
        if header == "Stakeholder":
            return Column(header, texts, style="cyan", min_width=MIN_NAME, shrink=1)
        if header == "Next up":
            return Column(header, texts, min_width=MIN_NEXT, shrink=0)
        return Column(header, texts, justify="left" if header in _LEFT else "right")

    by_header = {header: column(header) for header in values}
    top = cells.top_header(result)

    def pick(*headers: str) -> list[Column]:
        return [by_header[header] for header in headers]

    heading = cells.heading(result)
    levels = "Influence and interest left out to fit the terminal: see --format markdown."
    more = "Columns left out to fit the terminal: see --format markdown or json."
    return [
        Layout(heading, list(by_header.values())),
        Layout(
            heading,
            pick("Stakeholder", "Grid", "Open", top, "Oldest wait", "Delivered", "Next up"),
            [levels],
        ),
        Layout(heading, pick("Stakeholder", "Grid", "Open", top, "Oldest wait"), [more]),
        Layout(heading, pick("Stakeholder", "Open", top, "Oldest wait"), [more]),
    ]


def _detail_layouts(entry: StakeholderSummary, result: StakeholderResult) -> list[Layout]:
    open_rows, delivered_rows = _detail_rows(entry)
    delivered = f"delivered since {result.since}: " + (
        ", ".join(f"{row[0]} ({row[1]})" for row in delivered_rows) or "none"
    )
    title = f"{shown(entry.name)}: open items in rank order"
    columns = [
        Column("Rank", [Text(row[0]) for row in open_rows], justify="right"),
        Column("Key", [Text(row[1]) for row in open_rows], style="cyan"),
        Column(
            "Title",
            [Text(row[2]) for row in open_rows],
            min_width=MIN_TITLE,
            shrink=0,
            truncate=True,
        ),
        Column("Status", [Text(row[3]) for row in open_rows], min_width=8, shrink=1),
    ]
    full = Layout(title, columns, [delivered])
    narrow = replace(columns[2], min_width=8)
    return [full, replace(full, columns=[columns[0], columns[1], narrow])]
