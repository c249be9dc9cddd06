"""The ``okr`` command: what the backlog does for each objective and key result."""

from enum import StrEnum
from typing import Annotated

import typer

from backlogctl.cli.common import (
    AsOfOpt,
    AssigneeOpt,
    ConfigOpt,
    JqlOpt,
    LabelOpt,
    ObjectiveOpt,
    OutputOpt,
    SourcesArg,
    StatusCategoryOpt,
    TypeOpt,
    build_filter,
    chosen_model,
    color_enabled,
    emit,
    load_filtered,
    load_settings,
    parse_as_of,
    stdout_is_terminal,
    terminal_width,
)
from backlogctl.cli.completion import complete_model


class InsightFormat(StrEnum):
    """Output formats of ``okr`` and ``stakeholders``."""

    table = "table"
    json = "json"
    markdown = "markdown"


ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="Scoring model for ranks and the top N (see 'backlogctl models'). Default: config's.",
        autocompletion=complete_model,
    ),
]
TopOpt = Annotated[
    int,
    typer.Option("--top", "-n", min=1, help="Size of the model's top N to measure shares in."),
]
FormatOpt = Annotated[
    InsightFormat,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
]


def okr(
    sources: SourcesArg = None,
    model: ModelOpt = None,
    top: TopOpt = 10,
    as_of: AsOfOpt = None,
    status_category: StatusCategoryOpt = None,
    label: LabelOpt = None,
    type_: TypeOpt = None,
    assignee: AssigneeOpt = None,
    objective: ObjectiveOpt = None,
    format_: FormatOpt = InsightFormat.table,
    config: ConfigOpt = None,
    jql: JqlOpt = None,
    output: OutputOpt = None,
) -> None:
    """Objectives and key results: open and done work, progress, ranks and warnings.

    Per key result: items and points, delivery and metric progress, best rank, top-N share.

    Items serve their own objective or their epic's; epics count through their children.

    Filters narrow the open work; done figures always cover every done item.
    """
    from backlogctl.insights.okr import summarize_okrs
    from backlogctl.scoring.ranking import rank_items

    settings = load_settings(config)
    scoring_model = chosen_model(model, settings)
    moment = parse_as_of(as_of)
    item_filter = build_filter(status_category, label, type_, assignee, objective)
    backlog, items = load_filtered(sources, settings, jql, item_filter)
    ranking = rank_items(items, scoring_model, explain=False)
    result = summarize_okrs(
        backlog, ranking, as_of=moment, top=top, items=items, objectives=objective or ()
    )
    if format_ is InsightFormat.json:
        from backlogctl.output.okr_json import render_okr_json

        emit(render_okr_json(result), output)
        return
    if format_ is InsightFormat.markdown:
        from backlogctl.output.okr_markdown import render_okr_markdown

        emit(render_okr_markdown(result), output)
        return
    from backlogctl.output.okr_table import render_okr_table

    terminal = output is None and stdout_is_terminal()
    text = render_okr_table(
        result, rich=terminal, color=terminal and color_enabled(), width=terminal_width()
    )
    emit(text, output)


OKR_EXAMPLES = """Examples:

$ backlogctl okr --as-of 2026-11-25

$ backlogctl okr --objective O1 --model wsjf --top 5

$ backlogctl okr --format json | jq '.warnings[] | .key + " " + .kind'"""


def register(app: typer.Typer) -> None:
    """Add ``okr`` to ``app``."""
    app.command("okr", epilog=OKR_EXAMPLES)(okr)
