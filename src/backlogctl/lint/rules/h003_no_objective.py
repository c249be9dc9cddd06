"""H003 no-objective: an open item that no objective (OKR key result) can be traced to.

Why: work that serves no objective competes for capacity with work that does; tracing items
to key results is how a team shows why it is doing what it does.

How to fix: set ``objective:`` on the item or on one of its ancestors (an item inherits its
epic's objective).

Failing example::

    - key: SHOP-16
      title: Dark mode for the admin

Passing example::

    - key: SHOP-16
      title: Dark mode for the admin
      objective: KR-2.1
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem


class Options(RuleOptions):
    """Options of H003."""

    exempt_types: list[str] = Field(
        default_factory=list, description="Item types that need no objective (e.g. bug)."
    )


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """Open items with no objective on themselves or any ancestor."""
    exempt = {name.lower() for name in options.exempt_types}
    inherited: dict[str, str | None] = {}
    for item in items:
        if item.status_category == "done" or item.type.lower() in exempt:
            continue
        if _inherited_objective(item, context.by_key, inherited) is None:
            yield Violation(item, "not linked to an objective (itself or through its parents)")


def _inherited_objective(
    item: BacklogItem, by_key: dict[str, BacklogItem], known: dict[str, str | None]
) -> str | None:
    """The objective of ``item`` or its nearest ancestor, remembered in ``known`` for every
    item of the walk: a whole backlog costs one step per item, however deep its hierarchy.
    """
    path: list[str] = []
    on_path: set[str] = set()
    current: BacklogItem | None = item
    found: str | None = None
    while current is not None:
        if current.key in known:
            found = known[current.key]
            break
        if current.objective is not None:
            found = current.objective
            break
        if current.key in on_path:  # a parent cycle without an objective (H006 reports it)
            break
        path.append(current.key)
        on_path.add(current.key)
        current = by_key.get(current.parent) if current.parent else None
    for key in path:
        known[key] = found
    return found


RULE = Rule("H003", "no-objective", "info", __doc__ or "", Options, check)
