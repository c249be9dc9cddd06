"""The ``snapshot`` command (store the ranking and findings in the history file) and ``diff``
(what changed since a snapshot: a refinement meeting's agenda)."""

import datetime as dt
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
    color_enabled,
    emit,
    load_items,
    load_settings,
    parse_as_of,
    stdout_is_terminal,
    terminal_width,
)
from backlogctl.cli.completion import complete_model
from backlogctl.errors import InputError

if TYPE_CHECKING:
    from backlogctl.config import Config
    from backlogctl.history.diff import Endpoint, HistoryDiff
    from backlogctl.history.state import BacklogState


class ListFormat(StrEnum):
    """Output formats of ``snapshot``."""

    table = "table"
    json = "json"


class DiffFormat(StrEnum):
    """Output formats of ``diff``."""

    table = "table"
    json = "json"
    markdown = "markdown"


HistoryOpt = Annotated[
    Path | None,
    typer.Option(
        "--history",
        help="The history file (default: the config's history.path, else "
        ".backlogctl/history.sqlite next to the config; required without a config).",
        dir_okay=False,
        metavar="PATH",
    ),
]


def _described_sources(sources: list[str] | None, jql: str | None, settings: "Config") -> str:
    """Where the snapshot's items came from, in words (kept with the snapshot)."""
    if jql:
        return f"jql: {jql}"
    if sources:
        return ", ".join(sources)
    if settings.sources:
        return ", ".join(settings.sources)
    return f"jql: {settings.jira.jql}" if settings.jira.jql else ""


def _model_names(values: list[str] | None, settings: "Config") -> list[str]:
    """Models from repeated and comma-separated ``--model`` values, default the config's."""
    names = [name.strip() for value in values or () for name in value.split(",") if name.strip()]
    return list(dict.fromkeys(names)) or [settings.default_model]


def snapshot(
    sources: SourcesArg = None,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            "-m",
            help="Record the ranking under this model (repeatable or comma-separated). "
            "Default: the config's default model.",
            autocompletion=complete_model,
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="A note kept with the snapshot (e.g. 'sprint 12').")
    ] = None,
    as_of: AsOfOpt = None,
    history: HistoryOpt = None,
    list_: Annotated[
        bool,
        typer.Option("--list", help="List the stored snapshots (id, time, note, items) instead."),
    ] = False,
    format_: Annotated[
        ListFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = ListFormat.table,
    config: ConfigOpt = None,
    jql: JqlOpt = None,
) -> None:
    """Store the backlog's ranking under each chosen model and its lint findings in the
    history file, for 'backlogctl diff' and the report to compare against.

    Each snapshot is one transaction: an interrupted or concurrent snapshot never damages
    earlier ones (a second one waits for the first). --as-of sets the snapshot's date (end
    of that day, UTC) and the day lint evaluates dates against.
    """
    from backlogctl.history.location import history_path
    from backlogctl.history.store import open_history

    settings = load_settings(config)
    path = history_path(settings, history)
    if list_:
        given = [
            name
            for name, value in (
                ("SOURCE", sources),
                ("--model", model),
                ("--note", note),
                ("--as-of", as_of),
                ("--jql", jql),
            )
            if value
        ]
        if given:
            raise InputError(f"--list takes no {', '.join(given)}: it only lists snapshots")
        _list_snapshots(path, format_)
        return
    from backlogctl.history.state import capture
    from backlogctl.output.history_list import render_snapshot_taken
    from backlogctl.scoring.registry import get_model

    models = [get_model(name, settings) for name in _model_names(model, settings)]
    taken = parse_as_of(as_of)
    backlog = load_items(sources, settings, jql)
    state = capture(backlog, settings, models, as_of=taken)
    with open_history(path, create=True) as store:
        info = store.add(
            state,
            taken=taken,
            note=note or "",
            sources=_described_sources(sources, jql, settings),
        )
    emit(render_snapshot_taken(info, str(path), json=format_ is ListFormat.json))


def _list_snapshots(path: Path, format_: ListFormat) -> None:
    from backlogctl.history.store import open_history
    from backlogctl.output.history_list import (
        render_snapshot_list_json,
        render_snapshot_list_table,
    )

    with open_history(path) as store:
        snapshots = store.snapshots()
    if format_ is ListFormat.json:
        emit(render_snapshot_list_json(snapshots, str(path)))
        return
    terminal = stdout_is_terminal()
    emit(
        render_snapshot_list_table(
            snapshots,
            str(path),
            rich=terminal,
            color=terminal and color_enabled(),
            width=terminal_width(),
        )
    )


def diff(
    sources: SourcesArg = None,
    since: Annotated[
        str,
        typer.Option(
            "--since",
            help="The snapshot to compare from: its id, 'last', or a date (YYYY-MM-DD: the "
            "last snapshot taken on or before that day, UTC).",
            metavar="ID|DATE|last",
        ),
    ] = "last",
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="Compare with this snapshot instead of the current backlog.",
            metavar="ID",
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            help="Compare rankings under this model (it must be in the snapshot). "
            "Default: the config's default model.",
            autocompletion=complete_model,
        ),
    ] = None,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            "-n",
            min=1,
            help="Show at most N rows per section in table and Markdown output (moves "
            "largest first); JSON lists everything.",
        ),
    ] = 20,
    format_: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = DiffFormat.table,
    as_of: AsOfOpt = None,
    history: HistoryOpt = None,
    config: ConfigOpt = None,
    jql: JqlOpt = None,
    output: OutputOpt = None,
) -> None:
    """Show what changed since a snapshot: items added, removed and done; rank moves, largest
    first, with the changes of each item's own inputs that explain them; items that became
    scorable or unscorable; new and fixed lint findings."""
    from backlogctl.history.diff import Endpoint, diff_states
    from backlogctl.history.location import history_path
    from backlogctl.history.store import open_history

    settings = load_settings(config)
    path = history_path(settings, history)
    if to is not None and (sources or jql):
        raise InputError("--to compares two snapshots: leave out SOURCE and --jql")
    name = model or settings.default_model
    with open_history(path) as store:
        start = store.resolve_under(since, name)
        end = None if to is None else store.resolve_under(to, name)
        if end is None:
            # The current state first: the snapshot's objects, read after it, are not yet
            # there for the garbage collector to walk while the backlog loads and lints.
            new_state, target = _current(sources, jql, settings, name, as_of)
        else:
            new_state = store.load(end, models=[name]).state
            target = Endpoint(end.id, end.taken, end.note)
        old = store.load(start, models=[name])
    source = Endpoint(old.info.id, old.info.taken, old.info.note)
    result = diff_states(old.state, new_state, name, source=source, target=target)
    terminal = output is None and stdout_is_terminal()
    emit(_render(result, format_, top, terminal=terminal), output)


def _current(
    sources: list[str] | None, jql: str | None, settings: "Config", name: str, as_of: str | None
) -> tuple["BacklogState", "Endpoint"]:
    """The current backlog's state under model ``name``, and its side of the diff."""
    from backlogctl.history.diff import Endpoint
    from backlogctl.history.state import capture
    from backlogctl.scoring.registry import get_model

    scoring_model = get_model(name, settings)
    now = parse_as_of(as_of) if as_of else dt.datetime.now(dt.UTC).replace(microsecond=0)
    backlog = load_items(sources, settings, jql)
    return capture(backlog, settings, [scoring_model], as_of=now), Endpoint(None, now)


def _render(result: "HistoryDiff", format_: DiffFormat, top: int, *, terminal: bool) -> str:
    if format_ is DiffFormat.json:
        from backlogctl.output.diff_json import render_diff_json

        return render_diff_json(result)
    if format_ is DiffFormat.markdown:
        from backlogctl.output.diff_markdown import render_diff_markdown

        return render_diff_markdown(result, limit=top)
    from backlogctl.output.diff_table import render_diff_table

    return render_diff_table(
        result,
        limit=top,
        rich=terminal,
        color=terminal and color_enabled(),
        width=terminal_width(),
    )


SNAPSHOT_EXAMPLES = """Examples:

$ backlogctl snapshot --note "sprint 12 refinement"

$ backlogctl snapshot backlog/ --model rice,wsjf --history history.sqlite

$ backlogctl snapshot --list --format json | jq '.snapshots[-1]'"""

DIFF_EXAMPLES = """Examples:

$ backlogctl diff

$ backlogctl diff --since 2026-11-01 --model wsjf --format markdown -o agenda.md

$ backlogctl diff --since 3 --to 5 --format json | jq '.moves[:5]'"""


def register(app: typer.Typer) -> None:
    """Add ``snapshot`` and ``diff`` to ``app``."""
    app.command("snapshot", epilog=SNAPSHOT_EXAMPLES)(snapshot)
    app.command("diff", epilog=DIFF_EXAMPLES)(diff)
