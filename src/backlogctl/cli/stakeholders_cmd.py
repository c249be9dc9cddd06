"""The ``stakeholders`` command: whose requests wait, for how long, and what was delivered."""

import datetime as dt
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
from backlogctl.cli.completion import complete_stakeholder
from backlogctl.cli.okr_cmd import FormatOpt, InsightFormat, ModelOpt, TopOpt
from backlogctl.errors import InputError


def parse_since(value: str | None, as_of: dt.datetime) -> dt.datetime | None:
    """``--since DATE`` as the start of that day (UTC); it may not be after ``--as-of``."""
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--since: expected a date like 2026-01-31, got {value!r}") from None
    if day > as_of.date():
        raise InputError(f"--since {day} is after the as-of day {as_of.date()}")
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def stakeholders(
    sources: SourcesArg = None,
    stakeholder: Annotated[
        list[str] | None,
        typer.Option(
            "--stakeholder",
            "-s",
            help="Only this stakeholder, with its items in full (repeatable, case-insensitive).",
            metavar="NAME",
            show_default=False,
            autocompletion=complete_stakeholder,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Count items delivered (resolved) from this day (YYYY-MM-DD). Default: the "
            "last 30 days.",
            metavar="DATE",
        ),
    ] = None,
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
    """Stakeholders: whose requests wait, for how long, and what was delivered.

    Per stakeholder: the influence/interest grid, open items by rank, the oldest wait.

    Names used by items but not declared (stakeholders: in a file or config) are undeclared.

    Filters narrow the open items; deliveries always cover every done item.
    """
    from backlogctl.insights.stakeholders import summarize_stakeholders, unknown_names
    from backlogctl.scoring.ranking import rank_items

    settings = load_settings(config)
    scoring_model = chosen_model(model, settings)
    moment = parse_as_of(as_of)
    start = parse_since(since, moment)
    item_filter = build_filter(status_category, label, type_, assignee, objective)
    backlog, items = load_filtered(sources, settings, jql, item_filter)
    names = stakeholder or []
    unknown = unknown_names(names, backlog)
    if unknown:
        # Nothing to show for a misspelt name: an error (exit 2) with the filters' close
        # matches, rather than a note above an empty report.
        raise InputError("--stakeholder: " + "; ".join(unknown))
    ranking = rank_items(items, scoring_model, explain=False)
    result = summarize_stakeholders(
        backlog, ranking, as_of=moment, since=start, top=top, items=items, names=names
    )
    if format_ is InsightFormat.json:
        from backlogctl.output.stakeholders_json import render_stakeholders_json

        emit(render_stakeholders_json(result), output)
        return
    if format_ is InsightFormat.markdown:
        from backlogctl.output.stakeholders_markdown import render_stakeholders_markdown

        emit(render_stakeholders_markdown(result, details=bool(names)), output)
        return
    from backlogctl.output.stakeholders_table import render_stakeholders_table

    terminal = output is None and stdout_is_terminal()
    text = render_stakeholders_table(
        result,
        details=bool(names),
        rich=terminal,
        color=terminal and color_enabled(),
        width=terminal_width(),
    )
    emit(text, output)


STAKEHOLDERS_EXAMPLES = """Examples:

$ backlogctl stakeholders --as-of 2026-11-25

$ backlogctl stakeholders --stakeholder Marketing --since 2026-10-01

$ backlogctl stakeholders --format json | jq '.stakeholders[] | {name, quadrant}'"""


def register(app: typer.Typer) -> None:
    """Add ``stakeholders`` to ``app``."""
    app.command("stakeholders", epilog=STAKEHOLDERS_EXAMPLES)(stakeholders)
