"""The rank table: a Rich table on a terminal, plain aligned text when piped or saved."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import JustifyMethod
from rich.table import Table
from rich.text import Text

from backlogctl.output.rank_common import input_cells, score_text
from backlogctl.output.rich_console import string_console
from backlogctl.output.text import TITLE_WIDTH, align, input_labels, one_line, truncate
from backlogctl.scoring.ranking import Ranking


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
            [
                item.key,
                truncate(item.title),
                one_line(item.type),
                one_line(item.status),
                one_line(item.reason),
            ]
            for item in ranking.unscored
        ]
        lines += ["", f"Unscored ({len(ranking.unscored)})"]
        lines += align(["Key", "Title", "Type", "Status", "Reason"], unscored_rows)
    return "\n".join(lines) + "\n"


#: Narrowest a wrapping column (title, status, reason) gets before the table is allowed to be
#: wider than the terminal: better a wide table than keys and numbers crushed to "…".
_MIN_WRAPPED_WIDTH = 20


@dataclass(frozen=True)
class _Column:
    header: str
    cells: list[Text]
    wrap: bool = False
    justify: JustifyMethod = "left"
    style: str = ""

    def needed_width(self) -> int:
        lines = [self.header, *(line for cell in self.cells for line in cell.plain.splitlines())]
        widest = max(cell_len(line) for line in lines)
        return min(widest, _MIN_WRAPPED_WIDTH) if self.wrap else widest


def _render_rich(ranking: Ranking, *, explain: bool, color: bool, width: int) -> str:

    tables = [(_ranked_title(ranking), _ranked_columns(ranking, explain=explain))]
    if ranking.unscored:
        tables.append((f"Unscored ({len(ranking.unscored)})", _unscored_columns(ranking)))
    # Box drawing takes three characters per column plus one.
    needed = max(
        sum(column.needed_width() for column in columns) + 3 * len(columns) + 1
        for _, columns in tables
    )
    console, buffer = string_console(max(width, needed), color=color)
    for title, columns in tables:
        table = Table(title=title, title_justify="left", header_style="bold")
        for column in columns:
            table.add_column(
                column.header,
                justify=column.justify,
                style=column.style,
                no_wrap=not column.wrap,
                max_width=TITLE_WIDTH if column.header == "Title" else None,
            )
        for row in zip(*(column.cells for column in columns), strict=True):
            table.add_row(*row)
        console.print(table)
    return buffer.getvalue()


def _ranked_title(ranking: Ranking) -> str:
    return f"Ranking by {ranking.model.name}: {ranking.model.formula}"


def _ranked_columns(ranking: Ranking, *, explain: bool) -> list[_Column]:
    items = ranking.ranked
    titles = []
    for item in items:
        title = Text(truncate(item.title))
        if explain and item.explanation:
            # The explanation goes under the title and wraps within the title's width.
            title.append("\n")
            title.append(item.explanation, style="dim")
        titles.append(title)
    inputs = [input_cells(ranking, item) for item in items]
    labels = input_labels(ranking.model.main_inputs)
    return [
        _Column("Rank", [Text(str(item.rank)) for item in items], justify="right", style="bold"),
        _Column("Key", [Text(item.key) for item in items], style="cyan"),
        _Column("Title", titles, wrap=True),
        _Column(
            "Score", [Text(score_text(item)) for item in items], justify="right", style="green"
        ),
        *(
            _Column(label, [Text(row[index]) for row in inputs], justify="right")
            for index, label in enumerate(labels)
        ),
        _Column("Status", [Text(one_line(item.status)) for item in items], wrap=True),
    ]


def _unscored_columns(ranking: Ranking) -> list[_Column]:
    items = ranking.unscored
    return [
        _Column("Key", [Text(item.key) for item in items], style="cyan"),
        _Column("Title", [Text(truncate(item.title)) for item in items], wrap=True),
        _Column("Type", [Text(one_line(item.type)) for item in items]),
        _Column("Status", [Text(one_line(item.status)) for item in items], wrap=True),
        _Column("Reason", [Text(item.reason) for item in items], wrap=True, style="yellow"),
    ]
