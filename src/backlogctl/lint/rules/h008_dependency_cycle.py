"""H008 dependency-cycle: open items that wait for each other, so none of them can start.

Why: a cycle in ``depends_on`` (in Jira, "is blocked by" links) means every item in it waits
for another item in it: planning can place none of them, and the order between them is
usually a misunderstanding worth a conversation.

How to fix: find the dependency that is not real and remove it, or split an item so that its
first part no longer waits. A dependency on an item with children (an epic) waits for its
open children, so a story that depends on its own epic is in a cycle too. Done items break
cycles.

Each cycle is reported once, on its member that comes first in the backlog: the message
walks a shortest loop from it (the first 20 keys, then how many more), and when more items
are tangled in the same knot (they all reach each other), how many and which.

Failing example::

    - key: SHOP-40
      title: Wishlist sharing
      depends_on: [SHOP-41]
    - key: SHOP-41
      title: Public wishlist pages
      depends_on: [SHOP-40]

Passing example::

    - key: SHOP-40
      title: Wishlist sharing
      depends_on: [SHOP-41]
    - key: SHOP-41
      title: Public wishlist pages
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from backlogctl.dependencies import Cycle
from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import NoOptions, Rule, Violation
from backlogctl.models import BacklogItem

#: Keys a message names at most; the rest are counted.
_LISTED = 20


def describe(cycle: Cycle) -> str:
    """The cycle in one bounded line: its loop, then the other members of its knot."""
    path = cycle.path
    if len(path) == 1:
        text = f"dependency cycle: {path[0]} depends on itself"
    elif len(path) <= _LISTED:
        text = f"dependency cycle: {' -> '.join(path)} -> {path[0]}"
    else:
        shown = " -> ".join(path[:_LISTED])
        text = f"dependency cycle of {len(path)} items: {shown} -> … and {len(path) - _LISTED} more"
    on_path = set(path)
    others = [key for key in cycle.members if key not in on_path]
    if others:
        room = max(_LISTED - len(path), 0)
        named = ", ".join(others[:room])
        rest = len(others) - room
        listing = named + (f" and {rest} more" if named and rest > 0 else "")
        if not named:
            listing = f"{rest} more"
        text += f"; {len(cycle.members)} items wait for each other in all (also {listing})"
    return text


def check(
    items: Sequence[BacklogItem], context: LintContext, options: NoOptions
) -> Iterator[Violation]:
    """One violation per dependency cycle, on its first member among ``items``."""
    handed = {item.key for item in items}
    for cycle in context.dependencies.cycles:
        first = cycle.members[0]
        if first in handed:
            yield Violation(context.by_key[first], describe(cycle))


RULE = Rule("H008", "dependency-cycle", "error", __doc__ or "", NoOptions, check)
