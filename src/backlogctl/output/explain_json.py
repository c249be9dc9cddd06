"""The explain JSON document (``schema_version`` 1; fields are only added)."""

from __future__ import annotations

import json

from backlogctl.explain import Explanation
from backlogctl.output.json_text import terminal_safe


def render_explain_json(explanation: Explanation) -> str:
    """The explanation as indented JSON (``model_dump(mode="json")``)."""
    return (
        terminal_safe(json.dumps(explanation.model_dump(mode="json"), indent=2, ensure_ascii=False))
        + "\n"
    )
