"""The rank table: a Rich table on a terminal, plain aligned text when piped or saved."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from backlogctl.output.rank_common import input_cells, score_text
from backlogctl.output.text import TITLE_WIDTH, align, input_labels, one_line, truncate
from backlogctl.scoring.ranking import Ranking

if TYPE_CHECKING:
    from rich.table import Table


def render_rank_table(
    ranking: Ranking,
    *,
    explain: bool = False,
    rich: bool = False,
    color: bool = False,
    width: int = 120,
) -> str:
    """The ranking as a table: Rich (``rich=True``, a terminal) or plain stable text."""
    if rich:
        return _render_rich(ranking, explain=explain, color=color, width=width)
    return _render_plain(ranking, explain=explain)


def _headers(ranking: Ranking) -> list[str]:
    return ["Rank", "Key", "Title", "Score", *input_labels(ranking.model.main_inputs), "Status"]


def _render_plain(ranking: Ranking, *, explain: bool) -> str:
    headers = _headers(ranking)
    rows = [
        [
            str(item.rank),
            item.key,
            truncate(item.title),
            score_text(item),
            *input_cells(ranking, item),
            one_line(item.status),
        ]
        for item in ranking.ranked
    ]
    right = {0, 3, *range(4, 4 + len(ranking.model.main_inputs))}
    lines = [f"Ranking by {ranking.model.name}: {ranking.model.formula}", ""]
    if rows:
        header, *body = align(headers, rows, right)
        lines.append(header)
        for item, row_line in zip(ranking.ranked, body, strict=True):
            lines.append(row_line)
            if explain and item.explanation:
                lines.append(f"      {item.explanation}")
    else:
        lines.append("No scored items.")
    if ranking.unscored:
        unscored_rows = [
            [item.key, truncate(item.title), one_line(item.status), one_line(item.reason)]
            for item in ranking.unscored
        ]
        lines += ["", f"Unscored ({len(ranking.unscored)})"]
        lines += align(["Key", "Title", "Status", "Reason"], unscored_rows)
    return "\n".join(lines) + "\n"


def _render_rich(ranking: Ranking, *, explain: bool, color: bool, width: int) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="auto" if color else None,
        no_color=not color,
        highlight=False,
    )
    console.print(_ranked_table(ranking, explain=explain))
    if ranking.unscored:
        console.print(_unscored_table(ranking))
    return buffer.getvalue()


def _ranked_table(ranking: Ranking, *, explain: bool) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"Ranking by {ranking.model.name}: {ranking.model.formula}",
        title_justify="left",
        header_style="bold",
    )
    table.add_column("Rank", justify="right", style="bold")
    table.add_column("Key", style="cyan", no_wrap=True)
    table.add_column("Title", max_width=TITLE_WIDTH, no_wrap=True, overflow="ellipsis")
    table.add_column("Score", justify="right", style="green")
    for label in input_labels(ranking.model.main_inputs):
        table.add_column(label, justify="right")
    table.add_column("Status", no_wrap=True)
    if explain:
        table.add_column("Explanation", style="dim")
    for item in ranking.ranked:
        cells = [
            Text(str(item.rank)),
            Text(item.key),
            Text(one_line(item.title)),
            Text(score_text(item)),
            *(Text(cell) for cell in input_cells(ranking, item)),
            Text(one_line(item.status)),
        ]
        if explain:
            cells.append(Text(item.explanation or ""))
        table.add_row(*cells)
    return table


def _unscored_table(ranking: Ranking) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"Unscored ({len(ranking.unscored)})", title_justify="left", header_style="bold"
    )
    table.add_column("Key", style="cyan", no_wrap=True)
    table.add_column("Title", max_width=TITLE_WIDTH, no_wrap=True, overflow="ellipsis")
    table.add_column("Status", no_wrap=True)
    table.add_column("Reason", style="yellow")
    for item in ranking.unscored:
        table.add_row(
            Text(item.key),
            Text(one_line(item.title)),
            Text(one_line(item.status)),
            Text(item.reason),
        )
    return table
