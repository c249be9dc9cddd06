"""The console script's entry point: the cyclic GC is off before anything heavy is imported."""

from __future__ import annotations

import gc


def main() -> None:
    """Run the command line (``backlogctl`` and ``python -m backlogctl``)."""
    # A command is one short pass over a backlog: it allocates millions of objects (items,
    # findings) and next to no reference cycles, which reference counting frees anyway. The
    # cyclic collector would only rescan them, again and again (10-20% of a 100k-item lint),
    # and while Typer and pydantic import it ran ~70 times for nothing (18 ms of start-up).
    gc.disable()
    from backlogctl.cli.app import main as run

    run()
