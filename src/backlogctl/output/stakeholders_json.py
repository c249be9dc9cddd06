"""The ``stakeholders`` JSON document, ``schema_version`` 1: ``StakeholderResult`` dumped.

Fields are only added (docs/architecture.md, README "Output contracts"); names and titles
are kept exactly, with the characters JSON leaves raw escaped by ``terminal_safe``.
"""

from __future__ import annotations

from backlogctl.insights.stakeholders import StakeholderResult
from backlogctl.output.json_text import terminal_safe


def render_stakeholders_json(result: StakeholderResult) -> str:
    """The report as indented JSON."""
    return terminal_safe(result.model_dump_json(indent=2)) + "\n"
