"""The data of capacity planning: tasks in, sprints, unplanned items and warnings out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from backlogctl.insights.capacity_graph import Reason

Strategy = Literal["rank", "value"]
#: How an item got into its sprint.
Via = Literal["carry_over", "pin", "dependency", "plan"]
#: What chose a sprint's items under ``value``.
SprintMethod = Literal["exact", "greedy", "rank"]


@dataclass(frozen=True)
class Task:
    """One open, plannable-in-principle item: what planning needs to know of it."""

    key: str
    estimate: float | None
    #: The model's score; None when the model cannot score it (then planned only as a
    #: dependency of a scored item).
    score: float | None
    #: Open dependencies (containers already expanded to their open children).
    depends_on: tuple[str, ...] = ()
    title: str = ""
    type: str = "story"
    due: dt.date | None = None
    in_progress: bool = False
    #: WSJF's cost of delay, when the model is WSJF.
    cost_of_delay: float | None = None
    #: Why the model cannot score it (with ``score`` None).
    unscored_reason: str | None = None


@dataclass(frozen=True)
class PlanOptions:
    """The knobs of ``backlogctl plan``."""

    capacities: tuple[float, ...]
    strategy: Strategy = "rank"
    pins: tuple[str, ...] = ()
    carry_over: bool = True
    start: dt.date | None = None
    sprint_days: int = 14
    #: Sum up the cost of delay of what is left out (WSJF).
    cost_of_delay: bool = False
    #: The day the plan is made: items due before it are reported overdue.
    as_of: dt.date | None = None


@dataclass(frozen=True)
class Placement:
    """An item in a sprint and how it got there."""

    task: Task
    via: Via


@dataclass(frozen=True)
class SprintPlan:
    """One sprint: its items in order, points used, score, running total and dates."""

    number: int
    capacity: float
    placements: tuple[Placement, ...]
    points: float
    score: float
    total: float
    #: ``value`` only: what chose the items after carry-over and pins.
    method: SprintMethod | None
    method_note: str | None
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class Unplanned:
    """An open item left out of the plan, with why."""

    task: Task
    reason: Reason
    detail: str


@dataclass(frozen=True)
class PlanWarning:
    """Something the product owner should look at: an item due before its sprint ends, an
    overfilled sprint 1, carry-over without an estimate or that cannot be planned."""

    key: str | None
    kind: str
    message: str


@dataclass(frozen=True)
class CapacityPlan:
    """The result of ``plan_capacity``."""

    strategy: Strategy
    capacities: tuple[float, ...]
    sprints: list[SprintPlan]
    unplanned: list[Unplanned]
    warnings: list[PlanWarning]
    #: ``value``: True when every sprint was chosen exactly; None under ``rank``.
    exact: bool | None
    #: ``value``: which method ran and why, one line.
    method_note: str | None
    cost_of_delay_left_out: float | None
    #: In-progress items left out by ``carry_over=False``.
    excluded_in_progress: list[str]


def sprint_dates(start: dt.date, days: int, number: int) -> tuple[dt.date, dt.date]:
    """First and last day of sprint ``number`` (1-based) of ``days`` days from ``start``."""
    first = start + dt.timedelta(days=days * (number - 1))
    return first, first + dt.timedelta(days=days - 1)
