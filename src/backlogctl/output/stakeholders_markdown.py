"""The ``stakeholders`` report as GitHub Markdown: the summary table, then with ``details``
each stakeholder's open and delivered items.

Names, keys and titles are untrusted: every cell goes through ``markdown_cell``.
"""

from __future__ import annotations

from backlogctl.insights.stakeholders import StakeholderResult
from backlogctl.output import stakeholders_common as cells
from backlogctl.output.markdown import markdown_cell, markdown_table

_HEADERS = ["Stakeholder", "Grid", "Influence", "Interest", "Open"]
_AFTER_TOP = ["Oldest wait", "Delivered", "Next up"]
_ALIGNS = ["---", "---", "---", "---", "---:", "---:", "---", "---:", "---"]


def render_stakeholders_markdown(result: StakeholderResult, *, details: bool = False) -> str:
    """The report as Markdown."""
    lines = [f"## {markdown_cell(cells.heading(result))}", ""]
    if not result.stakeholders:
        lines += ["No stakeholders: none declared and no item names one.", ""]
    else:
        rows = [
            [
                markdown_cell(entry.name),
                cells.grid(entry, declarations=result.any_declared),
                cells.level(entry.influence),
                cells.level(entry.interest),
                str(len(entry.open)),
                str(entry.in_top_n),
                cells.waiting(entry, markdown_cell),
                str(len(entry.delivered)),
                cells.next_up(entry, markdown_cell, markdown=True),
            ]
            for entry in result.stakeholders
        ]
        headers = [*_HEADERS, cells.top_header(result), *_AFTER_TOP]
        lines += [*markdown_table(headers, _ALIGNS, rows), ""]
    undeclared = None if details else cells.undeclared_line(result)
    if undeclared:
        lines += [markdown_cell(undeclared), ""]
    if details:
        for entry in result.stakeholders:
            lines += [f"### {markdown_cell(entry.name)}", "", "Open items in rank order:", ""]
            open_rows = [
                [
                    cells.NONE if item.rank is None else str(item.rank),
                    markdown_cell(item.key),
                    markdown_cell(item.title),
                    markdown_cell(item.status),
                ]
                for item in entry.open
            ]
            lines += (
                markdown_table(
                    ["Rank", "Key", "Title", "Status"], ["---:"] + ["---"] * 3, open_rows
                )
                if open_rows
                else ["None."]
            )
            lines += ["", f"Delivered since {result.since}:", ""]
            delivered_rows = [
                [markdown_cell(item.key), item.resolved.isoformat(), markdown_cell(item.title)]
                for item in entry.delivered
            ]
            lines += (
                markdown_table(["Key", "Resolved", "Title"], ["---"] * 3, delivered_rows)
                if delivered_rows
                else ["None."]
            )
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
