"""The ``plan`` command: which open items fit into the next sprints (capacity planning)."""

import datetime as dt
import math
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
    ScoringModelOpt,
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
from backlogctl.cli.completion import complete_item_key
from backlogctl.errors import InputError

#: Most sprints one plan looks ahead (a year of one-week sprints).
MAX_SPRINTS = 52
DEFAULT_SPRINTS = 3


class PlanFormat(StrEnum):
    """Output formats of ``plan``."""

    table = "table"
    json = "json"
    markdown = "markdown"


class PlanStrategy(StrEnum):
    """Strategies of ``plan``."""

    rank = "rank"
    value = "value"


def parse_capacities(text: str, sprints: int | None) -> tuple[float, ...]:
    """``--capacity 40`` (every sprint) or ``40,32,40`` (one per sprint), checked against
    ``--sprints``."""
    values: list[float] = []
    for part in text.split(","):
        try:
            value = float(part.strip())
        except ValueError:
            raise InputError(
                f"--capacity: expected points like 40 or 40,32,40, got {text!r}"
            ) from None
        if not math.isfinite(value) or value <= 0:
            raise InputError(
                f"--capacity: every sprint needs a capacity above 0, got {part.strip()}"
            )
        values.append(value)
    if len(values) > 1:
        if sprints is not None and sprints != len(values):
            raise InputError(
                f"--capacity lists {len(values)} sprints but --sprints is {sprints}: give one "
                "capacity for all sprints, or one per sprint"
            )
        if len(values) > MAX_SPRINTS:
            raise InputError(f"--capacity: at most {MAX_SPRINTS} sprints, got {len(values)}")
        return tuple(values)
    return tuple(values * (sprints or DEFAULT_SPRINTS))


def parse_start(value: str | None, sprint_days: int | None) -> tuple[dt.date | None, int]:
    """``--start DATE`` and ``--sprint-days N`` (default 14; only with ``--start``)."""
    if value is None:
        if sprint_days is not None:
            raise InputError("--sprint-days needs --start DATE (the first day of sprint 1)")
        return None, 14
    try:
        start = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--start: expected a date like 2026-01-31, got {value!r}") from None
    return start, 14 if sprint_days is None else sprint_days


def _pins(values: list[str] | None) -> tuple[str, ...]:
    keys = [key.strip() for value in values or () for key in value.split(",")]
    if any(not key for key in keys):
        raise InputError("--pin: expected item keys like SHOP-12 (several: repeat --pin)")
    return tuple(dict.fromkeys(keys))


def plan(
    sources: SourcesArg = None,
    capacity: Annotated[
        str,
        typer.Option(
            "--capacity",
            help="Estimate points per sprint: one value for every sprint (40) or one per "
            "sprint (40,32,40).",
            metavar="POINTS",
            show_default=False,
        ),
    ] = "",
    sprints: Annotated[
        int | None,
        typer.Option(
            "--sprints",
            min=1,
            max=MAX_SPRINTS,
            help=f"Sprints to plan. Default: one per --capacity value, else {DEFAULT_SPRINTS}.",
            show_default=False,
        ),
    ] = None,
    strategy: Annotated[
        PlanStrategy,
        typer.Option(
            "--strategy",
            help="rank: the model's order, each item with its dependencies. value: per "
            "sprint the highest total score that fits.",
            case_sensitive=False,
        ),
    ] = PlanStrategy.rank,
    pin: Annotated[
        list[str] | None,
        typer.Option(
            "--pin",
            help="Put this item (with its open dependencies) into sprint 1, after carry-over.",
            metavar="KEY",
            show_default=False,
            autocompletion=complete_item_key,
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            help="First day of sprint 1 (YYYY-MM-DD): shows sprint end dates and items due "
            "before their sprint ends.",
            metavar="DATE",
        ),
    ] = None,
    sprint_days: Annotated[
        int | None,
        typer.Option(
            "--sprint-days",
            min=1,
            max=366,
            help="Sprint length in days, with --start. Default: 14.",
            show_default=False,
        ),
    ] = None,
    exclude_in_progress: Annotated[
        bool,
        typer.Option(
            "--exclude-in-progress",
            help="Leave in-progress items out (default: carried over into sprint 1 first); "
            "dependencies on them count as met.",
        ),
    ] = False,
    model: ScoringModelOpt = None,
    status_category: StatusCategoryOpt = None,
    label: LabelOpt = None,
    type_: TypeOpt = None,
    assignee: AssigneeOpt = None,
    objective: ObjectiveOpt = None,
    as_of: AsOfOpt = None,
    format_: Annotated[
        PlanFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = PlanFormat.table,
    config: ConfigOpt = None,
    jql: JqlOpt = None,
    output: OutputOpt = None,
) -> None:
    """Plan the next sprints: which open items fit the team's capacity, and what is left out.

    In-progress items come first in sprint 1 (carry-over), pinned items next.

    An item is planned only with its open dependencies in the same or an earlier sprint.

    Epics with children are planned through their children.
    """
    from backlogctl.dependencies import DependencyGraph
    from backlogctl.insights.capacity import PlanOptions, plan_capacity
    from backlogctl.insights.capacity_input import check_pins, plan_tasks

    if not capacity:
        raise InputError("--capacity is required: estimate points per sprint, e.g. 40 or 40,32,40")
    capacities = parse_capacities(capacity, sprints)
    first_day, days = parse_start(start, sprint_days)
    if first_day is not None:
        try:
            first_day + dt.timedelta(days=days * len(capacities))
        except OverflowError:
            raise InputError("--start: the last sprint would end after the year 9999") from None
    today = parse_as_of(as_of).date()
    pins = _pins(pin)
    settings = load_settings(config)
    scoring_model = chosen_model(model, settings)
    item_filter = build_filter(status_category, label, type_, assignee, objective)
    backlog, candidates = load_filtered(sources, settings, jql, item_filter)
    graph = DependencyGraph(backlog.items, backlog.dependency_statuses)
    tasks, outside = plan_tasks(candidates, scoring_model, graph)
    check_pins(pins, tasks, backlog.items, graph)
    options = PlanOptions(
        capacities=capacities,
        strategy="value" if strategy is PlanStrategy.value else "rank",
        pins=pins,
        carry_over=not exclude_in_progress,
        start=first_day,
        sprint_days=days,
        cost_of_delay=scoring_model.name == "wsjf",
        as_of=today,
    )
    result = plan_capacity(tasks, outside, options)
    name = scoring_model.name
    if format_ is PlanFormat.json:
        from backlogctl.output.plan_json import render_plan_json

        text = render_plan_json(result, name)
    elif format_ is PlanFormat.markdown:
        from backlogctl.output.plan_markdown import render_plan_markdown

        text = render_plan_markdown(result, name)
    else:
        from backlogctl.output.plan_table import render_plan_table

        terminal = output is None and stdout_is_terminal()
        width = terminal_width()
        text = render_plan_table(
            result, name, rich=terminal, color=terminal and color_enabled(), width=width
        )
    emit(text, output)


PLAN_EXAMPLES = """Examples:

$ backlogctl plan --capacity 40 --sprints 3

$ backlogctl plan --capacity 40,32,40 --strategy value --start 2026-12-07 --sprint-days 14

$ backlogctl plan --capacity 30 --pin SHOP-12 --exclude-in-progress -f json | jq .unplanned"""


def register(app: typer.Typer) -> None:
    """Add ``plan`` to ``app``."""
    app.command("plan", epilog=PLAN_EXAMPLES)(plan)
