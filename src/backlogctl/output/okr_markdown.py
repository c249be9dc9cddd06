"""The ``okr`` report as GitHub Markdown: one table per objective, then the warnings.

Keys, titles, units and messages are untrusted: every cell goes through ``markdown_cell``.
"""

from __future__ import annotations

from backlogctl.insights.okr import KeyResultProgress, ObjectiveProgress, OkrResult
from backlogctl.output import okr_common as cells
from backlogctl.output.markdown import markdown_cell, markdown_table

_HEADERS = ["Key", "Title", "Open", "Done", "No est.", "Open pts", "Done pts", "Delivery"]
_HEADERS += ["Metric", "Now", "Target", "Due", "Best"]
_ALIGNS = ["---", "---", *["---:"] * 8, "---", "---", "---:", "---:"]


def render_okr_markdown(result: OkrResult) -> str:
    """The report as Markdown."""
    lines = [f"## {markdown_cell(cells.heading(result))}", ""]
    if not result.objectives:
        lines += ["No objectives declared (`objectives:` in a backlog file or the config).", ""]
    for objective in result.objectives:
        lines += [f"### {markdown_cell(objective.key)}: {markdown_cell(objective.title)}", ""]
        entries: list[ObjectiveProgress | KeyResultProgress] = [
            objective,
            *objective.key_results,
        ]
        lines += markdown_table(
            [*_HEADERS, cells.top_header(result)], _ALIGNS, [_row(entry) for entry in entries]
        )
        lines.append("")
    if result.warnings:
        lines += ["### Warnings", ""]
        lines += markdown_table(
            ["Key", "Kind", "Message"],
            ["---", "---", "---"],
            [
                [markdown_cell(w.key), cells.warning_kind(w), markdown_cell(w.message)]
                for w in result.warnings
            ],
        )
        lines.append("")
    for line in (cells.unlinked_line(result), cells.unknown_line(result)):
        if line:
            lines += [markdown_cell(line), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _row(entry: ObjectiveProgress | KeyResultProgress) -> list[str]:
    key = markdown_cell(entry.key)
    return [
        key if isinstance(entry, KeyResultProgress) else f"**{key}**",
        markdown_cell(entry.title),
        str(entry.open_items),
        str(entry.done_items),
        str(entry.unestimated_open_items),
        cells.points(entry.open_points),
        cells.points(entry.done_points),
        cells.delivery(entry),
        cells.metric(entry),
        markdown_cell(cells.current(entry)),
        markdown_cell(cells.target(entry)),
        cells.due(entry),
        cells.rank(entry),
        cells.percent(entry.top_share),
    ]
