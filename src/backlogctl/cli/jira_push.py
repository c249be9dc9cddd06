"""``backlogctl jira push``: write a model's scores and order back to Jira (dry run first)."""

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from backlogctl.cli.common import (
    ConfigOpt,
    JqlOpt,
    ScoringModelOpt,
    chosen_model,
    color_enabled,
    emit,
    load_settings,
    note,
    stdout_is_terminal,
    summarize,
    terminal_width,
    warn,
)
from backlogctl.cli.jira_options import (
    EmailOpt,
    PlanOutOpt,
    TimeoutOpt,
    UrlOpt,
    jql_or_config,
    refuse_beside_saved_plan,
    warn_over_bound,
)
from backlogctl.errors import InputError

if TYPE_CHECKING:
    from backlogctl.config import Config
    from backlogctl.sync.jira_apply import ApplyReport
    from backlogctl.sync.jira_run import Connection


class PushFormat(enum.StrEnum):
    """Output formats of ``jira push``."""

    table = "table"
    json = "json"


PUSH_EXAMPLES = """Examples:

$ backlogctl jira push --jql "project = SHOP" -m rice --score-field "RICE score"

$ backlogctl jira push --jql "project = SHOP" -m wsjf --rank --apply

$ backlogctl jira push --jql "project = SHOP" -m rice --rank --plan-out plan.json

$ backlogctl jira push --apply-plan plan.json --apply --no-notify"""


def push_command(
    jql: JqlOpt = None,
    model: ScoringModelOpt = None,
    score_field: Annotated[
        str | None,
        typer.Option(
            "--score-field",
            metavar="NAME|ID",
            help="Numeric field to write each score to (default: jira.push.score_field).",
        ),
    ] = None,
    rank: Annotated[
        bool, typer.Option("--rank", help="Reorder the scored issues in Jira's Rank (global).")
    ] = False,
    apply: Annotated[bool, typer.Option("--apply", help="Write (default: dry run).")] = False,
    no_notify: Annotated[
        bool,
        typer.Option("--no-notify", help="Send no notification emails (needs admin rights)."),
    ] = False,
    max_operations: Annotated[
        int | None,
        typer.Option(
            "--max-operations",
            min=1,
            help="Refuse a plan of more write requests (default: jira.push.max_operations, 500).",
        ),
    ] = None,
    plan_out: PlanOutOpt = None,
    apply_plan: Annotated[
        Path | None,
        typer.Option(
            "--apply-plan",
            help="Use the plan saved in FILE as it is (written with --apply; "
            "what changed since it was made is skipped).",
            dir_okay=False,
        ),
    ] = None,
    output_format: Annotated[
        PushFormat, typer.Option("--format", "-f", help="Output format.")
    ] = PushFormat.table,
    config_path: ConfigOpt = None,
    url: UrlOpt = None,
    email: EmailOpt = None,
    timeout: TimeoutOpt = None,
) -> None:
    """Write each issue's score into a number field and/or reorder Jira's Rank by a model.

    A dry run by default: shows what would change (key, title, old and new score and
    position) and writes nothing. Only differing values are written, so a second run writes
    nothing. Rank is global: every board showing the issues sees the new order.
    Exit 3 when some writes failed (each is listed; the others are done).
    """
    from backlogctl.sync.jira_run import Connection

    config = load_settings(config_path)
    bound = max_operations or config.jira.push.max_operations
    connection = Connection(url=url, email=email, timeout=timeout)
    if plan_out is not None and apply_plan is not None:
        raise InputError("--plan-out and --apply-plan cannot be used together")
    if apply_plan is not None:
        refuse_beside_saved_plan(
            (("--jql", jql), ("--model", model), ("--score-field", score_field), ("--rank", rank))
        )
        _apply_saved(config, apply_plan, bound, connection, apply, not no_notify, output_format)
        return
    query = jql_or_config(jql, config)
    field = score_field or config.jira.push.score_field
    if not field and not rank:
        raise InputError(
            "nothing to push: pass --score-field NAME (or set jira.push.score_field) and/or --rank"
        )
    options = _PushOptions(model, field, rank, bound, output_format, plan_out, apply, not no_notify)
    _push(config, query, options, connection)


class _PushOptions(NamedTuple):
    model: str | None
    field: str | None
    rank: bool
    bound: int
    output_format: PushFormat
    plan_out: Path | None
    apply: bool
    notify: bool


def _push(config: "Config", query: str, options: _PushOptions, connection: "Connection") -> None:
    from backlogctl.cli.progress import progress_bar
    from backlogctl.output.jira_plan import render_push_json, render_push_table, summary
    from backlogctl.sync.jira_apply import apply_plan
    from backlogctl.sync.jira_plan import check_bound, save_plan
    from backlogctl.sync.jira_run import prepare_push

    model, field, rank, bound, output_format, plan_out, apply, notify = options
    scoring_model = chosen_model(model, config)
    prepared = prepare_push(
        config,
        query,
        scoring_model,
        score_field=field,
        rank=rank,
        connection=connection,
        warn=warn,
        progress=progress_bar,
        apply=apply,
    )
    push = prepared.push
    if plan_out is not None:
        save_plan(push.plan, plan_out)
        note(f"plan saved to {plan_out} ({push.plan.count} operations)")
    if push.plan.count > bound:
        if apply:
            check_bound(push.plan, bound)
        warn_over_bound(push.plan.count, bound)
    report = None
    if apply and push.plan.count:
        prepared.client.restart_budget()
        report = apply_plan(
            prepared.client,
            push.plan,
            notify=notify,
            concurrency=config.jira.concurrency,
            rank_field=prepared.rank_field,
        )
    if output_format is PushFormat.json:
        emit(render_push_json(push, report))
    else:
        rich = stdout_is_terminal()
        width = terminal_width() if rich else 120
        emit(render_push_table(push, rich=rich, color=color_enabled(), width=width))
    # On stderr, as the apply report, so that stdout is only the table or the JSON document.
    summarize(summary(push, bound))
    _finish(report, apply, push.plan.count)


def _apply_saved(
    config: "Config",
    path: Path,
    bound: int,
    connection: "Connection",
    apply: bool,
    notify: bool,
    output_format: PushFormat,
) -> None:
    from backlogctl.output.jira_plan import check_lines, render_applied_json
    from backlogctl.sync.jira_apply import apply_plan
    from backlogctl.sync.jira_plan import check_bound, load_plan, plan_document
    from backlogctl.sync.jira_run import check_saved_plan, open_writer

    plan = load_plan(path)
    if apply:
        check_bound(plan, bound)
    elif plan.count > bound:
        warn_over_bound(plan.count, bound)
    client = open_writer(config, connection, warn)
    skips, rank_field = check_saved_plan(client, plan)
    if not apply:
        if output_format is PushFormat.json:
            skipped = [{"index": index, "reason": reason} for index, reason in skips.items()]
            emit(render_applied_json(None, {**plan_document(plan), "skips": skipped}))
        else:
            lines = check_lines(plan, skips)
            emit("\n".join(lines) + "\n" if lines else "")
        note(f"{plan.count - len(skips)} of {plan.count} operations would be written")
        _finish(None, apply, plan.count - len(skips))
        return
    client.restart_budget()
    report = apply_plan(
        client,
        plan,
        notify=notify,
        concurrency=config.jira.concurrency,
        rank_field=rank_field,
        skips=skips,
    )
    if output_format is PushFormat.json:
        emit(render_applied_json(report, plan_document(plan)))
    _finish(report, apply, plan.count)


def _finish(report: "ApplyReport | None", apply: bool, count: int) -> None:
    """The closing lines on stderr; exit 3 when a write failed or was held back."""
    from backlogctl.output.jira_plan import report_lines

    if report is None:
        if not apply and count:
            summarize(["note: dry run: nothing was written; add --apply to write"])
        elif count == 0:
            summarize(["note: nothing to write: Jira already matches"])
        return
    summarize(report_lines(report))
    for problem in report.warnings:
        warn(problem)
    if not report.complete:
        raise typer.Exit(3)
