"""``backlogctl jira mark``: label the issues with selected lint findings (sync/jira_mark)."""

import enum
from pathlib import Path
from typing import Annotated

import typer

from backlogctl.cli.common import (
    AsOfOpt,
    ConfigOpt,
    JqlOpt,
    color_enabled,
    emit,
    load_settings,
    parse_as_of,
    stdout_is_terminal,
    summarize,
    terminal_width,
    warn,
)
from backlogctl.cli.completion import complete_rule_codes
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


class MarkFormat(enum.StrEnum):
    """Output formats of ``jira mark``."""

    table = "table"
    json = "json"


MARK_EXAMPLES = """Examples:

$ backlogctl jira mark --jql "project = SHOP AND statusCategory != Done" --select S001,S002

$ backlogctl jira mark --select S001 --comment "No activity for 90 days: still needed?" --apply

$ backlogctl jira mark --apply-plan reviewed-plan.json --apply"""


def mark_command(
    jql: JqlOpt = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Rule codes or prefixes whose findings flag an issue (comma-separated or "
            "repeated; default: jira.mark.select).",
            metavar="CODES",
            autocompletion=complete_rule_codes,
        ),
    ] = None,
    label: Annotated[
        str | None,
        typer.Option(
            "--label",
            help="The label to add and remove (default: jira.mark.label, backlogctl-flagged).",
            metavar="NAME",
        ),
    ] = None,
    comment: Annotated[
        str | None,
        typer.Option(
            "--comment",
            help="Post this comment once, when the label is added (default: jira.mark.comment).",
            metavar="TEXT",
        ),
    ] = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Write the plan (default: dry run).")
    ] = False,
    max_operations: Annotated[
        int | None,
        typer.Option(
            "--max-operations",
            min=1,
            help="Refuse a plan of more writes than N, before any (default: "
            "jira.mark.max_operations, 500).",
            metavar="N",
        ),
    ] = None,
    plan_out: PlanOutOpt = None,
    apply_plan: Annotated[
        Path | None,
        typer.Option(
            "--apply-plan",
            help="A saved plan, exactly: with --apply write it, skipping issues changed since "
            "(without, list what would be written and skipped).",
            dir_okay=False,
        ),
    ] = None,
    output_format: Annotated[
        MarkFormat, typer.Option("--format", "-f", help="Output format.")
    ] = MarkFormat.table,
    as_of: AsOfOpt = None,
    config_path: ConfigOpt = None,
    url: UrlOpt = None,
    email: EmailOpt = None,
    timeout: TimeoutOpt = None,
) -> None:
    """Label the issues with selected lint findings in Jira, and unlabel those without.

    Dry run by default: shows the plan. Issues that carry the label but left the query lose
    it too; issues with a lint.exempt_labels label are never flagged. backlogctl's own
    writes do not count as activity for the S rules.
    """
    from backlogctl.lint.plan import check_codes
    from backlogctl.sync.jira_mark import MarkOptions, run_mark

    config = load_settings(config_path)
    settings = config.jira.mark
    bound = max_operations or settings.max_operations
    options = None
    if apply_plan is not None:
        refuse_beside_saved_plan(
            (
                ("--select", select),
                ("--label", label),
                ("--comment", comment),
                ("--plan-out", plan_out),
                ("--jql", jql),
            )
        )
    else:
        query = jql_or_config(jql, config)
        codes = tuple(
            code.strip().upper()
            for value in select or ()
            for code in value.split(",")
            if code.strip()
        ) or check_codes(settings.select, what="jira.mark.select", config=config)
        if not codes:
            raise InputError("no rules selected: pass --select CODES or set jira.mark.select")
        name = (label or settings.label).strip()
        if not name or len(name) > 255 or any(character.isspace() for character in name):
            raise InputError(
                f"--label: {name!r} is not a Jira label (one word, no spaces, 255 characters)"
            )
        options = MarkOptions(
            jql=query,
            select=codes,
            label=name,
            comment=comment if comment is not None else settings.comment,
            as_of=parse_as_of(as_of) if as_of else None,
        )
    run = run_mark(
        config,
        options,
        apply=apply,
        max_operations=bound,
        plan_file=apply_plan,
        plan_out=plan_out,
        url=url,
        email=email,
        timeout=timeout,
        warn=warn,
    )
    if run.applied is None and run.mark.plan.count > bound:
        warn_over_bound(run.mark.plan.count, bound)
    from backlogctl.output.jira_mark import (
        render_mark_json,
        render_mark_table,
        render_mark_text,
        summary,
    )

    if output_format is MarkFormat.json:
        emit(render_mark_json(run))
    elif stdout_is_terminal():
        emit(render_mark_table(run, width=terminal_width(), color=color_enabled()))
    else:
        emit(render_mark_text(run))
    # On stderr, as jira push's, so that stdout is only the table or the JSON document.
    summarize(summary(run))
    if run.failed:
        raise typer.Exit(3)
