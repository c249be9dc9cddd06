"""The ``jira`` command group: ``fields`` (ids for the mapping), ``check``, ``pull`` (snapshot),
``push`` (scores and Rank back to Jira, in ``jira_push.py``), ``mark`` (labels on the issues
with lint findings, in ``jira_mark.py``)."""

import enum
import shutil
from pathlib import Path
from typing import Annotated

import typer

from backlogctl.cli.common import (
    ConfigOpt,
    JqlOpt,
    color_enabled,
    emit,
    load_settings,
    stdout_is_terminal,
    warn,
)
from backlogctl.cli.jira_mark import MARK_EXAMPLES, mark_command
from backlogctl.cli.jira_options import EmailOpt, TimeoutOpt, UrlOpt, jql_or_config
from backlogctl.cli.jira_push import PUSH_EXAMPLES, push_command
from backlogctl.errors import InputError


class FieldsFormat(enum.StrEnum):
    """Output formats of ``jira fields``."""

    table = "table"
    json = "json"


JIRA_EXAMPLES = """Examples:

$ backlogctl jira check

$ backlogctl jira fields --search points

$ backlogctl jira pull --jql "project = SHOP" -o backlog.yaml

$ backlogctl jira push --jql "project = SHOP" -m rice --score-field Score --rank"""

jira_app = typer.Typer(
    name="jira",
    help="Jira helpers: discover field ids, check the setup, pull a snapshot, push the ranking, "
    "mark lint findings.",
    epilog=JIRA_EXAMPLES,
    no_args_is_help=True,
)


FIELDS_EXAMPLES = """Examples:

$ backlogctl jira fields --search points

$ backlogctl jira fields --format json | jq '.fields[] | select(.custom)'"""

CHECK_EXAMPLES = """Examples:

$ backlogctl jira check

$ backlogctl jira check --url https://example.atlassian.net --email po@example.com

$ backlogctl jira check --jql "project = SHOP AND statusCategory != Done" --timeout 20"""

PULL_EXAMPLES = """Examples:

$ backlogctl jira pull --jql "project = SHOP" -o backlog.yaml

$ backlogctl jira pull -o backlog.yaml --full

$ backlogctl jira pull --jql "project = SHOP" --timeout 300 > backlog.yaml"""


@jira_app.command("fields", epilog=FIELDS_EXAMPLES)
def fields_command(
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-s", help="Only fields whose name or id contains TEXT.", metavar="TEXT"
        ),
    ] = None,
    output_format: Annotated[
        FieldsFormat, typer.Option("--format", "-f", help="Output format.")
    ] = FieldsFormat.table,
    config_path: ConfigOpt = None,
    url: UrlOpt = None,
    email: EmailOpt = None,
    timeout: TimeoutOpt = None,
) -> None:
    """List the server's fields (id, name, type, custom) to write the jira.fields mapping."""
    from backlogctl.connectors.jira_ops import list_fields

    config = load_settings(config_path)
    fields = list_fields(config, search=search, url=url, email=email, timeout=timeout, warn=warn)
    from backlogctl.output.jira_fields import render_fields_json, render_fields_table

    if output_format is FieldsFormat.json:
        emit(render_fields_json(fields))
        return
    # Piped: wide enough that ids and names stay on one line for grep.
    width = shutil.get_terminal_size().columns if stdout_is_terminal() else 200
    emit(render_fields_table(fields, width=width, color=color_enabled()))


@jira_app.command("check", epilog=CHECK_EXAMPLES)
def check_command(
    jql: JqlOpt = None,
    config_path: ConfigOpt = None,
    url: UrlOpt = None,
    email: EmailOpt = None,
    timeout: TimeoutOpt = None,
) -> None:
    """Verify the URL, credentials, field mapping and JQL; say exactly what is wrong."""
    from backlogctl.connectors.jira_ops import check_jira
    from backlogctl.sanitize import visible

    config = load_settings(config_path)
    check_jira(
        config,
        jql=jql,
        url=url,
        email=email,
        timeout=timeout,
        on_step=lambda line: typer.echo(f"ok  {visible(line)}"),
        warn=warn,
    )


@jira_app.command("pull", epilog=PULL_EXAMPLES)
def pull_command(
    jql: JqlOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the YAML snapshot to FILE (default: stdout).",
            dir_okay=False,
        ),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Refetch everything (also drops issues deleted in Jira).")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Let -o replace a file that is not a snapshot from an earlier pull."
        ),
    ] = False,
    config_path: ConfigOpt = None,
    url: UrlOpt = None,
    email: EmailOpt = None,
    timeout: TimeoutOpt = None,
) -> None:
    """Pull the issues of a JQL query into a YAML backlog file usable offline and in CI.

    -o replaces a snapshot from an earlier pull; any other existing file only with --force.
    """
    from backlogctl.cli.progress import progress_bar
    from backlogctl.connectors.jira import pull_backlog
    from backlogctl.connectors.jira_ops import snapshot_yaml

    config = load_settings(config_path)
    query = jql_or_config(jql, config)
    if output is not None and not force:
        _refuse_foreign_file(output)
    result = pull_backlog(
        query,
        config,
        url=url,
        email=email,
        timeout=timeout,
        full=full,
        warn=warn,
        progress=progress_bar,
    )
    emit(snapshot_yaml(result.backlog, name=f"{result.server} {query}"), output)
    mode = "incremental" if result.incremental else "full"
    removed = f", {result.removed} removed" if result.removed else ""
    typer.echo(
        f"backlogctl: pulled {len(result.backlog.items)} issues ({mode}: {result.fetched} fetched"
        f"{removed}, {result.requests} requests, {result.seconds:.1f} s)"
        + (f" -> {output}" if output else ""),
        err=True,
    )


jira_app.command("push", epilog=PUSH_EXAMPLES)(push_command)
jira_app.command("mark", epilog=MARK_EXAMPLES)(mark_command)


def _refuse_foreign_file(path: Path) -> None:
    """``InputError`` (exit 2) when ``path`` is a non-empty regular file that no earlier pull
    wrote: replacing it would lose data the user may not have meant to give up.

    Devices, pipes and empty files are written as asked (nothing is lost).
    """
    from backlogctl.connectors.jira_ops import SNAPSHOT_MARKER, is_snapshot

    try:
        if not path.is_file() or path.stat().st_size == 0:
            return
        with path.open("rb") as handle:
            start = handle.read(len(SNAPSHOT_MARKER)).decode("utf-8", errors="replace")
    except OSError:
        return  # unreadable: writing it will report the problem
    if not is_snapshot(start):
        raise InputError(
            f"-o {path}: the file exists and is not a snapshot from an earlier 'jira pull'; "
            "pass --force to replace it"
        )


def register(app: typer.Typer) -> None:
    """Add the ``jira`` group to ``app``."""
    app.add_typer(jira_app, name="jira")
