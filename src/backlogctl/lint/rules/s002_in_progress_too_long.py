"""S002 in-progress-too-long: an item has been in progress for too many days.

Why: work that stays in progress for weeks hides a problem (too big, blocked, forgotten) and
stretches lead time. Flow improves when items are small and finished before new ones start.

How to fix: split the item, swarm on it, or move it back to the backlog. The time is counted
from ``status_changed`` (when it entered its current status), else from ``updated``.

Exempt: items carrying a label listed in ``lint.exempt_labels`` (case-insensitive).

Failing example (``days: 14``, ``--as-of 2026-11-25``)::

    - key: SHOP-2
      title: Checkout redesign
      status: In Progress
      status_changed: 2026-11-01   # 24 days

Passing example::

    - key: SHOP-2
      title: Checkout redesign
      status: In Progress
      status_changed: 2026-11-11   # exactly 14 days
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field, NonNegativeInt

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem


class Options(RuleOptions):
    """Options of S002."""

    days: NonNegativeInt = Field(14, description="Days an item may stay in progress.")


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """In-progress items whose status changed more than ``days`` days ago."""
    for item in items:
        if item.status_category != "in_progress":
            continue
        since = item.status_changed or item.updated
        if since is None:
            continue
        age = context.days_since(since)
        if age > options.days:
            yield Violation(
                item, f"in progress ({item.status}) for {age} days (limit {options.days})"
            )


RULE = Rule("S002", "in-progress-too-long", "warning", __doc__ or "", Options, check)
