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
    inherited = context.inherited_objectives
    for item in items:
        if item.status_category == "done" or item.type.lower() in exempt:
            continue
        if inherited.get(item.key) is None:
            yield Violation(item, "not linked to an objective (itself or through its parents)")


RULE = Rule("H003", "no-objective", "info", __doc__ or "", Options, check)
