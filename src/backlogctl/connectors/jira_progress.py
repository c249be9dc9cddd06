"""The pull's progress bar: a Rich renderer on stderr, shown only when stderr is a terminal.

Kept apart from the connector so the connector itself never imports Rich; stdout stays clean
for ``--format json | jq``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Report = Callable[[int, int | None], None]


@contextmanager
def progress_bar(enabled: bool, description: str = "Pulling from Jira") -> Iterator[Report | None]:
    """Yield ``report(fetched, total)`` drawing a bar on stderr, or None when not shown."""
    if not enabled or not sys.stderr.isatty():
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
