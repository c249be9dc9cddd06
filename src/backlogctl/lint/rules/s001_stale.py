"""S001 stale: an open item nobody has touched for a long time.

Why: a backlog item untouched for months is rarely still true. Its context, estimate and
priority have drifted, yet it keeps taking space in every refinement and every ranking.

How to fix: revisit it (update, re-estimate, re-rank) or close it as won't do. The age is
counted from ``updated`` (else ``created``) to the ``--as-of`` day.

Exempt: items carrying a label listed in ``lint.exempt_labels`` (case-insensitive).

Failing example (``days: 90``, ``--as-of 2026-11-25``)::

    - key: SHOP-1
      title: Gift wrapping option
      updated: 2026-08-01   # 116 days ago

Passing example::

    - key: SHOP-1
      title: Gift wrapping option
      updated: 2026-08-27   # exactly 90 days ago: not stale yet
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field, NonNegativeInt

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem


class Options(RuleOptions):
    """Options of S001."""

    days: NonNegativeInt = Field(90, description="Days without an update before an item is stale.")


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """Open items whose last update is more than ``days`` days before the as-of day."""
    for item in items:
        moment = item.updated or item.created
        if moment is None or item.status_category == "done":
            continue
        age = context.days_since(moment)
        if age > options.days:
            yield Violation(item, f"not updated for {age} days (limit {options.days})")


RULE = Rule("S001", "stale", "warning", __doc__ or "", Options, check)
