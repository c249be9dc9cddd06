"""Words shared by the HTML and Markdown reports: plain text that each format escapes.

Values taken from items (a changed input that is text) stay untrusted: renderers escape
the whole sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from backlogctl.history.diff import Change
from backlogctl.insights.okr import KeyResultProgress, ObjectiveProgress
from backlogctl.output.compare_common import OPPOSED, READINGS
from backlogctl.output.text import readable_number
from backlogctl.report.history_section import TopMove
from backlogctl.report.model import ModelPair


def reading(tau: float | None) -> str:
    """Kendall tau-b in the words ``compare`` uses ("moderate agreement")."""
    if tau is None:
        return "no reading (every item ties under one of the models)"
    return next((words for floor, words in READINGS if tau >= floor), OPPOSED)


def pair_sentence(pair: ModelPair) -> str:
    """``4 of the top 10 shared; over the 62 items both score: weak agreement (Kendall τ 0.28)``."""
    sentence = (
        f"{pair.shared} of the top {min(pair.top, pair.possible)} shared; over the "
        f"{pair.compared} items both score: {reading(pair.kendall_tau)}"
    )
    if pair.kendall_tau is not None:
        sentence += f" (Kendall τ {pair.kendall_tau:.2f})"
    return sentence


def percent(share: float | None) -> str:
    """A 0..1 share as a whole percentage (``45%``); ``—`` when unknown."""
    return "—" if share is None else f"{round(share * 100)}%"


def share_of(share: float | None, top: int) -> str:
    """A share of the top N as a count (``2 of 10``); ``—`` when nothing is ranked."""
    return "—" if share is None else f"{round(share * top)} of {top}"


def delivery_words(figures: ObjectiveProgress | KeyResultProgress) -> str:
    """``45% of points delivered (12 of 27; 5 open items, 2 done, 1 without an estimate)``."""
    total = figures.open_points + figures.done_points
    words = (
        f"{percent(figures.delivery_progress)} of points delivered "
        f"({readable_number(figures.done_points)} of {readable_number(total)}; "
        f"{figures.open_items} open, {figures.done_items} done"
    )
    if figures.unestimated_open_items:
        words += f", {figures.unestimated_open_items} open without an estimate"
    return words + ")"


def any_metric(results: Sequence[KeyResultProgress]) -> bool:
    """Whether any key result has a target or a threshold (else no metric column)."""
    return any(
        value is not None
        for result in results
        for value in (result.target, result.keep_below, result.keep_above)
    )


def metric_words(result: KeyResultProgress) -> str:
    """The key result's metric: progress to its target, or whether its threshold holds."""
    unit = f" {result.unit}" if result.unit else ""
    if result.keep_below is not None or result.keep_above is not None:
        bound = "below" if result.keep_below is not None else "above"
        limit = result.keep_below if result.keep_below is not None else result.keep_above
        state = {True: "✔ met", False: "✖ not met", None: "no current value"}[result.met]
        current = "" if result.current is None else f", now {readable_number(result.current)}"
        return f"keep {bound} {readable_number(limit or 0)}{unit}: {state}{current}"
    if result.target is not None:
        start = "" if result.start is None else f"from {readable_number(result.start)} "
        now = "" if result.current is None else f", now {readable_number(result.current)}"
        return (
            f"{start}to {readable_number(result.target)}{unit}{now}: "
            f"{percent(result.metric_progress)} of the way"
        )
    return "—"


#: The stakeholder grid's quadrants in words.
GRID_WORDS = {
    "manage_closely": "manage closely",
    "keep_satisfied": "keep satisfied",
    "keep_informed": "keep informed",
    "monitor": "monitor",
}


def grid_words(quadrant: str | None) -> str:
    """A stakeholder's place on the influence/interest grid; ``—`` when unknown."""
    return "—" if quadrant is None else GRID_WORDS.get(quadrant, quadrant)


def move_words(move: TopMove) -> str:
    """``▲ 3 (was 7)``, ``▼ 2 (was 1)``, ``= (was 4)``, ``new``, ``was unscored``."""
    if move.previous is None:
        return {"new": "new", "unscored": "was unscored", "done": "reopened"}.get(
            move.then, move.then
        )
    moved = move.previous - move.rank
    if moved > 0:
        return f"▲ {moved} (was {move.previous})"
    if moved < 0:
        return f"▼ {-moved} (was {move.previous})"
    return f"= (was {move.previous})"


def change_words(changes: Sequence[Change]) -> str:
    """``rice.impact 0.25 → 3; rice.effort 2 → 1``; empty when nothing of its own changed."""
    return "; ".join(
        f"{change.field} {_value(change.old)} → {_value(change.new)}" for change in changes
    )


def _value(value: float | str | None) -> str:
    if value is None:
        return "none"
    return readable_number(value) if isinstance(value, int | float) else str(value)
