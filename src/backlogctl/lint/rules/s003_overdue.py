"""S003 overdue: an open item whose due date has passed.

Why: a missed due date that nobody reacts to turns every date in the backlog into fiction;
stakeholders stop trusting the plan.

How to fix: finish it, or agree a new date with its stakeholders and update ``due`` (or
remove a date that was never a real commitment).

Exempt: items carrying a label listed in ``lint.exempt_labels`` (case-insensitive).

Failing example (``grace_days: 0``, ``--as-of 2026-11-25``)::

    - key: SHOP-3
      title: Black Friday banner
      due: 2026-11-20

Passing example::

    - key: SHOP-3
      title: Black Friday banner
      due: 2026-11-25   # due today: not overdue yet
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field, NonNegativeInt

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem


class Options(RuleOptions):
    """Options of S003."""

    grace_days: NonNegativeInt = Field(
        0, description="Days past the due date before the item is reported."
    )


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """Open items due more than ``grace_days`` days before the as-of day."""
    for item in items:
        if item.due is None or item.status_category == "done":
            continue
        late = context.days_since(item.due)
        if late > options.grace_days:
            yield Violation(item, f"overdue by {late} days (due {item.due.date().isoformat()})")


RULE = Rule("S003", "overdue", "warning", __doc__ or "", Options, check)
