"""Objectives and key results: what the backlog does for each, and what needs attention.

``summarize_okrs(backlog, ranking, as_of=...)`` returns an ``OkrResult`` whose
``model_dump(mode="json")`` is the JSON contract of ``backlogctl okr``. Rules:

- An item serves the key result (or objective) it names, else its nearest ancestor's, as
  lint's H003 counts it. Keys match case-insensitively.
- Containers (items with children in the backlog) are not counted themselves: their
  children's items and estimates are. Ranks come from the ranking as ``rank`` shows it.
- Open items are the ones given (the command's filters); done items are always every done
  item of the backlog: filters never shrink done figures.
- Delivery progress is done points / all points; metric progress is
  (current - start) / (target - start), clamped to 0..1, so falling metrics work too; a
  threshold (``keep_below``/``keep_above``) is met or not met (strictly below / above).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from backlogctl.declarations import flatten_objectives
from backlogctl.hierarchy import container_keys, covered_objectives, inherited_objectives
from backlogctl.models import Backlog, BacklogItem, Objective
from backlogctl.scoring.ranking import Ranking

SCHEMA_VERSION = 1
#: ``--top`` default: the share of the model's first N items that serves each key result.
DEFAULT_TOP = 10

WarningKind = Literal["no_open_items", "overdue", "unestimated"]


class _Figures(BaseModel):
    """What the backlog holds for one objective or key result."""

    key: str
    title: str
    open_items: int = 0
    done_items: int = 0
    open_points: float = 0.0
    done_points: float = 0.0
    #: Open items without an estimate (they are in ``open_items``, not in the points).
    unestimated_open_items: int = 0
    #: done points / (open + done points); None when there are no points at all.
    delivery_progress: float | None = None
    #: The best (lowest) rank of an open item serving it under the model; None: none ranked.
    best_rank: int | None = None
    #: Share of the model's top N serving it (0..1); None when nothing is ranked.
    top_share: float | None = None


class KeyResultProgress(_Figures):
    """One key result: item figures, its target or threshold and how far the metric is."""

    metric: str | None = None
    unit: str | None = None
    start: float | None = None
    target: float | None = None
    current: float | None = None
    keep_below: float | None = None
    keep_above: float | None = None
    due: dt.date | None = None
    owner: str | None = None
    #: (current - start) / (target - start), clamped to 0..1; None without all three.
    metric_progress: float | None = None
    #: A threshold's state; None for targets and when ``current`` is unknown.
    met: bool | None = None


class ObjectiveProgress(_Figures):
    """One objective: its key results plus the items linked to it directly."""

    key_results: list[KeyResultProgress] = Field(default_factory=list)


class OkrWarning(BaseModel):
    """Something about a key result that needs the product owner's attention."""

    key: str
    kind: WarningKind
    message: str


class UnknownKeyResult(BaseModel):
    """An open item naming an objective or key result that is not declared."""

    key: str
    item: str


class OkrResult(BaseModel):
    """The ``okr`` result; ``model_dump(mode="json")`` is its JSON contract."""

    schema_version: int = SCHEMA_VERSION
    model: str
    as_of: dt.date
    top: int
    objectives: list[ObjectiveProgress]
    warnings: list[OkrWarning]
    #: Estimate points of open items that serve no declared objective or key result.
    unlinked_open_points: float
    unlinked_open_items: int
    unknown_key_results: list[UnknownKeyResult]


@dataclass
class _Tally:
    open_items: int = 0
    done_items: int = 0
    open_points: float = 0.0
    done_points: float = 0.0
    unestimated: int = 0
    best_rank: int | None = None
    in_top: int = 0

    def add(self, other: _Tally) -> None:
        self.open_items += other.open_items
        self.done_items += other.done_items
        self.open_points += other.open_points
        self.done_points += other.done_points
        self.unestimated += other.unestimated
        self.in_top += other.in_top
        if other.best_rank is not None and (
            self.best_rank is None or other.best_rank < self.best_rank
        ):
            self.best_rank = other.best_rank


def summarize_okrs(
    backlog: Backlog,
    ranking: Ranking,
    *,
    as_of: dt.datetime,
    top: int = DEFAULT_TOP,
    items: Sequence[BacklogItem] | None = None,
    objectives: Collection[str] = (),
) -> OkrResult:
    """Figures, progress and warnings per declared objective and key result.

    ``ranking`` ranks the open items under the model (``rank_items``); ``items`` are the open
    items to count (default: the whole backlog); ``objectives`` narrows the objectives and
    key results shown (an objective covers its key results).
    """
    flat = flatten_objectives(backlog.objectives)
    declared = {objective.key.casefold(): objective for objective in flat}
    roots = _roots(flat, declared)
    links = inherited_objectives(backlog.items)
    containers = container_keys(backlog.items)
    tallies: dict[str, _Tally] = {}
    unlinked = _Tally()
    unknown: list[UnknownKeyResult] = []

    def target_of(item: BacklogItem) -> Objective | None:
        link = links.get(item.key)
        return None if link is None else declared.get(link.casefold())

    def tally(objective: Objective | None) -> _Tally:
        if objective is None:
            return unlinked
        return tallies.setdefault(objective.key.casefold(), _Tally())

    open_items = [item for item in (backlog.items if items is None else items) if not item.is_done]
    for item in open_items:
        if item.objective is not None and declared and item.objective.casefold() not in declared:
            unknown.append(UnknownKeyResult(key=item.objective, item=item.key))
        if item.key in containers:
            continue
        counted = tally(target_of(item))
        counted.open_items += 1
        if item.estimate is None:
            counted.unestimated += 1
        else:
            counted.open_points += item.estimate
    for item in backlog.items:
        if item.is_done and item.key not in containers:
            counted = tally(target_of(item))
            counted.done_items += 1
            counted.done_points += item.estimate or 0.0
    entries = ranking.entries()
    shown_top = min(top, len(entries))
    for position, entry in enumerate(entries, start=1):
        counted = tally(target_of(entry.item))
        if counted.best_rank is None:
            counted.best_rank = position
        if position <= shown_top:
            counted.in_top += 1

    wanted = covered_objectives(objectives, flat) if objectives else None
    results: list[ObjectiveProgress] = []
    warnings: list[OkrWarning] = []
    as_of_day = as_of.astimezone(dt.UTC).date()
    for root, key_results in roots:
        shown = [
            result
            for result in key_results
            if wanted is None or {root.key.casefold(), result.key.casefold()} & wanted
        ]
        if wanted is not None and root.key.casefold() not in wanted and not shown:
            continue
        total = _Tally()
        total.add(tallies.get(root.key.casefold(), _Tally()))
        progress: list[KeyResultProgress] = []
        for result in shown:
            counted = tallies.get(result.key.casefold(), _Tally())
            total.add(counted)
            shown_result = _key_result(result, counted, shown_top)
            progress.append(shown_result)
            warnings.extend(_warnings(result, shown_result, as_of_day))
        results.append(
            ObjectiveProgress(
                key=root.key, title=root.title, key_results=progress, **_fields(total, shown_top)
            )
        )
    return OkrResult(
        model=ranking.model.name,
        as_of=as_of_day,
        top=top,
        objectives=results,
        warnings=warnings,
        unlinked_open_points=unlinked.open_points,
        unlinked_open_items=unlinked.open_items,
        unknown_key_results=unknown,
    )


def _roots(
    objectives: Sequence[Objective], declared: dict[str, Objective]
) -> list[tuple[Objective, list[Objective]]]:
    """Top-level objectives in declaration order, each with the key results under it.

    A key result under a key result belongs to the objective at the top of its chain; an
    entry whose parent is not declared (or a parent cycle) counts as an objective.
    """
    grouped: dict[str, tuple[Objective, list[Objective]]] = {}
    pending: list[Objective] = []
    for objective in objectives:
        root = _root_of(objective, declared)
        if root is objective:
            grouped[objective.key.casefold()] = (objective, [])
        else:
            pending.append(objective)
    for objective in pending:
        root = _root_of(objective, declared)
        grouped[root.key.casefold()][1].append(objective)
    return list(grouped.values())


def _root_of(objective: Objective, declared: dict[str, Objective]) -> Objective:
    current = objective
    seen = {current.key.casefold()}
    while current.parent is not None:
        parent = declared.get(current.parent.casefold())
        if parent is None or parent.key.casefold() in seen:
            break
        seen.add(parent.key.casefold())
        current = parent
    return current


def _fields(counted: _Tally, shown_top: int) -> dict[str, object]:
    points = counted.open_points + counted.done_points
    return {
        "open_items": counted.open_items,
        "done_items": counted.done_items,
        "open_points": counted.open_points,
        "done_points": counted.done_points,
        "unestimated_open_items": counted.unestimated,
        "delivery_progress": counted.done_points / points if points > 0 else None,
        "best_rank": counted.best_rank,
        "top_share": counted.in_top / shown_top if shown_top else None,
    }


def _key_result(result: Objective, counted: _Tally, shown_top: int) -> KeyResultProgress:
    return KeyResultProgress(
        key=result.key,
        title=result.title,
        metric=result.metric,
        unit=result.unit,
        start=result.start,
        target=result.target,
        current=result.current,
        keep_below=result.keep_below,
        keep_above=result.keep_above,
        due=result.due.astimezone(dt.UTC).date() if result.due else None,
        owner=result.owner,
        metric_progress=metric_progress(result),
        met=threshold_met(result),
        **_fields(counted, shown_top),
    )


def metric_progress(result: Objective) -> float | None:
    """(current - start) / (target - start), clamped to 0..1; None without all three."""
    if result.start is None or result.target is None or result.current is None:
        return None
    fraction = (result.current - result.start) / (result.target - result.start)
    return min(1.0, max(0.0, fraction))


def threshold_met(result: Objective) -> bool | None:
    """Whether ``current`` holds a ``keep_below``/``keep_above`` threshold (None: unknown)."""
    threshold = result.threshold
    if threshold is None or result.current is None:
        return None
    side, limit = threshold
    return result.current < limit if side == "below" else result.current > limit


def _warnings(result: Objective, entry: KeyResultProgress, as_of: dt.date) -> list[OkrWarning]:
    found: list[OkrWarning] = []
    reached = entry.met is True or (
        entry.metric_progress is not None and entry.metric_progress >= 1
    )
    state = _state(result, entry)
    if entry.open_items == 0 and not reached:
        found.append(
            OkrWarning(
                key=result.key,
                kind="no_open_items",
                message=f"no open items and {state}",
            )
        )
    is_threshold = result.threshold is not None
    if entry.due is not None and entry.due < as_of and not reached and not is_threshold:
        has_target = result.target is not None
        if has_target or entry.open_items:
            left = "item" if entry.open_items == 1 else "items"
            what = state if has_target else f"{entry.open_items} open {left} left"
            found.append(
                OkrWarning(
                    key=result.key,
                    kind="overdue",
                    message=f"due {entry.due.isoformat()} has passed; {what}",
                )
            )
    if entry.open_items and entry.unestimated_open_items == entry.open_items:
        found.append(
            OkrWarning(
                key=result.key,
                kind="unestimated",
                message=(
                    "its open item has no estimate"
                    if entry.open_items == 1
                    else f"none of its {entry.open_items} open items has an estimate"
                ),
            )
        )
    return found


def _state(result: Objective, entry: KeyResultProgress) -> str:
    """How far the key result is, in words, for warning messages."""
    unit = result.unit or ""
    if result.threshold is not None:
        side, limit = result.threshold
        if result.current is None:
            return f"no current value to check 'keep {side} {limit:g}{unit}'"
        return f"{result.current:g}{unit} is not {side} {limit:g}{unit}"
    if result.target is None:
        return "no target to tell whether it is reached"
    if result.current is None or entry.metric_progress is None:
        return f"target {result.target:g}{unit} not known to be reached (no current value)"
    return (
        f"target {result.target:g}{unit} not reached "
        f"({result.current:g}{unit}, {entry.metric_progress:.0%} of the way)"
    )
