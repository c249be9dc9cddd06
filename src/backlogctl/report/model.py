"""The report's result object: plain, immutable data that the renderers format.

Values are exact (floats, untrusted text as written); every renderer escapes text for its
own format. Under ``--redact`` titles, assignees and stakeholder names are already replaced
here, so no renderer can leak them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from backlogctl.insights.okr import OkrResult
from backlogctl.insights.stakeholders import StakeholderResult
from backlogctl.report.history_section import HistorySection

Quadrant = Literal["quick_wins", "big_bets", "fill_ins", "time_sinks"]

#: Quadrant names as people read them, in reading order of the chart (top left first).
QUADRANT_NAMES: dict[Quadrant, str] = {
    "quick_wins": "Quick wins",
    "big_bets": "Big bets",
    "fill_ins": "Fill-ins",
    "time_sinks": "Time sinks",
}

#: What each quadrant means, for the legend.
QUADRANT_MEANINGS: dict[Quadrant, str] = {
    "quick_wins": "value at or above the median for effort at or below it: do these first",
    "big_bets": "high value, high effort: worth it, plan them",
    "fill_ins": "low value, low effort: slot them in when there is room",
    "time_sinks": "low value, high effort: question them",
}


@dataclass(frozen=True)
class SourceInfo:
    """Where the data came from and when it was evaluated."""

    sources: tuple[str, ...]
    as_of: dt.datetime
    model: str
    formula: str
    model_description: str
    items_total: int
    redacted: bool


@dataclass(frozen=True)
class Headline:
    """The numbers at the top of the report."""

    open_items: int
    open_points: float
    estimated_items: int
    in_progress: int
    done_items: int
    scored: int
    unscored: int
    findings: dict[str, int]


@dataclass(frozen=True)
class TopRow:
    """One of the top N items under the report's model."""

    rank: int
    key: str
    title: str
    score: float
    inputs: tuple[tuple[str, float | str | None], ...]
    status: str
    assignee: str | None
    url: str | None


@dataclass(frozen=True)
class MatrixPoint:
    """One plotted item of the value/effort matrix."""

    key: str
    title: str
    rank: int
    value: float
    effort: float
    quadrant: Quadrant
    #: Index of the group of points at the same value and effort (see ``Matrix.groups``).
    group: int
    url: str | None = None


@dataclass(frozen=True)
class Axis:
    """One axis of the matrix: what it measures, its range and whether it is logarithmic."""

    label: str
    minimum: float
    maximum: float
    median: float
    log: bool


@dataclass(frozen=True)
class Matrix:
    """The value/effort matrix: plotted points, their groups, and what was left out."""

    value: Axis
    effort: Axis
    points: tuple[MatrixPoint, ...]
    #: Each group's member indexes into ``points`` (points that coincide share a group).
    groups: tuple[tuple[int, ...], ...]
    #: Points labelled on the chart (the best ranked ones), by index into ``points``.
    labelled: tuple[int, ...]
    #: Items beyond the plotting limit, counted per quadrant.
    aggregated: dict[Quadrant, int]
    #: Scored open items that cannot be placed (no effort, or not positive on a log axis).
    unplaced: int
    #: Why items are unplaced, in words (e.g. "no estimate").
    unplaced_reason: str
    limit: int

    @property
    def aggregated_total(self) -> int:
        """How many eligible items were not plotted because of the limit."""
        return sum(self.aggregated.values())

    def quadrant_counts(self) -> dict[Quadrant, int]:
        """Items per quadrant, plotted and aggregated together."""
        counts: dict[Quadrant, int] = dict.fromkeys(QUADRANT_NAMES, 0)
        for point in self.points:
            counts[point.quadrant] += 1
        for quadrant, count in self.aggregated.items():
            counts[quadrant] += count
        return counts


@dataclass(frozen=True)
class FamilyCount:
    """Findings of one rule family, per severity."""

    family: str
    name: str
    error: int
    warning: int
    info: int

    @property
    def total(self) -> int:
        """All findings of the family."""
        return self.error + self.warning + self.info


@dataclass(frozen=True)
class WorstItem:
    """An item with many or severe findings."""

    key: str
    title: str
    error: int
    warning: int
    info: int
    codes: tuple[str, ...]
    url: str | None


@dataclass(frozen=True)
class LintSummary:
    """Lint findings by rule family, and the items with the worst findings."""

    families: tuple[FamilyCount, ...]
    worst: tuple[WorstItem, ...]
    total: int
    items_with_findings: int


@dataclass(frozen=True)
class ModelPair:
    """How the report's model and one other model agree (renderers put it in words)."""

    other: str
    shared: int
    possible: int
    top: int
    kendall_tau: float | None
    compared: int


@dataclass(frozen=True)
class Agreement:
    """Model agreement: the report's model against every other model that scores items."""

    model: str
    pairs: tuple[ModelPair, ...]
    #: Models that score no open item (named and skipped), with the reason.
    skipped: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Report:
    """Every section of ``backlogctl report``; optional sections are None when empty."""

    source: SourceInfo
    headline: Headline
    top: tuple[TopRow, ...]
    top_limit: int
    input_names: tuple[str, ...]
    matrix: Matrix | None
    lint: LintSummary
    agreement: Agreement
    #: Objectives and key results; None when the backlog declares none.
    okr: OkrResult | None = None
    #: Stakeholders; None when none is declared or named by an item.
    stakeholders: StakeholderResult | None = None
    #: Changes since the last snapshot; None without history (see ``history_note``).
    history: HistorySection | None = None
    #: Why a history file exists but gives no section (no snapshot under the model...).
    history_note: str | None = None
