"""Mermaid charts of the Markdown report: the value/effort ``quadrantChart`` and bar charts.

Mermaid has no escaping that every renderer honours, so untrusted text never reaches it:
point names are item keys reduced to letters, digits, ``-``, ``_``, ``.`` and spaces (other
characters become ``_``) and quoted; titles stay in the Markdown tables beside the chart.
Coordinates are written as Mermaid's grammar wants them: ``0.`` followed by digits.
"""

from __future__ import annotations

import math
import re

from backlogctl.report.model import QUADRANT_NAMES, Axis, Matrix, Quadrant

#: Points drawn in the Mermaid chart (Mermaid labels every point; more would be unreadable).
MERMAID_POINTS = 20

#: Where the chart's content may go: a margin keeps points off the border.
_LOW, _HIGH = 0.02, 0.98
#: The halves below and above the median, with a gap around Mermaid's centre line.
_MIDDLE_LOW, _MIDDLE_HIGH = 0.48, 0.52

_UNSAFE = re.compile(r"[^A-Za-z0-9._\- ]")

#: Mermaid's quadrant numbers: 1 top right, 2 top left, 3 bottom left, 4 bottom right.
_QUADRANT_NUMBERS: dict[Quadrant, int] = {
    "big_bets": 1,
    "quick_wins": 2,
    "fill_ins": 3,
    "time_sinks": 4,
}


def mermaid_name(text: str) -> str:
    """``text`` reduced to characters no Mermaid grammar gives a meaning to."""
    return _UNSAFE.sub("_", text).strip() or "_"


def coordinate(value: float) -> str:
    """A 0..1 position as Mermaid reads it: ``0``, ``1`` or ``0.`` followed by digits."""
    if not math.isfinite(value) or value <= 0:
        return "0"
    if value >= 1:
        return "1"
    digits = f"{value:.4f}"[2:].rstrip("0")
    return f"0.{digits}" if digits else "0"


def _position(value: float, axis: Axis, *, median_is_high: bool) -> float:
    """``value`` on 0..1, each side of the axis's median on its own half of the chart.

    Mermaid splits quadrants at 0.5: the halves keep a gap around it, so a point at the
    median lands on the side it counts for (high value, low effort), never on the line.
    """

    def scaled(number: float) -> float:
        return math.log10(number) if axis.log else number

    low, median, high, point = map(scaled, (axis.minimum, axis.median, axis.maximum, value))
    upper = point > median or (point == median and median_is_high)
    if upper:
        share = 0.0 if high == median else (point - median) / (high - median)
        return _MIDDLE_HIGH + share * (_HIGH - _MIDDLE_HIGH)
    share = 1.0 if median == low else (point - low) / (median - low)
    return _LOW + share * (_MIDDLE_LOW - _LOW)


def quadrant_chart(matrix: Matrix, title: str) -> list[str]:
    """The matrix's best ranked points as a Mermaid ``quadrantChart`` (one line per entry)."""
    lines = [
        "```mermaid",
        "quadrantChart",
        f"    title {mermaid_name(title)}",
        "    x-axis Low effort --> High effort",
        "    y-axis Low value --> High value",
    ]
    for quadrant, number in sorted(_QUADRANT_NUMBERS.items(), key=lambda pair: pair[1]):
        lines.append(f"    quadrant-{number} {QUADRANT_NAMES[quadrant]}")
    for point in matrix.points[:MERMAID_POINTS]:
        x = coordinate(_position(point.effort, matrix.effort, median_is_high=False))
        y = coordinate(_position(point.value, matrix.value, median_is_high=True))
        lines.append(f'    "{point.rank} {mermaid_name(point.key)}": [{x}, {y}]')
    lines.append("```")
    return lines


def bar_chart(title: str, categories: list[str], values: list[int], axis: str) -> list[str]:
    """A Mermaid ``xychart-beta`` bar chart; categories and titles must be trusted words."""
    top = max([*values, 1])
    names = ", ".join(f'"{mermaid_name(name)}"' for name in categories)
    return [
        "```mermaid",
        "xychart-beta",
        f'    title "{mermaid_name(title)}"',
        f"    x-axis [{names}]",
        f'    y-axis "{mermaid_name(axis)}" 0 --> {top}',
        f"    bar [{', '.join(str(value) for value in values)}]",
        "```",
    ]
