"""``backlogctl jira fields`` output: the server's fields as a table or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from backlogctl.connectors.jira_types import JiraField
from backlogctl.output.rich_console import string_console
from backlogctl.sanitize import visible

SCHEMA_VERSION = 1


def render_fields_json(fields: Sequence[JiraField]) -> str:
    """The fields as a JSON document (``schema_version`` 1)."""
    payload = {
        "schema_version": SCHEMA_VERSION,
        "fields": [field.model_dump(mode="json") for field in fields],
    }
    return json.dumps(payload, indent=2)


def render_fields_table(fields: Sequence[JiraField], *, width: int, color: bool) -> str:
    """The fields as a borderless table ``width`` columns wide; long names fold, not cut.

    Texts come from the server: control characters are shown escaped and never read as
    Rich markup.
    """
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, show_edge=False, pad_edge=False)
    for column in ("id", "name", "type", "custom"):
        table.add_column(column, overflow="fold")
    for field in fields:
        cells = (field.id, field.name, field.type, "yes" if field.custom else "no")
        table.add_row(*(Text(visible(cell)) for cell in cells))
    console, buffer = string_console(width, color=color)
    console.print(table)
    return buffer.getvalue()
