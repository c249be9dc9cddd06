"""The ranking as GitHub-flavoured Markdown tables (ranked, then unscored)."""

from __future__ import annotations

from collections.abc import Sequence

from backlogctl.output.rank_common import input_cells, score_text
from backlogctl.output.text import input_labels, markdown_cell, markdown_table
from backlogctl.scoring.ranking import Ranking


def _table(
    headers: Sequence[str], aligns: Sequence[str], rows: Sequence[Sequence[str]]
) -> list[str]:
    return markdown_table(headers, aligns, [[markdown_cell(cell) for cell in row] for row in rows])


def render_rank_markdown(ranking: Ranking, *, explain: bool = False) -> str:
    """A heading, the ranked table and, when any, an "Unscored" table with reasons."""
    model = ranking.model
    labels = input_labels(model.main_inputs)
    headers = ["Rank", "Key", "Title", "Score", *labels, "Status"]
    aligns = ["---:", "---", "---", "---:", *("---:" for _ in labels), "---"]
    if explain:
        headers.append("Explanation")
        aligns.append("---")
    rows = []
    for item in ranking.ranked:
        row = [
            str(item.rank),
            item.key,
            item.title,
            score_text(item),
            *input_cells(ranking, item),
            item.status,
        ]
        if explain:
            row.append(item.explanation or "")
        rows.append(row)
    lines = [f"## Ranking by {markdown_cell(model.name)}", "", f"`{model.formula}`", ""]
    lines += _table(headers, aligns, rows) if rows else ["No scored items."]
    if ranking.unscored:
        lines += ["", f"### Unscored ({len(ranking.unscored)})", ""]
        lines += _table(
            ["Key", "Title", "Type", "Status", "Reason"],
            ["---", "---", "---", "---", "---"],
            [
                [item.key, item.title, item.type, item.status, item.reason]
                for item in ranking.unscored
            ],
        )
    return "\n".join(lines) + "\n"
