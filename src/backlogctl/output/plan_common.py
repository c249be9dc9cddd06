"""What every format of ``backlogctl plan`` says, as plain strings (renderers escape them).

Item text (keys, titles) is untrusted: the functions here return it raw and each renderer
escapes it for its format (``shown``, ``markdown_cell``; JSON keeps it exact).
"""

from __future__ import annotations

from backlogctl.insights.capacity import CapacityPlan, SprintPlan
from backlogctl.insights.capacity_types import Placement, Via
from backlogctl.output.text import readable_number

_VIA: dict[Via, str] = {
    "carry_over": "carry-over",
    "pin": "pinned",
    "dependency": "dependency",
    "plan": "",
}


def points_text(value: float | None) -> str:
    """Estimate points for people (``2.5``, ``40``), ``-`` for none."""
    return "-" if value is None else readable_number(value)


def _unit(value: float) -> str:
    """``point`` after a figure of exactly 1, ``points`` after any other."""
    return "point" if value == 1 else "points"


def score_text(value: float | None) -> str:
    """A score for people (three significant digits, separators), ``-`` for unscored."""
    return "-" if value is None else readable_number(value)


def heading(plan: CapacityPlan, model: str) -> str:
    """``Plan by rank (model rice): 3 sprints of 40, 32, 40 points``."""
    count = len(plan.capacities)
    sprints = "1 sprint" if count == 1 else f"{count} sprints"
    capacities = ", ".join(points_text(value) for value in plan.capacities)
    unit = "points"
    if len(set(plan.capacities)) == 1:
        capacities = points_text(plan.capacities[0])
        unit = _unit(plan.capacities[0])
    return f"Plan by {plan.strategy} (model {model}): {sprints} of {capacities} {unit}"


def method_line(plan: CapacityPlan) -> str | None:
    """``value``: which method chose the sprints and why; None under ``rank``."""
    if plan.method_note is None:
        return None
    return f"Method: {plan.method_note}."


def sprint_heading(sprint: SprintPlan) -> str:
    """``Sprint 1 (2026-12-07 to 2026-12-20): 38 of 40 points, score 1,234, total 1,234``."""
    dates = ""
    if sprint.start is not None and sprint.end is not None:
        dates = f" ({sprint.start.isoformat()} to {sprint.end.isoformat()})"
    return (
        f"Sprint {sprint.number}{dates}: {points_text(sprint.points)} of "
        f"{points_text(sprint.capacity)} {_unit(sprint.capacity)}, "
        f"score {score_text(sprint.score)}, total {score_text(sprint.total)}"
    )


def note_text(placement: Placement) -> str:
    """How an item got into its sprint and when it is due: ``carry-over, due 2026-12-15``."""
    parts = [_VIA[placement.via]] if _VIA[placement.via] else []
    if placement.task.due is not None:
        parts.append(f"due {placement.task.due.isoformat()}")
    return ", ".join(parts)


def left_out_heading(plan: CapacityPlan) -> str:
    """``Left out (12 open items)``."""
    count = len(plan.unplanned)
    return f"Left out ({count} open item{'' if count == 1 else 's'})"


def footer_lines(plan: CapacityPlan) -> list[str]:
    """Cost of delay left out (WSJF) and the in-progress items left out of the plan."""
    lines = []
    if plan.cost_of_delay_left_out is not None:
        lines.append(
            f"Cost of delay left out (WSJF): {readable_number(plan.cost_of_delay_left_out)}."
        )
    if plan.excluded_in_progress:
        count = len(plan.excluded_in_progress)
        lines.append(
            f"{count} in-progress item{'' if count == 1 else 's'} left out of the plan "
            "(--exclude-in-progress); dependencies on them count as met."
        )
    return lines
