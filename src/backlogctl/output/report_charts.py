"""Geometry of the report's SVG charts: scales, ticks, positions and label placement.

The HTML template draws what this module computes; nothing here writes markup, so every
string stays untrusted text that the template escapes. Coordinates are in the SVG's own
units (its ``viewBox``); the charts scale to the page width and print on A4.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from backlogctl.output.text import readable_number
from backlogctl.report.model import QUADRANT_NAMES, Axis, FamilyCount, Matrix, Quadrant

#: The matrix's viewBox and its plot area inside it (room for the axes and their labels).
MATRIX_WIDTH = 960
MATRIX_HEIGHT = 620
_LEFT, _RIGHT, _TOP, _BOTTOM = 92, 932, 24, 536

#: Radius of a point, and of the ring around points that coincide.
POINT_RADIUS = 5.0
GROUP_RADIUS = 9.0

#: Width of one character of a label at the chart's font size (11 units, bold), rounded up
#: so that estimated boxes are never narrower than the drawn text.
_CHAR_WIDTH = 7.4
_LABEL_HEIGHT = 12.0


@dataclass(frozen=True)
class Tick:
    """A tick on an axis: its position in SVG units and its label."""

    position: float
    label: str


@dataclass(frozen=True)
class PlacedPoint:
    """A matrix point at its SVG position."""

    index: int
    x: float
    y: float


@dataclass(frozen=True)
class PlacedGroup:
    """Points that coincide: their position, their indexes and how many they are."""

    x: float
    y: float
    members: tuple[int, ...]


@dataclass(frozen=True)
class Label:
    """A text label of a point, anchored at (x, y)."""

    index: int
    x: float
    y: float
    anchor: str
    text: str


@dataclass(frozen=True)
class Region:
    """A quadrant's rectangle and the corner where its name goes."""

    quadrant: Quadrant
    name: str
    x: float
    y: float
    width: float
    height: float
    name_x: float
    name_y: float
    anchor: str


@dataclass(frozen=True)
class MatrixLayout:
    """Everything the template needs to draw the value/effort matrix."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    median_x: float
    median_y: float
    regions: tuple[Region, ...]
    points: tuple[PlacedPoint, ...]
    groups: tuple[PlacedGroup, ...]
    labels: tuple[Label, ...]


class _Scale:
    """Maps an axis's values onto a pixel range (linear or log10), with 5% padding."""

    def __init__(self, axis: Axis, start: float, end: float) -> None:
        self.log = axis.log
        low, high = self._t(axis.minimum), self._t(axis.maximum)
        if not self.log and low >= 0:
            low = 0.0  # a linear axis of amounts starts at zero
        if high - low < 1e-12:
            spread = abs(low) * 0.1 or 1.0
            low, high = low - spread, high + spread
        pad = (high - low) * 0.05
        self.low, self.high = low - pad, high + pad
        self.start, self.end = start, end

    def _t(self, value: float) -> float:
        return math.log10(value) if self.log else value

    def __call__(self, value: float) -> float:
        share = (self._t(value) - self.low) / (self.high - self.low)
        return self.start + share * (self.end - self.start)

    def ticks(self) -> list[Tick]:
        """Tick marks at round values inside the padded range."""
        ticks = _log_ticks if self.log else _linear_ticks
        values = ticks(self.low, self.high)
        return [Tick(self(value), readable_number(value)) for value in values]


def _linear_ticks(low: float, high: float, count: int = 6) -> list[float]:
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12) + 0.0)
        value += step
    return ticks


def _log_ticks(low: float, high: float) -> list[float]:
    """Powers of ten in range; with fewer than three of them, 2× and 5× multiples too."""
    decades = range(math.floor(low), math.ceil(high) + 1)
    powers = [10.0**exponent for exponent in decades if low <= exponent <= high]
    if len(powers) >= 3:
        return powers
    return [
        multiple * 10.0**exponent
        for exponent in decades
        for multiple in (1, 2, 5)
        if low <= math.log10(multiple * 10.0**exponent) <= high
    ]


def matrix_layout(matrix: Matrix) -> MatrixLayout:
    """Positions of the matrix's axes, quadrants, points, groups and labels."""
    x_scale = _Scale(matrix.effort, _LEFT, _RIGHT)
    y_scale = _Scale(matrix.value, _BOTTOM, _TOP)
    median_x, median_y = x_scale(matrix.effort.median), y_scale(matrix.value.median)
    points = tuple(
        PlacedPoint(index, x_scale(point.effort), y_scale(point.value))
        for index, point in enumerate(matrix.points)
    )
    groups = tuple(
        PlacedGroup(points[members[0]].x, points[members[0]].y, members)
        for members in matrix.groups
        if len(members) > 1
    )
    return MatrixLayout(
        width=MATRIX_WIDTH,
        height=MATRIX_HEIGHT,
        left=_LEFT,
        right=_RIGHT,
        top=_TOP,
        bottom=_BOTTOM,
        x_ticks=tuple(x_scale.ticks()),
        y_ticks=tuple(y_scale.ticks()),
        median_x=median_x,
        median_y=median_y,
        regions=_regions(median_x, median_y),
        points=points,
        groups=groups,
        labels=_labels(matrix, points, groups),
    )


def _regions(median_x: float, median_y: float) -> tuple[Region, ...]:
    """The four quadrants, each named in its outer corner."""
    spans = {
        "quick_wins": (_LEFT, _TOP, median_x, median_y, _LEFT + 6, _TOP + 14, "start"),
        "big_bets": (median_x, _TOP, _RIGHT, median_y, _RIGHT - 6, _TOP + 14, "end"),
        "fill_ins": (_LEFT, median_y, median_x, _BOTTOM, _LEFT + 6, _BOTTOM - 6, "start"),
        "time_sinks": (median_x, median_y, _RIGHT, _BOTTOM, _RIGHT - 6, _BOTTOM - 6, "end"),
    }
    regions = []
    for quadrant, name in QUADRANT_NAMES.items():
        x0, y0, x1, y1, name_x, name_y, anchor = spans[quadrant]
        regions.append(
            Region(quadrant, name, x0, y0, max(x1 - x0, 0), max(y1 - y0, 0), name_x, name_y, anchor)
        )
    return tuple(regions)


def _labels(
    matrix: Matrix, points: tuple[PlacedPoint, ...], groups: tuple[PlacedGroup, ...]
) -> tuple[Label, ...]:
    """Labels of the best ranked points, each placed where it covers no earlier label, no
    labelled point and no group's count."""
    taken: list[tuple[float, float, float, float]] = [
        (group.x + 9, group.y - 17, group.x + 12 + _CHAR_WIDTH * 4, group.y - 4) for group in groups
    ]
    for index in matrix.labelled:
        x, y = points[index].x, points[index].y
        taken.append((x - 6, y - 6, x + 6, y + 6))
    labels = []
    labelled_groups: set[int] = set()
    for index in matrix.labelled:
        point = matrix.points[index]
        if point.group in labelled_groups:
            continue  # one label per spot: the group's best ranked member
        labelled_groups.add(point.group)
        text = f"{point.rank} {point.key}"
        box_width = len(text) * _CHAR_WIDTH
        place = points[index]
        best: tuple[float, float, float, str, tuple[float, float, float, float]] | None = None
        for dx, dy, anchor in _CANDIDATES:
            box = _box(place.x + dx, place.y + dy, box_width, anchor)
            if not (box[0] >= _LEFT and box[2] <= _RIGHT and box[1] >= _TOP and box[3] <= _BOTTOM):
                continue
            covered = sum(_overlap(box, other) for other in taken)
            if best is None or covered < best[0]:
                best = (covered, dx, dy, anchor, box)
            if covered == 0:
                break
        if best is None:  # nowhere inside the plot: beside the point, clipped by nothing
            dx, dy, anchor = _CANDIDATES[0] if place.x < (_LEFT + _RIGHT) / 2 else _CANDIDATES[1]
            best = (0.0, dx, dy, anchor, _box(place.x + dx, place.y + dy, box_width, anchor))
        _, dx, dy, anchor, box = best
        taken.append(box)
        labels.append(Label(index, place.x + dx, place.y + dy, anchor, text))
    return tuple(labels)


#: Label offsets tried in turn: right, left, above, below, then further out; the first that
#: covers nothing wins, else the one covering least.
_CANDIDATES = (
    (9.0, 4.0, "start"),
    (-9.0, 4.0, "end"),
    (0.0, -9.0, "middle"),
    (0.0, 17.0, "middle"),
    (9.0, -9.0, "start"),
    (-9.0, -9.0, "end"),
    (9.0, 17.0, "start"),
    (-9.0, 17.0, "end"),
    (0.0, -22.0, "middle"),
    (0.0, 30.0, "middle"),
    (9.0, -22.0, "start"),
    (-9.0, -22.0, "end"),
    (9.0, 30.0, "start"),
    (-9.0, 30.0, "end"),
)


def _box(x: float, y: float, width: float, anchor: str) -> tuple[float, float, float, float]:
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return left, y - _LABEL_HEIGHT + 2, left + width, y + 2


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """The area two boxes (left, top, right, bottom) share."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar: its kind (a severity, "top"...), count and extent."""

    kind: str
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    """One row of a stacked bar chart: its label, total, segments and where it ends."""

    label: str
    total: int
    y: float
    segments: tuple[Segment, ...]
    end: float


#: Geometry of the bar charts: label column, bar area, row height.
BARS_WIDTH = 800
_BAR_LEFT, _BAR_RIGHT, _ROW, _BARS_TOP = 230.0, 640.0, 30.0, 34.0


def bars_height(rows: int) -> float:
    """Height of a bar chart's viewBox for ``rows`` bars."""
    return _BARS_TOP + _ROW * rows + 8


def stacked_bars(rows: Sequence[tuple[str, Sequence[tuple[str, int]]]]) -> tuple[Bar, ...]:
    """Horizontal stacked bars, one per ``(label, [(kind, count), ...])``, scaled to the
    largest total; empty segments are left out."""
    totals = [sum(count for _, count in parts) for _, parts in rows]
    largest = max(totals, default=0) or 1
    bars = []
    for row, ((label, parts), total) in enumerate(zip(rows, totals, strict=True)):
        x = _BAR_LEFT
        segments = []
        for kind, count in parts:
            if count:
                width = (_BAR_RIGHT - _BAR_LEFT) * count / largest
                segments.append(Segment(kind, count, x, width))
                x += width
        bars.append(Bar(label, total, _BARS_TOP + _ROW * row, tuple(segments), x))
    return tuple(bars)


def family_bars(families: Sequence[FamilyCount]) -> tuple[Bar, ...]:
    """Findings per rule family, stacked by severity."""
    return stacked_bars(
        [
            (
                f"{family.family}: {family.name}",
                [("error", family.error), ("warning", family.warning), ("info", family.info)],
            )
            for family in families
        ]
    )
