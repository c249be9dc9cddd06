"""The ``rank`` command (order a backlog by a scoring model) and ``models`` (list models)."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backlogctl.cli.common import (
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
    note,
    stdout_is_terminal,
    terminal_width,
    warn,
)
from backlogctl.errors import EXIT_FINDINGS, InputError

if TYPE_CHECKING:
    from backlogctl.output.rank_common import RankView


class RankFormat(StrEnum):
    """Output formats of ``rank``."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class ModelsFormat(StrEnum):
    """Output formats of ``models``."""

    table = "table"
    json = "json"


_WRITE = "Writing ranks back (YAML)"


def _render(view: "RankView", format_: RankFormat, *, terminal: bool) -> str:
    # One import per format: JSON and CSV output never pay for importing Rich.
    if format_ is RankFormat.json:
        from backlogctl.output.rank_json import render_rank_json

        return render_rank_json(view)
    if format_ is RankFormat.csv:
        from backlogctl.output.rank_csv import render_rank_csv

        return render_rank_csv(view)
    if format_ is RankFormat.markdown:
        from backlogctl.output.rank_markdown import render_rank_markdown

        return render_rank_markdown(view)
    from backlogctl.output.rank_table import render_rank_table

    return render_rank_table(
        view, rich=terminal, color=terminal and color_enabled(), width=terminal_width()
    )


def rank(
    sources: SourcesArg = None,
    model: ScoringModelOpt = None,
    top: Annotated[
        int | None,
        typer.Option("--top", "-n", min=1, help="Show only the first N ranked items."),
    ] = None,
    status_category: StatusCategoryOpt = None,
    label: LabelOpt = None,
    type_: TypeOpt = None,
    assignee: AssigneeOpt = None,
    objective: ObjectiveOpt = None,
    include_done: Annotated[
        bool, typer.Option("--include-done", help="Rank done items too (left out by default).")
    ] = False,
    format_: Annotated[
        RankFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = RankFormat.table,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show each score's formula with the item's numbers.")
    ] = False,
    normalize: Annotated[
        bool,
        typer.Option(
            "--normalize",
            help="Also give scores on a 0-100 scale: score / top score × 100 (min-max scaled "
            "when a score is negative or the top score is 0; the output says which).",
        ),
    ] = False,
    show_unscored: Annotated[
        bool,
        typer.Option(
            "--show-unscored",
            help="With --top, list unscored epics one per row in table and Markdown output "
            "(default: one summary line; JSON and CSV always list every item).",
        ),
    ] = False,
    config: ConfigOpt = None,
    jql: JqlOpt = None,
    output: OutputOpt = None,
    write: Annotated[
        bool,
        typer.Option(
            "--write",
            help="Write the model's order into the YAML files' 'rank:' values (1..n, then "
            "unscored items; done items untouched). Shows a diff unless --apply.",
            rich_help_panel=_WRITE,
        ),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="With --write: exit 1 when the files' ranks differ from the model's order.",
            rich_help_panel=_WRITE,
        ),
    ] = False,
    apply: Annotated[
        bool,
        typer.Option("--apply", help="With --write: write the files.", rich_help_panel=_WRITE),
    ] = False,
) -> None:
    """Rank the backlog by a scoring model; items a model cannot score are listed with why.

    Filters: values of one option are alternatives (OR); different options must all hold (AND).
    With --write the order is written back into the YAML files' rank: values.
    """
    from backlogctl.output.rank_common import RankView
    from backlogctl.scoring.ranking import rank_items

    item_filter = build_filter(status_category, label, type_, assignee, objective)
    if write:
        conflicts = {
            "--top": top is not None,
            "filters": item_filter.selects_anything,
            "--include-done": include_done,
            "--jql": jql is not None,
            "--format": format_ is not RankFormat.table,
            "--explain": explain,
            "--normalize": normalize,
            "--show-unscored": show_unscored,
            "--check with --apply": check and apply,
            "--output with --apply (-o saves the diff)": output is not None and apply,
        }
        _refuse_with_write([name for name, given in conflicts.items() if given])
        _rank_write(sources, config, model, output, check=check, apply=apply)
        return
    for name, given in (("--check", check), ("--apply", apply)):
        if given:
            raise InputError(f"{name} goes with --write")
    settings = load_settings(config)
    scoring_model = chosen_model(model, settings)
    _, items = load_filtered(sources, settings, jql, item_filter)
    ranking = rank_items(
        items,
        scoring_model,
        include_done=include_done or item_filter.selects_done,
        explain=explain,
    ).top(top)
    view = RankView(
        ranking,
        explain=explain,
        normalize=normalize,
        summarize_epics=top is not None and not show_unscored,
    )
    normalized = view.normalized
    if normalized is not None and normalized.method == "min_max" and format_ is RankFormat.csv:
        # Tables and Markdown say it under the table, JSON in "normalization"; CSV has no room.
        warn(normalized.describe())
    terminal = output is None and stdout_is_terminal()
    emit(_render(view, format_, terminal=terminal), output)


def _refuse_with_write(conflicts: list[str]) -> None:
    if conflicts:
        raise InputError(
            f"--write always numbers the whole backlog and prints a diff: it does not go "
            f"with {', '.join(conflicts)}"
        )


def _rank_write(
    sources: list[str] | None,
    config: Path | None,
    model: str | None,
    output: Path | None,
    *,
    check: bool,
    apply: bool,
) -> None:
    from backlogctl.output.rank_write import rank_write_summary, render_rank_diff
    from backlogctl.sync.yaml_rank import apply_rank_write, plan_rank_write

    settings = load_settings(config)
    scoring_model = chosen_model(model, settings)
    plan = plan_rank_write(sources or [], settings, scoring_model, warn=warn)
    if apply:
        apply_rank_write(plan)
        note(rank_write_summary(plan, scoring_model.name, applied=True))
        return
    terminal = output is None and stdout_is_terminal()
    diff = render_rank_diff(plan, terminal=terminal, color=terminal and color_enabled())
    if output is not None:
        from backlogctl.writeback.atomic import write_text_atomic

        write_text_atomic(output, diff)  # exact, even when empty
    elif diff:
        emit(diff)
    note(rank_write_summary(plan, scoring_model.name, applied=False))
    if check and plan.changed_files:
        raise typer.Exit(EXIT_FINDINGS)


def models(
    config: ConfigOpt = None,
    format_: Annotated[
        ModelsFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = ModelsFormat.table,
) -> None:
    """List the scoring models (built-in and the config's custom ones) with formulas and scales."""
    from backlogctl.output.models_list import render_models_json, render_models_table
    from backlogctl.scoring.registry import BUILTIN_MODELS, available_models

    settings = load_settings(config)
    available = available_models(settings)
    builtin = frozenset(BUILTIN_MODELS)
    if format_ is ModelsFormat.json:
        emit(render_models_json(available, builtin))
        return
    terminal = stdout_is_terminal()
    text = render_models_table(
        available,
        builtin,
        rich=terminal,
        color=terminal and color_enabled(),
        width=terminal_width(),
    )
    emit(text)


RANK_EXAMPLES = """Examples:

$ backlogctl rank --top 10 --model wsjf --normalize

$ backlogctl rank backlog/ --explain --label mobile --status-category todo

$ backlogctl rank backlog/ --model wsjf --write --apply"""

MODELS_EXAMPLES = """Examples:

$ backlogctl models

$ backlogctl models --config examples/shop/backlogctl.yaml --format json | jq '.models[].name'"""


def register(app: typer.Typer) -> None:
    """Add ``rank`` and ``models`` to ``app``."""
    app.command("rank", epilog=RANK_EXAMPLES)(rank)
    app.command("models", epilog=MODELS_EXAMPLES)(models)
