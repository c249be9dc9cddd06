"""The compare report as GitHub-flavoured Markdown, to paste into a wiki page.

Every cell and note goes through ``markdown_cell`` (inert on GitHub). A biggest mover's key is
bold in the ranks table; the movers table itself is not bold (every row there is a mover).
"""

from __future__ import annotations

from backlogctl.output.compare_common import compare_sections, heading
from backlogctl.output.markdown import markdown_cell, markdown_table
from backlogctl.output.text import no_command_lines
from backlogctl.scoring.compare import Comparison


def render_compare_markdown(comparison: Comparison, *, summarize_epics: bool = True) -> str:
    """A heading and one Markdown table per section."""
    lines = ["## Model comparison", "", markdown_cell(heading(comparison))]
    for section in compare_sections(comparison, summarize_epics=summarize_epics):
        lines += ["", f"### {markdown_cell(section.title)}", ""]
        for note in section.notes:
            lines += [markdown_cell(note), ""]
        if not section.rows:
            lines.append(f"{markdown_cell(section.empty.capitalize())}.")
            continue
        aligns = ["---:" if i in section.right else "---" for i in range(len(section.headers))]
        # Bold only singles rows out: a table where every row is highlighted stays plain.
        bold = section.highlight if len(section.highlight) < len(section.rows) else frozenset()
        rows = [
            [
                f"**{markdown_cell(cell)}**"
                if index in bold and column == 0
                else markdown_cell(cell)
                for column, cell in enumerate(row)
            ]
            for index, row in enumerate(section.rows)
        ]
        lines += markdown_table([markdown_cell(header) for header in section.headers], aligns, rows)
    return no_command_lines("\n".join(lines) + "\n")
