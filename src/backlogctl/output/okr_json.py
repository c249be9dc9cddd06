"""The ``okr`` JSON document, ``schema_version`` 1: ``OkrResult`` as pydantic dumps it.

Fields are only added (docs/architecture.md, README "Output contracts"); text is kept
exactly, with the characters JSON leaves raw escaped by ``json_text.terminal_safe``.
"""

from __future__ import annotations

from backlogctl.insights.okr import OkrResult
from backlogctl.output.json_text import terminal_safe


def render_okr_json(result: OkrResult) -> str:
    """The report as indented JSON."""
    return terminal_safe(result.model_dump_json(indent=2)) + "\n"
