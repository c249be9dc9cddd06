"""The plan JSON document, ``schema_version`` 1: fields are only added (README, CHANGELOG).

Item text is kept exactly; numbers at full precision; dates as ``YYYY-MM-DD``.
"""

from __future__ import annotations

from typing import Any

from backlogctl.insights.capacity import CapacityPlan, Task
from backlogctl.output.json_text import json_document

SCHEMA_VERSION = 1


def _item(task: Task) -> dict[str, Any]:
    return {
        "key": task.key,
        "title": task.title,
        "type": task.type,
        "estimate": task.estimate,
        "score": task.score,
        "due": None if task.due is None else task.due.isoformat(),
    }


def render_plan_json(plan: CapacityPlan, model: str) -> str:
    """The plan as indented JSON (the contract in the README's "Output contracts")."""
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "model": model,
        "strategy": plan.strategy,
        "exact": plan.exact,
        "method": plan.method_note,
        "capacity": list(plan.capacities),
        "sprints": [
            {
                "number": sprint.number,
                "capacity": sprint.capacity,
                "start": None if sprint.start is None else sprint.start.isoformat(),
                "end": None if sprint.end is None else sprint.end.isoformat(),
                "points": sprint.points,
                "score": sprint.score,
                "total": sprint.total,
                "method": sprint.method,
                "items": [
                    {**_item(placement.task), "via": placement.via}
                    for placement in sprint.placements
                ],
            }
            for sprint in plan.sprints
        ],
        "unplanned": [
            {
                **_item(entry.task),
                "reason": entry.reason.value,
                "detail": entry.detail,
                "cost_of_delay": entry.task.cost_of_delay,
            }
            for entry in plan.unplanned
        ],
        "cost_of_delay_left_out": plan.cost_of_delay_left_out,
        "excluded_in_progress": plan.excluded_in_progress,
        "warnings": [
            {"key": warning.key, "kind": warning.kind, "message": warning.message}
            for warning in plan.warnings
        ],
    }
    return json_document(document)
