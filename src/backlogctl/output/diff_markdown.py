"""``diff`` as GitHub-flavoured Markdown: a refinement meeting's agenda for a wiki or an issue.

Every cell goes through ``markdown_cell``, so item titles stay inert text.
"""

from __future__ import annotations

from backlogctl.history.diff import HistoryDiff
from backlogctl.output.diff_common import diff_sections, heading, no_changes
from backlogctl.output.markdown import markdown_cell, markdown_table
from backlogctl.output.text import no_command_lines


def render_diff_markdown(diff: HistoryDiff, *, limit: int | None = None) -> str:
    """A heading and one table per non-empty section, of at most ``limit`` rows."""
    lines = ["## Backlog changes", "", markdown_cell(heading(diff))]
    sections = diff_sections(diff, limit)
    if not sections:
        lines += ["", markdown_cell(no_changes(diff))]
    for section in sections:
        lines += ["", f"### {markdown_cell(section.title)}", ""]
        aligns = ["---:" if i in section.right else "---" for i in range(len(section.headers))]
        rows = [[markdown_cell(cell) for cell in row] for row in section.rows]
        lines += markdown_table([markdown_cell(h) for h in section.headers], aligns, rows)
        if section.more:
            lines += ["", markdown_cell(section.more_text())]
    return no_command_lines("\n".join(lines) + "\n")
