"""From a loaded backlog to capacity planning's ``Task``s: the model's order, dependencies
resolved by ``dependencies.DependencyGraph``, pins checked against the backlog.

Containers (items with children in the backlog) are not planned themselves; a dependency on
one is a dependency on its open children (the graph expands it). Done items are never tasks
and a dependency on one is met.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from backlogctl.dependencies import DependencyGraph
from backlogctl.errors import InputError
from backlogctl.insights.capacity_types import Task
from backlogctl.models import BacklogItem
from backlogctl.scoring.base import ScoringModel
from backlogctl.scoring.ranking import rank_items

#: Why a dependency that is not a task of the plan cannot be planned (``outside``).
FILTERED_OUT = "left out by the filters"
EXTERNAL_OPEN = "not done outside the backlog"


def plan_tasks(
    candidates: Sequence[BacklogItem], model: ScoringModel, graph: DependencyGraph
) -> tuple[list[Task], dict[str, str]]:
    """The open, non-container ``candidates`` (the filtered backlog) as tasks in model order
    (scored by rank, then unscored in backlog order), and the ``outside`` explanations of
    dependencies that are not tasks but known."""
    work = [item for item in candidates if not item.is_done and not graph.is_container(item.key)]
    ranking = rank_items(work, model, explain=False)
    wsjf = model.name == "wsjf"
    by_key = {item.key: item for item in work}
    tasks: list[Task] = []
    for entry in ranking.ordered:
        tie_breaker = entry.tie_breaker if wsjf else None
        tasks.append(_task(entry.item, graph, entry.value, tie_breaker, None))
    for unscored in ranking.unscored:
        tasks.append(_task(by_key[unscored.key], graph, None, None, unscored.reason))
    outside: dict[str, str] = {}
    for task in tasks:
        resolved = graph.resolved(task.key)
        for key in resolved.open:
            if key not in by_key:
                outside[key] = FILTERED_OUT
        for key in resolved.external:
            outside[key] = EXTERNAL_OPEN
    return tasks, outside


def _task(
    item: BacklogItem,
    graph: DependencyGraph,
    score: float | None,
    cost_of_delay: float | None,
    unscored_reason: str | None,
) -> Task:
    resolved = graph.resolved(item.key)
    return Task(
        key=item.key,
        estimate=item.estimate,
        score=score,
        depends_on=(*resolved.open, *resolved.external, *resolved.unknown),
        title=item.title,
        type=item.type,
        due=None if item.due is None else item.due.date(),
        in_progress=item.status_category == "in_progress",
        cost_of_delay=cost_of_delay,
        unscored_reason=unscored_reason,
    )


def check_pins(
    pins: Sequence[str], tasks: Sequence[Task], items: Sequence[BacklogItem], graph: DependencyGraph
) -> None:
    """Raise ``InputError`` (one line) for a ``--pin`` that is not an open item of the plan:
    unknown (with close matches), done, a container or left out by the filters."""
    planned = {task.key for task in tasks}
    by_key = {item.key: item for item in items}
    for pin in pins:
        if pin in planned:
            continue
        item = by_key.get(pin)
        if item is None:
            raise InputError(f"--pin {pin}: no such item{_close_matches(pin, list(by_key))}")
        if item.is_done:
            raise InputError(f"--pin {pin}: the item is done")
        if graph.is_container(pin):
            raise InputError(
                f"--pin {pin}: the item has children in the backlog (a container is planned "
                "through them): pin its open children instead"
            )
        raise InputError(f"--pin {pin}: the item is {FILTERED_OUT}")


def _close_matches(key: str, keys: list[str]) -> str:
    folded = {candidate.casefold(): candidate for candidate in keys}
    if key.casefold() in folded:
        return f" (did you mean {folded[key.casefold()]}?)"
    close = difflib.get_close_matches(key, keys, n=3)
    return f" (did you mean {', '.join(close)}?)" if close else ""
