"""The compare report as GitHub-flavoured Markdown, to paste into a wiki page."""

from __future__ import annotations

from backlogctl.output.compare_common import compare_sections, heading
from backlogctl.output.text import markdown_cell, markdown_table
from backlogctl.scoring.compare import Comparison


def render_compare_markdown(comparison: Comparison) -> str:
    """A heading and one Markdown table per section; movers in bold."""
    lines = ["## Model comparison", "", heading(comparison)]
    for section in compare_sections(comparison):
        lines += ["", f"### {section.title}", ""]
        for note in section.notes:
            lines += [markdown_cell(note), ""]
        if not section.rows:
            lines.append(f"{section.empty.capitalize()}.")
            continue
        aligns = ["---:" if i in section.right else "---" for i in range(len(section.headers))]
        rows = [
            [
                f"**{markdown_cell(cell)}**" if index in section.highlight else markdown_cell(cell)
                for cell in row
            ]
            for index, row in enumerate(section.rows)
        ]
        lines += markdown_table([markdown_cell(header) for header in section.headers], aligns, rows)
    return "\n".join(lines) + "\n"
