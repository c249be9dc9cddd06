"""The ranking as GitHub-flavoured Markdown tables (ranked, then unscored).

Every item text goes through ``markdown_cell``: GitHub renders it inert (no link, image,
mention, HTML or emphasis from the data).
"""

from __future__ import annotations

from collections.abc import Sequence

from backlogctl.output.markdown import code_span, markdown_cell, markdown_table
from backlogctl.output.rank_common import RankView, input_cells, summary_line
from backlogctl.output.text import input_labels, no_command_lines, readable_numbers


def _table(
    headers: Sequence[str], aligns: Sequence[str], rows: Sequence[Sequence[str]]
) -> list[str]:
    return markdown_table(headers, aligns, [[markdown_cell(cell) for cell in row] for row in rows])


def render_rank_markdown(view: RankView) -> str:
    """A heading, the ranked table and, when any, an "Unscored" table with reasons."""
    ranking = view.ranking
    model = ranking.model
    labels = input_labels(model.main_inputs)
    headers = ["Rank", "Key", "Type", "Title", view.score_header(), *labels, "Status"]
    aligns = ["---:", "---", "---", "---", "---:", *("---:" for _ in labels), "---"]
    if view.explain:
        headers.append("Explanation")
        aligns.append("---")
    rows = []
    for item, score in zip(ranking.ranked, view.score_texts(), strict=True):
        row = [
            str(item.rank),
            item.key,
            item.type,
            item.title,
            score,
            *input_cells(ranking, item),
            item.status,
        ]
        if view.explain:
            row.append(readable_numbers(item.explanation or ""))
        rows.append(row)
    lines = [f"## Ranking by {markdown_cell(model.name)}", "", code_span(model.formula), ""]
    lines += _table(headers, aligns, rows) if rows else ["No scored items."]
    if rows:
        lines += [line for note in view.notes() for line in ("", markdown_cell(note))]
    listed = view.listed_unscored()
    summary = view.epic_summary()
    if listed or summary:
        lines += ["", f"### {view.unscored_heading()}", ""]
    if listed:
        lines += _table(
            ["Key", "Title", "Type", "Status", "Reason"],
            ["---", "---", "---", "---", "---"],
            [[item.key, item.title, item.type, item.status, item.reason] for item in listed],
        )
    if summary:
        head, keys = summary
        text = summary_line(markdown_cell(head), [markdown_cell(key) for key in keys])
        lines += ["", text] if listed else [text]
    return no_command_lines("\n".join(lines) + "\n")
