"""``snapshot`` output: the snapshot just taken, and ``snapshot --list`` (table or JSON).

Notes and model names are untrusted text (a note can come from a CI variable): tables show
them through ``text.shown``; JSON keeps them exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from backlogctl.history.state import SnapshotInfo
from backlogctl.output.json_text import json_document
from backlogctl.output.text import align, no_command_lines, shown, truncate

SCHEMA_VERSION = 1
_HEADERS = ["ID", "Taken (UTC)", "Items", "Models", "Note"]


def _when(info: SnapshotInfo) -> str:
    return info.taken.strftime("%Y-%m-%d %H:%M")


def _info(info: SnapshotInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "taken": info.taken.isoformat().replace("+00:00", "Z"),
        "note": info.note,
        "items": info.items,
        "models": list(info.models),
        "sources": info.sources,
    }


def render_snapshot_taken(info: SnapshotInfo, path: str, *, json: bool = False) -> str:
    """What ``snapshot`` prints after storing one: a line, or its JSON description."""
    if json:
        document = {"schema_version": SCHEMA_VERSION, "history": path, "snapshot": _info(info)}
        return json_document(document)
    models = ", ".join(info.models)
    note = f' "{info.note}"' if info.note else ""
    line = (
        f"snapshot {info.id}{note} taken {_when(info)} UTC: {info.items} items, "
        f"ranked by {models}; in {path}"
    )
    return no_command_lines(shown(line) + "\n")


def render_snapshot_list_json(snapshots: Sequence[SnapshotInfo], path: str) -> str:
    """``snapshot --list --format json``: every snapshot, oldest first."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "history": path,
        "snapshots": [_info(info) for info in snapshots],
    }
    return json_document(document)


def render_snapshot_list_table(
    snapshots: Sequence[SnapshotInfo],
    path: str,
    *,
    rich: bool = False,
    color: bool = False,
    width: int = 120,
) -> str:
    """The snapshots as a Rich table fitted to ``width`` (``rich=True``) or plain text."""
    rows = [
        [str(info.id), _when(info), str(info.items), ", ".join(info.models), info.note]
        for info in snapshots
    ]
    title = f"Snapshots in {path} ({len(snapshots)})"
    if not rows:
        return no_command_lines(
            shown(f"No snapshots in {path} yet: take one with 'backlogctl snapshot'.") + "\n"
        )
    if rich:
        return no_command_lines(_render_rich(title, rows, color=color, width=width))
    cells = [[shown(cell) for cell in row[:4]] + [truncate(shown(row[4]))] for row in rows]
    lines = [shown(title), *align(_HEADERS, cells, right=(0, 2))]
    return no_command_lines("\n".join(lines) + "\n")


def _render_rich(title: str, rows: list[list[str]], *, color: bool, width: int) -> str:
    from rich.text import Text

    from backlogctl.output.layout import Column, Layout, build_table, first_fit
    from backlogctl.output.rich_console import string_console

    def cells(index: int) -> list[Text]:
        return [Text(shown(row[index])) for row in rows]

    columns = [
        Column("ID", cells(0), justify="right"),
        Column("Taken (UTC)", cells(1)),
        Column("Items", cells(2), justify="right"),
        Column("Models", cells(3), min_width=8, shrink=1),
        Column("Note", cells(4), min_width=8, shrink=0, truncate=True),
    ]
    console, buffer = string_console(width, color=color)
    console.print(build_table(*first_fit([Layout(shown(title), columns)], width)))
    return buffer.getvalue()
