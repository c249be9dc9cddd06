"""The compare JSON document, ``schema_version`` 1: fields are only added (docs/architecture.md)."""

from __future__ import annotations

import json

from backlogctl.output.json_text import terminal_safe
from backlogctl.scoring.compare import Comparison


def render_compare_json(comparison: Comparison) -> str:
    """The comparison as indented JSON (``model_dump(mode="json")``)."""
    return (
        terminal_safe(json.dumps(comparison.model_dump(mode="json"), indent=2, ensure_ascii=False))
        + "\n"
    )
