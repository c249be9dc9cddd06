"""The ``compare`` command (how scoring models disagree) and ``explain`` (why an item ranks so)."""

from enum import StrEnum
from typing import Annotated

import typer

from backlogctl.cli.common import (
    AsOfOpt,
    ConfigOpt,
    JqlOpt,
    OutputOpt,
    SourcesArg,
    chosen_model,
    color_enabled,
    emit,
    load_items,
    load_settings,
    parse_as_of,
    stdout_is_terminal,
    terminal_width,
)
from backlogctl.cli.completion import complete_item_key, complete_model, complete_model_list
from backlogctl.errors import InputError


class CompareFormat(StrEnum):
    """Output formats of ``compare``."""

    table = "table"
    json = "json"
    markdown = "markdown"


class ExplainFormat(StrEnum):
    """Output formats of ``explain``."""

    text = "text"
    json = "json"


COMPARE_EXAMPLES = """Examples:

$ backlogctl compare --models rice,wsjf,current

$ backlogctl compare --models rice,wsjf --top 20 --stability --format markdown > compare.md

$ backlogctl compare --models rice,ice --format json | jq '.correlation'"""

EXPLAIN_EXAMPLES = """Examples:

$ backlogctl explain SHOP-289

$ backlogctl explain SHOP-289 --model wsjf --top 5

$ backlogctl explain SHOP-289 --format json | jq '.what_if[0].summary'"""


def compare(
    sources: SourcesArg = None,
    *,
    models: Annotated[
        str,
        typer.Option(
            "--models",
            "-m",
            help="Comma-separated models to compare, e.g. rice,wsjf,ice,current "
            "('current' is the stored manual rank; see 'backlogctl models').",
            show_default=False,
            autocompletion=complete_model_list,
        ),
    ],
    top: Annotated[
        int,
        typer.Option("--top", "-n", min=1, help="Size of the top N that is compared."),
    ] = 10,
    format_: Annotated[
        CompareFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = CompareFormat.table,
    stability: Annotated[
        bool,
        typer.Option(
            "--stability",
            help="Also perturb the inputs within their uncertainty and report how often each "
            "top-N item stays in the top N.",
        ),
    ] = False,
    trials: Annotated[
        int | None,
        typer.Option(
            "--trials",
            min=1,
            help="Stability trials (with --stability; default 200).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="Random seed of the stability trials (default 0).", show_default=False
        ),
    ] = None,
    show_unscored: Annotated[
        bool,
        typer.Option(
            "--show-unscored",
            help="List unscored epics one per row in table and Markdown output (default: one "
            "summary line per model; JSON always lists every item).",
        ),
    ] = False,
    config: ConfigOpt = None,
    jql: JqlOpt = None,
    output: OutputOpt = None,
) -> None:
    """Compare how scoring models rank the backlog: correlation, top-N overlap, movers.

    Each pair of models gets a plain reading of how far they agree (from Kendall's tau-b).
    """
    from backlogctl.scoring.compare import compare_models, parse_model_names, resolve_models
    from backlogctl.scoring.stability import rank_stability

    if not stability and (trials is not None or seed is not None):
        raise InputError("--trials and --seed only apply with --stability")
    settings = load_settings(config)
    scoring = resolve_models(parse_model_names(models), settings)
    backlog = load_items(sources, settings, jql)
    comparison = compare_models(backlog.items, scoring, top=top)
    if stability:
        comparison.stability = rank_stability(
            backlog.items,
            scoring,
            top=top,
            trials=200 if trials is None else trials,
            seed=0 if seed is None else seed,
        )
    if format_ is CompareFormat.json:
        from backlogctl.output.compare_json import render_compare_json

        text = render_compare_json(comparison)
    elif format_ is CompareFormat.markdown:
        from backlogctl.output.compare_markdown import render_compare_markdown

        text = render_compare_markdown(comparison, summarize_epics=not show_unscored)
    else:
        from backlogctl.output.compare_table import render_compare_table

        terminal = output is None and stdout_is_terminal()
        text = render_compare_table(
            comparison,
            rich=terminal,
            color=terminal and color_enabled(),
            width=terminal_width(),
            summarize_epics=not show_unscored,
        )
    emit(text, output)


def explain(
    key: Annotated[
        str,
        typer.Argument(
            help="The item to explain, e.g. SHOP-142.",
            autocompletion=complete_item_key,
        ),
    ],
    sources: SourcesArg = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            help="Model for neighbours and what-ifs. Default: config's.",
            autocompletion=complete_model,
        ),
    ] = None,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            "-n",
            min=1,
            help="What-if target: the smallest single-input change that moves the item into "
            "the top N.",
        ),
    ] = 10,
    format_: Annotated[
        ExplainFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = ExplainFormat.text,
    as_of: AsOfOpt = None,
    config: ConfigOpt = None,
    jql: JqlOpt = None,
    output: OutputOpt = None,
) -> None:
    """Explain an item's scores and rank under every model, and what would move it up."""
    from backlogctl.explain import explain_item, find_item, item_findings
    from backlogctl.scoring.registry import available_models

    settings = load_settings(config)
    focus = chosen_model(model, settings)
    moment = parse_as_of(as_of)
    backlog = load_items(sources, settings, jql)
    find_item(backlog.items, key)
    explanation = explain_item(
        backlog.items,
        key,
        available_models(settings),
        model=focus.name,
        top=top,
        findings=item_findings(backlog, settings, key, as_of=moment),
    )
    if format_ is ExplainFormat.json:
        from backlogctl.output.explain_json import render_explain_json

        emit(render_explain_json(explanation), output)
    else:
        from backlogctl.output.explain_text import render_explain_text

        terminal = output is None and stdout_is_terminal()
        width = terminal_width() if terminal else None
        emit(render_explain_text(explanation, width=width), output)


def register(app: typer.Typer) -> None:
    """Add ``compare`` and ``explain`` to ``app``."""
    app.command("compare", epilog=COMPARE_EXAMPLES)(compare)
    app.command("explain", epilog=EXPLAIN_EXAMPLES)(explain)
