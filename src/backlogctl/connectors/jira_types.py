"""Small types shared by the Jira connector, the CLI and the renderers, and ``scalar_text``.

Kept apart so a renderer or the progress bar can name them without importing the connector's
HTTP or paging code.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Literal

from pydantic import BaseModel

Deployment = Literal["cloud", "server"]
#: Receives one warning line (already escaped for display).
Warn = Callable[[str], None]
#: ``report(fetched, total)``: how far a pull is (``total`` None while still unknown).
Report = Callable[[int, int | None], None]
#: Opens a progress display for one pull and yields its ``Report`` (None: nothing shown).
ProgressFactory = Callable[[], AbstractContextManager[Report | None]]


class JiraField(BaseModel):
    """One field as ``backlogctl jira fields`` lists it (texts exactly as the server sent them,
    token scrubbed; renderers escape them for display)."""

    id: str
    name: str
    type: str
    custom: bool


def scalar_text(value: Any, default: str = "") -> str:
    """A text or number from a Jira reply as text; anything else as ``default``.

    Replies may nest hundreds of levels deep where a text is expected: ``str()`` of such a
    value would recurse through all of it, so only scalars are converted.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return default
