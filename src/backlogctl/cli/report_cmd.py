"""The ``report`` command: the state of the backlog as an HTML page or Markdown for a wiki."""

import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backlogctl.cli.common import (
    AsOfOpt,
    ConfigOpt,
    JqlOpt,
    OutputOpt,
    SourcesArg,
    chosen_model,
    emit,
    load_items,
    load_settings,
    note,
    parse_as_of,
    stdout_is_terminal,
)
from backlogctl.cli.completion import complete_model

if TYPE_CHECKING:
    import datetime as dt

    from backlogctl.config import Config
    from backlogctl.history.store import Snapshot
    from backlogctl.report.model import Report


class ReportFormat(StrEnum):
    """Output formats of ``report``."""

    html = "html"
    markdown = "markdown"


def _source_names(sources: list[str] | None, settings: "Config", jql: str | None) -> list[str]:
    """What the report names as its source: the arguments, the JQL, or the config's sources."""
    names = list(sources or [])
    if jql is not None:
        names.append(f"Jira: {jql}")
    if names:
        return names
    if settings.sources:
        return [settings.resolve_source(source) for source in settings.sources]
    return [f"Jira: {settings.jira.jql}"] if settings.jira.jql else []


def _snapshots(
    settings: "Config", history: Path | None, model: str, as_of: "dt.datetime"
) -> "list[Snapshot] | None":
    """The snapshots the report compares with; None without a history file to read.

    Without ``--history``, the config's history file is read when it exists; a ``--history``
    file that does not exist is an error (exit 2).
    """
    from backlogctl.history.store import history_path
    from backlogctl.report.history_section import load_snapshot

    if history is None:
        if settings.path is None:
            return None
        history = history_path(settings)
        if not history.is_file():
            return None
    return load_snapshot(history, model, as_of)


def report(
    sources: SourcesArg = None,
    output: OutputOpt = None,
    format_: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="html: one self-contained page; markdown: for a wiki or an issue (Mermaid "
            "charts). Default: from the -o file's extension (.md: markdown), else html.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            help="Scoring model of the ranking and the matrix. Default: config's.",
            autocompletion=complete_model,
        ),
    ] = None,
    top: Annotated[
        int,
        typer.Option("--top", "-n", min=1, max=1000, help="How many ranked items to list."),
    ] = 10,
    as_of: AsOfOpt = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Replace titles by keys and assignees and stakeholders by placeholders "
            "(Person 1, Stakeholder 1), for a report that leaves the team.",
        ),
    ] = False,
    history: Annotated[
        Path | None,
        typer.Option(
            "--history",
            help="History file of 'backlogctl snapshot' for the 'since the last snapshot' "
            "section. Default: the config's (.backlogctl/history.sqlite next to it), when it "
            "exists.",
            dir_okay=False,
        ),
    ] = None,
    config: ConfigOpt = None,
    jql: JqlOpt = None,
) -> None:
    """Write a report of the backlog: headline numbers, the top items, a value/effort matrix,
    backlog health, how the models agree.

    HTML loads nothing from the network: styles and charts are inline.

    Markdown renders on GitHub and in wikis that draw Mermaid charts.
    """
    from backlogctl.report.build import build_report

    settings = load_settings(config)
    chosen = format_ or _format_of(output)
    when = parse_as_of(as_of)
    model_name = chosen_model(model, settings).name
    backlog = load_items(sources, settings, jql)
    result = build_report(
        backlog,
        settings,
        model=model_name,
        snapshots=_snapshots(settings, history, model_name, when),
        as_of=when,
        sources=_source_names(sources, settings, jql),
        top=top,
        redact=redact,
    )
    text = _render(result, chosen)
    if chosen is ReportFormat.html and output is None and stdout_is_terminal():
        note("writing HTML to the terminal; use -o report.html to write a file")
    emit(text, output)
    if output is not None:
        note(f"wrote {chosen.value} report to {os.fspath(output)}")


def _render(result: "Report", chosen: ReportFormat) -> str:
    """The report as text in the chosen format."""
    if chosen is ReportFormat.markdown:
        from backlogctl.output.report_markdown import render_report_markdown

        return render_report_markdown(result)
    from backlogctl.output.report_html import render_report_html

    return render_report_html(result)


def _format_of(output: Path | None) -> ReportFormat:
    if output is not None and output.suffix.lower() in (".md", ".markdown"):
        return ReportFormat.markdown
    return ReportFormat.html


REPORT_EXAMPLES = """Examples:

$ backlogctl report -o report.html

$ backlogctl report --format markdown --top 20 > REPORT.md

$ backlogctl report --model wsjf --as-of 2026-11-25 --redact -o board.html"""


def register(app: typer.Typer) -> None:
    """Add ``report`` to ``app``."""
    app.command("report", epilog=REPORT_EXAMPLES)(report)
