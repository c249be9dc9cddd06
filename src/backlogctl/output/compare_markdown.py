"""The compare report as GitHub-flavoured Markdown, to paste into a wiki page."""

from __future__ import annotations

from collections.abc import Sequence

from backlogctl.output.compare_common import compare_sections, heading
from backlogctl.output.text import one_line
from backlogctl.scoring.compare import Comparison


def render_compare_markdown(comparison: Comparison) -> str:
    """A heading and one Markdown table per section; movers in bold."""
    lines = ["## Model comparison", "", heading(comparison)]
    for section in compare_sections(comparison):
        lines += ["", f"### {section.title}", ""]
        for note in section.notes:
            lines += [_cell(note), ""]
        if not section.rows:
            lines.append(f"{section.empty.capitalize()}.")
            continue
        aligns = ["---:" if i in section.right else "---" for i in range(len(section.headers))]
        rows = [
            [f"**{_cell(cell)}**" if index in section.highlight else _cell(cell) for cell in row]
            for index, row in enumerate(section.rows)
        ]
        lines += _table([_cell(header) for header in section.headers], aligns, rows)
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """One line, with Markdown's table and emphasis characters escaped."""
    escaped = one_line(text).replace("\\", "\\\\")
    for special in "|*_`":
        escaped = escaped.replace(special, f"\\{special}")
    return escaped


def _table(
    headers: Sequence[str], aligns: Sequence[str], rows: Sequence[Sequence[str]]
) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(aligns) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines
