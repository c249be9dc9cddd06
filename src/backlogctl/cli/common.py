"""Options and helpers shared by the commands (sources, config, --as-of, output)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from backlogctl.config import Config, load_config
from backlogctl.errors import InputError
from backlogctl.models import Backlog

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


def load_settings(config_path: Path | None) -> Config:
    """The config from ``--config``, or discovered, or the defaults."""
    return load_config(config_path)


def load_items(
    sources: list[str] | None, config: Config, jql: str | None = None, *, progress: bool = True
) -> Backlog:
    """Load the backlog; warnings go to stderr as one line each."""
    from backlogctl.loader import load_backlog

    return load_backlog(sources or [], config, jql=jql, warn=warn, progress=progress)


def warn(message: str) -> None:
    """Print a one-line warning on stderr."""
    typer.echo(f"backlogctl: warning: {message}", err=True)


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


def color_enabled() -> bool:
    """Colour only on a terminal and never when ``NO_COLOR`` is set."""
    return stdout_is_terminal() and not os.environ.get("NO_COLOR")


def emit(text: str, output: Path | None = None) -> None:
    """Write a rendered result to ``output`` (atomically) or stdout."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
        return
    from backlogctl.writeback.atomic import write_text_atomic

    write_text_atomic(output, text if text.endswith("\n") else text + "\n")
