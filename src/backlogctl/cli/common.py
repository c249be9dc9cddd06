"""Options and helpers shared by the commands (sources, config, --as-of, output)."""

import datetime as dt
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backlogctl.cli.completion import (
    complete_assignee,
    complete_label,
    complete_model,
    complete_objective,
    complete_type,
)
from backlogctl.errors import InputError
from backlogctl.sanitize import visible

if TYPE_CHECKING:
    # Imported where used: `--help` and `--version` must not pay for pydantic (test_imports).
    from collections.abc import Iterable

    from backlogctl.config import Config
    from backlogctl.filters import ItemFilter
    from backlogctl.models import Backlog, BacklogItem
    from backlogctl.scoring.base import ScoringModel

SourcesArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="YAML backlog files or directories, or '-' for stdin. Default: the config's sources.",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="Config file (default: nearest backlogctl.yaml).", dir_okay=False
    ),
]
JqlOpt = Annotated[
    str | None,
    typer.Option("--jql", help="Read items from Jira with this JQL query (server from config)."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Evaluate dates as of this day (YYYY-MM-DD). Default: today.",
        metavar="DATE",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write the result to FILE instead of stdout.", dir_okay=False
    ),
]


class StatusCategoryChoice(StrEnum):
    """Choices of ``--status-category`` (listed by --help)."""

    todo = "todo"
    in_progress = "in_progress"
    done = "done"


_FILTERS = "Filters (repeatable, case-insensitive)"
StatusCategoryOpt = Annotated[
    list[StatusCategoryChoice] | None,
    typer.Option(
        "--status-category",
        help="Only items in this status category.",
        case_sensitive=False,
        rich_help_panel=_FILTERS,
        show_default=False,
    ),
]
LabelOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--label",
        help="Only items with this label.",
        rich_help_panel=_FILTERS,
        show_default=False,
        autocompletion=complete_label,
    ),
]
TypeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--type",
        help="Only items of this type (story, bug, ...).",
        rich_help_panel=_FILTERS,
        show_default=False,
        autocompletion=complete_type,
    ),
]
AssigneeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--assignee",
        help="Only items assigned to this person.",
        rich_help_panel=_FILTERS,
        show_default=False,
        autocompletion=complete_assignee,
    ),
]
ObjectiveOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--objective",
        help="Only items serving this objective or its key results (e.g. O1, KR-2.1).",
        rich_help_panel=_FILTERS,
        show_default=False,
        autocompletion=complete_objective,
    ),
]

ScoringModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="Scoring model (see 'backlogctl models'). Default: config's.",
        autocompletion=complete_model,
    ),
]


def build_filter(
    status_category: list[StatusCategoryChoice] | None,
    label: list[str] | None,
    type_: list[str] | None,
    assignee: list[str] | None,
    objective: list[str] | None,
) -> "ItemFilter":
    """The ``ItemFilter`` for the shared filter options."""
    from backlogctl.filters import ItemFilter

    return ItemFilter(
        status_categories=[choice.value for choice in status_category or ()],
        labels=label,
        types=type_,
        assignees=assignee,
        objectives=objective,
    )


def load_settings(config_path: Path | None) -> "Config":
    """The config from ``--config``, or discovered, or the defaults."""
    from backlogctl.config import load_config

    return load_config(config_path)


def load_items(
    sources: list[str] | None, config: "Config", jql: str | None = None, *, progress: bool = True
) -> "Backlog":
    """Load the backlog; warnings go to stderr as one line each."""
    from backlogctl.cli.progress import progress_bar
    from backlogctl.loader import load_backlog

    return load_backlog(
        sources or [], config, jql=jql, warn=warn, progress=progress_bar if progress else None
    )


def chosen_model(name: str | None, config: "Config") -> "ScoringModel":
    """The model ``--model`` names, else the config's default; exit 2 naming the choices."""
    from backlogctl.scoring.registry import get_model

    return get_model(name or config.default_model, config)


def load_filtered(
    sources: list[str] | None, config: "Config", jql: str | None, item_filter: "ItemFilter"
) -> "tuple[Backlog, list[BacklogItem]]":
    """The loaded backlog and its items that pass ``item_filter`` (see ``filter_items``)."""
    backlog = load_items(sources, config, jql)
    return backlog, filter_items(item_filter, backlog, config)


def warn(message: str) -> None:
    """Print a one-line warning on stderr (control characters in values shown escaped)."""
    typer.echo(f"backlogctl: warning: {visible(message)}", err=True)


def note(message: str) -> None:
    """Print a one-line note on stderr (control characters in values shown escaped)."""
    typer.echo(f"backlogctl: note: {visible(message)}", err=True)


def summarize(lines: "Iterable[str]") -> None:
    """Print a command's summary lines (already escaped) on stderr, ``backlogctl: `` first,
    so that stdout stays the table or JSON document. On a terminal each wraps to its width;
    piped, each stays one stable line."""
    width = 0
    if sys.stderr.isatty():
        import shutil

        width = shutil.get_terminal_size().columns
    for line in lines:
        text = f"backlogctl: {line}"
        if width and len(text) > width:
            import textwrap

            text = "\n".join(textwrap.wrap(text, width, subsequent_indent="  "))
        typer.echo(text, err=True)


def filter_items(
    item_filter: "ItemFilter", backlog: "Backlog", config: "Config"
) -> "list[BacklogItem]":
    """The backlog's items that pass ``item_filter``; a value no item has is noted on stderr.

    Objectives declared in the backlog or the config cover their key results.
    """
    objectives = [*config.objectives, *backlog.objectives]
    kept = item_filter.apply(backlog.items, objectives)
    if item_filter.selects_anything:
        for line in item_filter.notes(backlog.items, objectives):
            note(line)
    return kept


def parse_as_of(value: str | None) -> dt.datetime:
    """``--as-of DATE`` as the end of that day in UTC; default: now."""
    if value is None:
        return dt.datetime.now(dt.UTC)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of: expected a date like 2026-01-31, got {value!r}") from None
    return dt.datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=dt.UTC)


def stdout_is_terminal() -> bool:
    """True when stdout is an interactive terminal (Rich tables); False when piped."""
    return sys.stdout.isatty()


def terminal_width() -> int:
    """Columns of the terminal (120 when unknown)."""
    import shutil

    return shutil.get_terminal_size(fallback=(120, 24)).columns


def color_enabled() -> bool:
    """Colour only on a terminal and never when ``NO_COLOR`` is set."""
    return stdout_is_terminal() and not os.environ.get("NO_COLOR")


def emit(text: str, output: Path | None = None) -> None:
    """Write a rendered result to ``output`` (atomically) or stdout."""
    if output is None:
        try:
            sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
            sys.stdout.flush()  # a full disk fails here, not in the flush at exit
        except BrokenPipeError:
            raise  # the reader left: exit 141 quietly (cli/app.py)
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror}", location="stdout") from None
        return
    from backlogctl.writeback.atomic import write_text_atomic

    write_text_atomic(output, text if text.endswith("\n") else text + "\n")
