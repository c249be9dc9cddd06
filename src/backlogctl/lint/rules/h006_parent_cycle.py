"""H006 parent-cycle: an item that is, through its parents, its own ancestor.

Why: a cycle in the hierarchy breaks every roll-up (progress, estimates, objectives) and
usually comes from a parent set on the wrong item.

How to fix: break the cycle by correcting one of the ``parent:`` keys.

Each cycle is reported once, on its member that comes first in the backlog, listing the
cycle's keys in parent order (the first ten, then how many more).

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

#: Keys of a cycle listed in its message; a longer cycle says how many more it has.
_LISTED = 10


def parent_cycles(items: Sequence[BacklogItem], by_key: dict[str, BacklogItem]) -> list[list[str]]:
    """Every parent cycle once, as keys in parent order from its first member in ``items``.

    Linear: each item's chain is followed only until it reaches an item already walked.
    """
    walked: set[str] = set()
    cycles: list[list[str]] = []
    for start in items:
        path: dict[str, int] = {}  # keys of this walk, in order (dicts keep insertion order)
        current: BacklogItem | None = start
        while current is not None and current.key not in walked and current.key not in path:
            path[current.key] = len(path)
            current = by_key.get(current.parent) if current.parent else None
        if current is not None and current.key in path:
            cycles.append(list(path)[path[current.key] :])
        walked.update(path)
    if not cycles:
        return []
    position = {item.key: index for index, item in enumerate(items)}
    rotated = []
    for cycle in cycles:
        first = min(range(len(cycle)), key=lambda index: position.get(cycle[index], len(items)))
        rotated.append(cycle[first:] + cycle[:first])
    return rotated


def check(
    items: Sequence[BacklogItem], context: LintContext, options: NoOptions
) -> Iterator[Violation]:
    """One violation per parent cycle, on its first member among ``items``."""
    handed = {item.key for item in items}
    for cycle in parent_cycles(context.items, context.by_key):
        item = context.by_key[cycle[0]]
        if item.key not in handed:
            continue
        shown = cycle[:_LISTED]
        more = f" -> … ({len(cycle) - _LISTED} more)" if len(cycle) > _LISTED else ""
        yield Violation(
            item,
            f"parent cycle of {len(cycle)} items: {' -> '.join(shown)}{more} -> {item.key}",
        )


RULE = Rule("H006", "parent-cycle", "error", __doc__ or "", NoOptions, check)
