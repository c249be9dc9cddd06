"""The Jira pull's progress bar: Rich on stderr, shown only when stderr is a terminal.

The CLI hands ``progress_bar`` to the connector, which reports ``(fetched, total)`` through
it and never imports Rich itself; stdout stays clean for ``--format json | jq``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backlogctl.connectors.jira_types import Report


@contextmanager
def progress_bar(description: str = "Pulling from Jira") -> Iterator[Report | None]:
    """Yield ``report(fetched, total)`` drawing a bar on stderr, or None when not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=None)

        def report(fetched: int, total: int | None) -> None:
            progress.update(task, completed=fetched, total=total)

        yield report
