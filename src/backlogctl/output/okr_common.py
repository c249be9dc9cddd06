"""Cells of the ``okr`` report shared by the table and Markdown renderers.

Each function returns plain text built from the result; callers escape it for their format
(``shown`` for tables, ``markdown_cell`` for Markdown): keys, titles and units are untrusted.
"""

from __future__ import annotations

from dataclasses import dataclass

from backlogctl.insights.okr import KeyResultProgress, ObjectiveProgress, OkrResult, OkrWarning
from backlogctl.output.text import key_list, readable_number

#: Shown where a figure cannot be computed (no points, no current value, nothing ranked).
NONE = "-"
#: Width of a progress bar on a terminal, in characters.
BAR_WIDTH = 8

WARNING_KINDS = {
    "no_open_items": "no open items",
    "overdue": "overdue",
    "unestimated": "unestimated",
}


@dataclass(frozen=True)
class Row:
    """One line of the report: an objective or one of its key results."""

    entry: ObjectiveProgress | KeyResultProgress
    is_objective: bool


def rows(result: OkrResult) -> list[Row]:
    """Each objective followed by its key results."""
    found: list[Row] = []
    for objective in result.objectives:
        found.append(Row(objective, True))
        found.extend(Row(key_result, False) for key_result in objective.key_results)
    return found


def percent(value: float | None) -> str:
    """``38%``; never 100% before the end nor 0% after the start; ``-`` for None."""
    if value is None:
        return NONE
    shown = round(value * 100)
    if value < 1:
        shown = min(shown, 99)
    if value > 0:
        shown = max(shown, 1)
    return f"{shown}%"


def bar(value: float | None, width: int = BAR_WIDTH) -> str:
    """A bar of ``width`` characters, filled by ``value`` (0..1), then the percentage."""
    if value is None:
        return NONE
    filled = round(value * width)
    filled = min(filled, width - 1) if value < 1 else width
    filled = max(filled, 1) if value > 0 else 0
    return "█" * filled + "░" * (width - filled) + " " + percent(value)


def metric(entry: KeyResultProgress | ObjectiveProgress, *, bars: bool = False) -> str:
    """Metric progress (a bar with ``bars``), ``met`` / ``not met`` for a threshold."""
    if not isinstance(entry, KeyResultProgress):
        return ""
    if entry.met is not None:
        return "met" if entry.met else "not met"
    if entry.metric_progress is None:
        return NONE
    return bar(entry.metric_progress) if bars else percent(entry.metric_progress)


def delivery(entry: KeyResultProgress | ObjectiveProgress, *, bars: bool = False) -> str:
    """Delivery progress (done points / all points), as a bar with ``bars``."""
    return bar(entry.delivery_progress) if bars else percent(entry.delivery_progress)


def _number(value: float, unit: str | None) -> str:
    return f"{value_text(value)}{unit or ''}"


def value_text(value: float) -> str:
    """A metric value as written, with thousands separators (``99.97``, ``211,500``).

    Not ``readable_number``'s three significant digits: 99.97 would show as 100, on the
    wrong side of a 99.95 threshold.
    """
    return f"{value:,.10g}"


def current(entry: KeyResultProgress | ObjectiveProgress) -> str:
    """The metric's current value with its unit."""
    if not isinstance(entry, KeyResultProgress) or entry.current is None:
        return "" if not isinstance(entry, KeyResultProgress) else NONE
    return _number(entry.current, entry.unit)


def target(entry: KeyResultProgress | ObjectiveProgress) -> str:
    """``2.1 → 2.6%`` for a target, ``< 1.5%`` / ``> 99.5%`` for a threshold."""
    if not isinstance(entry, KeyResultProgress):
        return ""
    if entry.keep_below is not None:
        return f"< {_number(entry.keep_below, entry.unit)}"
    if entry.keep_above is not None:
        return f"> {_number(entry.keep_above, entry.unit)}"
    if entry.target is None:
        return NONE
    start = f"{value_text(entry.start)} → " if entry.start is not None else ""
    return start + _number(entry.target, entry.unit)


def due(entry: KeyResultProgress | ObjectiveProgress) -> str:
    """The key result's due date, ISO."""
    if not isinstance(entry, KeyResultProgress):
        return ""
    return entry.due.isoformat() if entry.due else NONE


def points(value: float) -> str:
    """Estimate points for people (``107``, ``2.5``)."""
    return readable_number(value)


def rank(entry: KeyResultProgress | ObjectiveProgress) -> str:
    """The best rank of an open item serving it."""
    return NONE if entry.best_rank is None else str(entry.best_rank)


def heading(result: OkrResult) -> str:
    """The report's first line."""
    return f"Objectives and key results: ranked by {result.model}, as of {result.as_of}"


def top_header(result: OkrResult) -> str:
    """Header of the top-N share column."""
    return f"Top {result.top}"


def warning_kind(warning: OkrWarning) -> str:
    """A warning's kind in words."""
    return WARNING_KINDS[warning.kind]


def unlinked_line(result: OkrResult) -> str | None:
    """The open points serving no key result, or None when there are none."""
    if not result.unlinked_open_items:
        return None
    items = "item" if result.unlinked_open_items == 1 else "items"
    return (
        f"Open work serving no objective or key result: {points(result.unlinked_open_points)} "
        f"points in {readable_number(result.unlinked_open_items)} {items}."
    )


def unknown_line(result: OkrResult) -> str | None:
    """Items naming an undeclared key, or None. Keys are raw: the caller escapes the line."""
    if not result.unknown_key_results:
        return None
    named = [f"{entry.item} ({entry.key})" for entry in result.unknown_key_results]
    return f"Items naming an undeclared objective or key result: {key_list(named)}."
