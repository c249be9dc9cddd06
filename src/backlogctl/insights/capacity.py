"""Capacity planning (``backlogctl plan``): which open items fit into the next sprints.

Pure functions over ``Task``s (``capacity_input`` builds them from a backlog and a ranking):

- carry-over first: in-progress items go into sprint 1 (``carry_over=False`` leaves them out
  of the plan and counts dependencies on them as met); pinned items next, in sprint 1; each
  with its open dependencies before it. They may overfill sprint 1: a warning says so.
- then sprint by sprint, ``rank`` (the model's order, ``capacity_fill``) or ``value`` (the
  highest total score that fits, ``capacity_exact``; the greedy score-per-point order when the
  exact method is out of reach; never below what ``rank`` would put into that sprint).
- every open item not planned is listed with its ``Reason``.

Dependency order always holds: an item is planned only with each open dependency in the same
or an earlier sprint. Containers (items with children) are never tasks: the caller expands a
dependency on one to its open children.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

from backlogctl.errors import InputError
from backlogctl.insights.capacity_fill import FIT_TOLERANCE
from backlogctl.insights.capacity_graph import Blocked, Closures, Reason, blocked_items
from backlogctl.insights.capacity_sprints import SprintFiller
from backlogctl.insights.capacity_types import (
    CapacityPlan,
    PlanOptions,
    PlanWarning,
    SprintPlan,
    Strategy,
    Task,
    Unplanned,
)

__all__ = [
    "CapacityPlan",
    "PlanOptions",
    "PlanWarning",
    "Reason",
    "SprintPlan",
    "Task",
    "Unplanned",
    "plan_capacity",
]


def plan_capacity(
    tasks: Sequence[Task], outside: Mapping[str, str], options: PlanOptions
) -> CapacityPlan:
    """Plan ``tasks`` (in model order: scored by rank, then unscored) into the sprints.

    ``outside`` explains dependency keys that are not tasks but known (e.g. "left out by the
    filters"); any other dependency that is not a task is unknown. Raises ``InputError`` for
    a capacity that is not positive or a pin that is not a task or cannot be planned.
    """
    if not options.capacities or any(
        not math.isfinite(value) or value <= 0 for value in options.capacities
    ):
        raise InputError("--capacity: every sprint's capacity must be a number above 0")
    pins = list(dict.fromkeys(options.pins))
    known = {task.key for task in tasks}
    for pin in pins:
        if pin not in known:
            raise InputError(f"--pin {pin}: not an open item of the plan")
    excluded = (
        []
        if options.carry_over
        else [task.key for task in tasks if task.in_progress and task.key not in pins]
    )
    met = set(excluded)
    tasks = [task for task in tasks if task.key not in met]
    by_key = {task.key: task for task in tasks}
    order = [task.key for task in tasks]
    position = {key: index for index, key in enumerate(order)}
    carried = [task.key for task in tasks if task.in_progress]
    fixed = set(carried) | set(pins)
    largest = max(options.capacities)
    deps = {task.key: tuple(d for d in task.depends_on if d not in met) for task in tasks}
    blocked = blocked_items(order, deps, _own_problems(tasks, fixed, largest), outside)
    for pin in pins:
        if pin in blocked:
            raise InputError(f"--pin {pin}: cannot be planned: {blocked[pin].detail}")
    plannable = [key for key in order if key not in blocked]
    pdeps = {key: deps[key] for key in plannable}
    points = {key: by_key[key].estimate or 0.0 for key in plannable}
    value = {key: by_key[key].score or 0.0 for key in plannable}
    planner = SprintFiller(options, by_key, position, pdeps, points, value)
    warnings = planner.place_fixed([key for key in carried if key not in blocked], pins)
    for key in carried:
        if key in blocked:
            message = f"in-progress {key} cannot be carried over: {blocked[key].detail}"
            warnings.append(PlanWarning(key, "carry_over_not_planned", message))
    scored = [key for key in plannable if by_key[key].score is not None]
    for number in range(1, len(options.capacities) + 1):
        planner.fill_sprint(number, scored)
    sprints = planner.sprints()
    # One memo for all reasons: on a long chain each item's needs extend its dependency's.
    closures = Closures(planner.deps, planner.points, planner.placed.__contains__)
    unplanned = [
        _unplanned(by_key[key], blocked, planner, closures, options.strategy)
        for key in order
        if key not in planner.placed
    ]
    warnings += _due_warnings(sprints, unplanned, options.as_of)
    return CapacityPlan(
        strategy=options.strategy,
        capacities=tuple(options.capacities),
        sprints=sprints,
        unplanned=unplanned,
        warnings=warnings,
        exact=None if options.strategy == "rank" else planner.all_exact(),
        method_note=None if options.strategy == "rank" else planner.method_summary(),
        cost_of_delay_left_out=(
            sum(item.task.cost_of_delay or 0.0 for item in unplanned)
            if options.cost_of_delay
            else None
        ),
        excluded_in_progress=excluded,
    )


def _own_problems(
    tasks: Sequence[Task], fixed: set[str], largest: float
) -> dict[str, tuple[Reason, str]]:
    """No estimate, or larger than any sprint (carry-over and pins go in regardless)."""
    problems: dict[str, tuple[Reason, str]] = {}
    for task in tasks:
        if task.key in fixed:
            continue
        if task.estimate is None:
            problems[task.key] = (Reason.NO_ESTIMATE, "no estimate")
        elif task.estimate > largest + FIT_TOLERANCE:
            problems[task.key] = (
                Reason.LARGER_THAN_ANY_SPRINT,
                f"{points_text(task.estimate)}, more than the largest sprint ({largest:g})",
            )
    return problems


#: How many of a left-out item's dependencies its reason names.
_NAMED_DEPENDENCIES = 10


def _unplanned(
    task: Task,
    blocked: Mapping[str, Blocked],
    planner: SprintFiller,
    closures: Closures,
    strategy: Strategy,
) -> Unplanned:
    cause = blocked.get(task.key)
    if cause is not None:
        return Unplanned(task, cause.reason, cause.detail)
    if task.score is None:
        why = task.unscored_reason or "no reason given"
        detail = f"not scored by the model ({why}): planned only when a scored item needs it"
        return Unplanned(task, Reason.UNSCORED, detail)
    needed = closures.of(task.key)
    points = needed.points
    others = [key for key in needed.head if key != task.key]
    # A long chain would make this one line thousands of keys long: name the first few.
    named = ", ".join(others[:_NAMED_DEPENDENCIES])
    more = needed.size - 1 - _NAMED_DEPENDENCIES
    with_deps = f" with its dependencies {named}" if others else ""
    with_deps += f" and {more} more" if more > 0 else ""
    largest = max(planner.options.capacities)
    if strategy == "value" and task.score <= 0:
        detail = f"its score ({task.score:g}) adds nothing to a sprint's total"
        return Unplanned(task, Reason.BETTER_SET, detail)
    if strategy == "value" and points <= largest + FIT_TOLERANCE:
        detail = f"a better-scoring set used the capacity (needs {points_text(points)}{with_deps})"
        return Unplanned(task, Reason.BETTER_SET, detail)
    detail = (
        f"did not fit: needs {points_text(points)}{with_deps}, "
        f"at most {planner.best_room():g} left in a sprint"
    )
    return Unplanned(task, Reason.DID_NOT_FIT, detail)


def _due_warnings(
    sprints: Sequence[SprintPlan], unplanned: Sequence[Unplanned], as_of: dt.date | None
) -> list[PlanWarning]:
    """Items already overdue on ``as_of``; else planned items due before their sprint ends
    and unplanned items due within the planned sprints (with sprint dates)."""
    warnings: list[PlanWarning] = []
    last = sprints[-1].end if sprints else None
    entries: list[tuple[Task, SprintPlan | None]] = [
        (item.task, sprint) for sprint in sprints for item in sprint.placements
    ]
    entries += [(entry.task, None) for entry in unplanned]
    for task, sprint in entries:
        due = task.due
        if due is None:
            continue
        planned = "" if sprint is None else f" (planned in sprint {sprint.number})"
        if as_of is not None and due < as_of:
            message = f"{task.key} is overdue: due {due.isoformat()}{planned or ' (not planned)'}"
            warnings.append(PlanWarning(task.key, "overdue", message))
        elif sprint is not None and sprint.end is not None and due < sprint.end:
            message = (
                f"{task.key} is due {due.isoformat()}, before sprint {sprint.number} "
                f"ends on {sprint.end.isoformat()}"
            )
            warnings.append(PlanWarning(task.key, "due_before_sprint_end", message))
        elif sprint is None and last is not None and due <= last:
            message = f"{task.key} is due {due.isoformat()} and is not planned"
            warnings.append(PlanWarning(task.key, "due_not_planned", message))
    return warnings


def points_text(points: float) -> str:
    """``1 point``, ``2.5 points``."""
    return f"{points:g} point{'' if points == 1 else 's'}"
