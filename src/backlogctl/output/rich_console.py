"""A Rich console that renders into a string, shared by the Rich renderers."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def string_console(width: int, *, color: bool) -> tuple[Console, io.StringIO]:
    """A console of ``width`` columns writing to a buffer; ANSI colour only when ``color``."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="auto" if color else None,
        no_color=not color,
        highlight=False,
    )
    return console, buffer
