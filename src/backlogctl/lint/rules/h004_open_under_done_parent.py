"""H004 open-under-done-parent: an open item whose parent is already done.

Why: either the parent was closed too early (its progress and release notes are wrong) or
the child is leftover scope that nobody decided about.

How to fix: reopen the parent, move the item under an open parent, or close the item.

Failing example::

    - key: SHOP-100
      title: Checkout overhaul
      type: epic
      status: Done
    - key: SHOP-17
      title: One-click reorder
      parent: SHOP-100

Passing example::

    - key: SHOP-100
      title: Checkout overhaul
      type: epic
      status: In Progress
    - key: SHOP-17
      title: One-click reorder
      parent: SHOP-100
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import NoOptions, Rule, Violation
from backlogctl.models import BacklogItem


def check(
    items: Sequence[BacklogItem], context: LintContext, options: NoOptions
) -> Iterator[Violation]:
    """Open items under a parent whose status category is done."""
    known = context.by_key
    for item in items:
        parent = known.get(item.parent) if item.parent else None
        if parent is not None and parent.is_done and item.status_category != "done":
            yield Violation(
                item, f"open, but its parent {parent.key} is {parent.status}", subject=parent.key
            )


RULE = Rule("H004", "open-under-done-parent", "warning", __doc__ or "", NoOptions, check)
