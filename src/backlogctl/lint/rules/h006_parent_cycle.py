"""H006 parent-cycle: an item that is, through its parents, its own ancestor.

Why: a cycle in the hierarchy breaks every roll-up (progress, estimates, objectives) and
usually comes from a parent set on the wrong item.

How to fix: break the cycle by correcting one of the ``parent:`` keys.

Failing example::

    - key: SHOP-19
      title: Guest checkout
      parent: SHOP-20
    - key: SHOP-20
      title: Checkout epic
      parent: SHOP-19

Passing example::

    - key: SHOP-19
      title: Guest checkout
      parent: SHOP-20
    - key: SHOP-20
      title: Checkout epic
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import NoOptions, Rule, Violation
from backlogctl.models import BacklogItem


def check(
    items: Sequence[BacklogItem], context: LintContext, options: NoOptions
) -> Iterator[Violation]:
    """Items that reach themselves by following ``parent`` links."""
    known = context.by_key
    for item in items:
        chain = [item.key]
        current = known.get(item.parent) if item.parent else None
        while current is not None and current.key not in chain:
            chain.append(current.key)
            current = known.get(current.parent) if current.parent else None
        if current is not None and current.key == item.key:
            yield Violation(item, f"parent cycle: {' -> '.join([*chain, item.key])}")


RULE = Rule("H006", "parent-cycle", "error", __doc__ or "", NoOptions, check)
