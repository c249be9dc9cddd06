"""H002 unknown-parent: an item whose parent key is not in the backlog.

Why: a dangling parent is usually a typo or a parent that was deleted or moved; the item
silently drops out of its epic's progress and of objective traceability.

How to fix: correct the ``parent:`` key, or add the missing parent to the backlog (when the
parent lives in another source, lint all sources together).

Failing example::

    - key: SHOP-15
      title: Klarna at checkout
      parent: SHOP-999   # no such item

Passing example::

    - key: SHOP-15
      title: Klarna at checkout
      parent: SHOP-100   # an epic in the backlog
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import NoOptions, Rule, Violation
from backlogctl.models import BacklogItem


def check(
    items: Sequence[BacklogItem], context: LintContext, options: NoOptions
) -> Iterator[Violation]:
    """Items whose ``parent`` names no item of the backlog."""
    known = context.by_key
    for item in items:
        if item.parent is not None and item.parent not in known:
            yield Violation(
                item, f"parent {item.parent} is not in the backlog", subject=item.parent
            )


RULE = Rule("H002", "unknown-parent", "error", __doc__ or "", NoOptions, check)
