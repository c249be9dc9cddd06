"""H001 no-parent: an open item that belongs to no epic or parent.

Why: orphan items are invisible in roadmap views and epic burn-ups, and usually nobody has
asked which larger outcome they serve.

How to fix: set ``parent:`` to the epic (or feature) it contributes to. Top-level types
(``exempt_types``, default epic, initiative, theme) need no parent, nor do bugs
(they are triaged, not planned under an epic).

Failing example::

    - key: SHOP-14
      title: Show delivery date on product page

Passing example::

    - key: SHOP-14
      title: Show delivery date on product page
      parent: SHOP-100
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem


class Options(RuleOptions):
    """Options of H001."""

    exempt_types: list[str] = Field(
        default_factory=lambda: ["epic", "initiative", "theme", "bug"],
        description="Top-level item types that need no parent.",
    )


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """Open, non-top-level items without a parent."""
    exempt = {name.lower() for name in options.exempt_types}
    for item in items:
        if (
            item.parent is None
            and item.status_category != "done"
            and item.type.lower() not in exempt
        ):
            yield Violation(item, f"{item.type} has no parent epic")


RULE = Rule("H001", "no-parent", "info", __doc__ or "", Options, check)
