"""W001 unassigned-in-progress: an item in progress that nobody is assigned to.

Why: "in progress" with no owner means either nobody is working on it (it should go back to
the backlog) or someone is and the board lies; both break daily coordination.

How to fix: assign the person working on it, or move it back to a to-do status.

Failing example::

    - key: SHOP-20
      title: Retry failed payments
      status: In Progress

Passing example::

    - key: SHOP-20
      title: Retry failed payments
      status: In Progress
      assignee: ana
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import NoOptions, Rule, Violation
from backlogctl.models import BacklogItem


def check(
    items: Sequence[BacklogItem], context: LintContext, options: NoOptions
) -> Iterator[Violation]:
    """In-progress items without an assignee."""
    for item in items:
        if item.status_category == "in_progress" and not (item.assignee or "").strip():
            yield Violation(item, f"{item.status}, but nobody is assigned")


RULE = Rule("W001", "unassigned-in-progress", "warning", __doc__ or "", NoOptions, check)
