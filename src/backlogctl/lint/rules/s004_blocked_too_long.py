"""S004 blocked-too-long: an item has been blocked for too many days.

Why: a blocker that lasts more than a few days is an impediment the team or its lead should
escalate; left alone it silently eats capacity and lead time.

How to fix: escalate or remove the blocker, or move the item out of the sprint. The time is
counted from ``blocked_since``, else, for an item in a ``Blocked`` status, from
``status_changed``.

Exempt: items carrying a label listed in ``lint.exempt_labels`` (case-insensitive).

Failing example (``days: 5``, ``--as-of 2026-11-25``)::

    - key: SHOP-4
      title: PayPal payouts
      blocked_since: 2026-11-10

Passing example::

    - key: SHOP-4
      title: PayPal payouts
      blocked_since: 2026-11-20   # exactly 5 days
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field, NonNegativeInt

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem


class Options(RuleOptions):
    """Options of S004."""

    days: NonNegativeInt = Field(5, description="Days an item may stay blocked.")


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """Open items blocked for more than ``days`` days."""
    for item in items:
        if item.status_category == "done":
            continue
        since = item.blocked_since
        if since is None and item.status.strip().lower() == "blocked":
            since = item.status_changed
        if since is None:
            continue
        age = context.days_since(since)
        if age > options.days:
            yield Violation(item, f"blocked for {age} days (limit {options.days})")


RULE = Rule("S004", "blocked-too-long", "warning", __doc__ or "", Options, check)
