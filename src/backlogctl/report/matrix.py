"""The value/effort matrix: which items are plotted where, and what is left out.

Value is the model's value part and effort its effort input: RICE plots reach × impact ×
confidence against effort, WSJF cost of delay against job size, any other model its score
against the item's ``estimate``. Only open, scored items with an effort are placed. The best
ranked ``limit`` of them are plotted, the rest are counted per quadrant. Quadrants split at
the medians of every placed item (plotted or not): value at or above its median is high,
effort at or below its median is low. An axis is logarithmic when its values are all
positive and span more than ``LOG_SPAN``.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from backlogctl.report.model import QUADRANT_NAMES, Axis, Matrix, MatrixPoint, Quadrant
from backlogctl.scoring.base import ScoringModel
from backlogctl.scoring.ranking import RankedEntry

#: Most points drawn: beyond this a chart is a blot and the file grows for nothing.
PLOT_LIMIT = 300

#: How many of the best ranked plotted items get a label and a legend entry.
LABELLED = 10

#: An axis whose largest value is more than this many times its smallest is logarithmic.
LOG_SPAN = 100.0


@dataclass(frozen=True)
class _Measures:
    """How one model's value and effort are read from a ranked entry."""

    value_label: str
    effort_label: str
    unplaced_reason: str


def _measures(model: ScoringModel) -> _Measures:
    if model.name == "rice":
        return _Measures(
            "Value: reach × impact × confidence", "Effort: person-months (rice.effort)", ""
        )
    if model.name == "wsjf":
        return _Measures(
            "Value: cost of delay (business value + time criticality + risk reduction)",
            "Effort: job size (wsjf.job_size)",
            "",
        )
    return _Measures(f"Value: {model.name} score", "Effort: estimate", "no estimate")


def _inputs(entry: RankedEntry, model: ScoringModel) -> dict[str, float]:
    if entry.inputs is not None:
        return dict(zip(model.main_inputs, entry.inputs, strict=True))
    score = entry.score if entry.score is not None else model.score(entry.item)
    values = getattr(score, "inputs", {})
    return {name: value for name, value in values.items() if isinstance(value, int | float)}


def value_and_effort(entry: RankedEntry, model: ScoringModel) -> tuple[float, float] | None:
    """The entry's (value, effort) under ``model``, or None when it has no effort."""
    if model.name == "rice":
        inputs = _inputs(entry, model)
        return (
            inputs["rice.reach"] * inputs["rice.impact"] * inputs["rice.confidence"],
            inputs["rice.effort"],
        )
    if model.name == "wsjf":
        # The tie-breaker of WSJF is its cost of delay (scoring/wsjf.py).
        return entry.tie_breaker, _inputs(entry, model)["wsjf.job_size"]
    estimate = entry.item.estimate
    return None if estimate is None else (entry.value, estimate)


def quadrant_of(value: float, effort: float, value_median: float, effort_median: float) -> Quadrant:
    """The quadrant of a point: value at or above its median is high, effort at or below low."""
    high = value >= value_median
    low = effort <= effort_median
    if high:
        return "quick_wins" if low else "big_bets"
    return "fill_ins" if low else "time_sinks"


def _axis(label: str, values: Sequence[float]) -> Axis:
    low, high = min(values), max(values)
    log = low > 0 and high / low > LOG_SPAN
    return Axis(label=label, minimum=low, maximum=high, median=statistics.median(values), log=log)


def build_matrix(
    entries: Sequence[RankedEntry], model: ScoringModel, *, limit: int = PLOT_LIMIT
) -> Matrix | None:
    """The matrix of ranked ``entries`` (rank order, done items already left out).

    None when no entry can be placed (no item has an effort).
    """
    measures = _measures(model)
    placed: list[tuple[int, RankedEntry, float, float]] = []
    unplaced = 0
    for rank, entry in enumerate(entries, start=1):
        pair = value_and_effort(entry, model)
        if pair is None:
            unplaced += 1
            continue
        placed.append((rank, entry, pair[0], pair[1]))
    if not placed:
        return None
    value_axis = _axis(measures.value_label, [value for _, _, value, _ in placed])
    effort_axis = _axis(measures.effort_label, [effort for _, _, _, effort in placed])
    points: list[MatrixPoint] = []
    group_of: dict[tuple[float, float], int] = {}
    members: list[list[int]] = []
    aggregated: dict[Quadrant, int] = dict.fromkeys(QUADRANT_NAMES, 0)
    for rank, entry, value, effort in placed:
        quadrant = quadrant_of(value, effort, value_axis.median, effort_axis.median)
        if len(points) >= limit:
            aggregated[quadrant] += 1
            continue
        group = group_of.setdefault((value, effort), len(members))
        if group == len(members):
            members.append([])
        members[group].append(len(points))
        item = entry.item
        points.append(
            MatrixPoint(
                key=item.key,
                title=item.title,
                rank=rank,
                value=value,
                effort=effort,
                quadrant=quadrant,
                group=group,
                url=item.source.url,
            )
        )
    return Matrix(
        value=value_axis,
        effort=effort_axis,
        points=tuple(points),
        groups=tuple(tuple(group) for group in members),
        labelled=tuple(range(min(LABELLED, len(points)))),
        aggregated=aggregated,
        unplaced=unplaced,
        unplaced_reason=measures.unplaced_reason,
        limit=limit,
    )
