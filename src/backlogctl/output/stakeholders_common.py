"""Cells of the ``stakeholders`` report shared by the table and Markdown renderers.

Functions return plain text built from the result; callers escape it for their format
(``shown`` for tables, ``markdown_cell`` for Markdown): names and keys are untrusted.
"""

from __future__ import annotations

from collections.abc import Callable

from backlogctl.insights.stakeholders import StakeholderResult, StakeholderSummary
from backlogctl.output.text import key_list

NONE = "-"
#: Open items named in the summary's "Next up" cell.
NEXT_UP = 3

QUADRANTS = {
    "manage_closely": "manage closely",
    "keep_satisfied": "keep satisfied",
    "keep_informed": "keep informed",
    "monitor": "monitor",
}


def heading(result: StakeholderResult) -> str:
    """The report's first line."""
    return (
        f"Stakeholders: ranked by {result.model}, as of {result.as_of}, "
        f"delivered since {result.since}"
    )


def grid(entry: StakeholderSummary, *, declarations: bool = True) -> str:
    """The grid quadrant in words; ``undeclared`` for a name nobody declared (when some
    stakeholder is declared: ``declarations``)."""
    if not entry.declared and declarations:
        return "undeclared"
    return QUADRANTS[entry.quadrant] if entry.quadrant else NONE


def level(value: str | None) -> str:
    """An influence or interest level, ``-`` when unknown."""
    return value or NONE


def waiting(entry: StakeholderSummary, escape: Callable[[str], str]) -> str:
    """``30 days (SHOP-4)``: the oldest waiting to-do item's age and (escaped) key."""
    if entry.oldest_waiting_days is None or entry.oldest_waiting is None:
        return NONE
    days = "day" if entry.oldest_waiting_days == 1 else "days"
    return f"{entry.oldest_waiting_days} {days} ({escape(entry.oldest_waiting)})"


def next_up(
    entry: StakeholderSummary, escape: Callable[[str], str], *, markdown: bool = False
) -> str:
    """The first open items with their ranks: ``S-1 #1, S-4 #2, E-1`` (unscored: no rank).

    Markdown says ``S-1 (rank 1)``: GitHub reads ``#1`` as a link to issue 1.
    """
    if not entry.open:
        return NONE
    named = [
        escape(item.key)
        if item.rank is None
        else f"{escape(item.key)} (rank {item.rank})"
        if markdown
        else f"{escape(item.key)} #{item.rank}"
        for item in entry.open
    ]
    return key_list(named, NEXT_UP)


def top_header(result: StakeholderResult) -> str:
    """Header of the in-top-N column."""
    return f"Top {result.top}"


def undeclared_line(result: StakeholderResult) -> str | None:
    """Names items use that nobody declared (None when nobody is declared at all)."""
    if not result.undeclared or not result.any_declared:
        return None
    return f"Named by items but not declared: {', '.join(result.undeclared)}."
