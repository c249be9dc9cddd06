"""D002 missing-acceptance-criteria: an open story without acceptance criteria.

Why: acceptance criteria are how the team and the product owner agree on "done" before the
work starts; without them the item is neither testable nor estimable.

How to fix: add ``acceptance_criteria`` (a list, or one criterion per line). Which item
types need them is the ``types`` option (default: stories only).

Failing example::

    - key: SHOP-6
      type: story
      title: Save cart across devices

Passing example::

    - key: SHOP-6
      type: story
      title: Save cart across devices
      acceptance_criteria:
        - A cart filled on mobile shows on desktop after login
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field, PositiveInt

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem


class Options(RuleOptions):
    """Options of D002."""

    types: list[str] = Field(
        default_factory=lambda: ["story"], description="Item types that need criteria."
    )
    min_criteria: PositiveInt = Field(1, description="Fewest acceptance criteria an item needs.")


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """Open items of the listed types with fewer than ``min_criteria`` criteria."""
    types = {name.lower() for name in options.types}
    for item in items:
        if item.type.lower() not in types or item.status_category == "done":
            continue
        count = len(item.acceptance_criteria or [])
        if count == 0:
            yield Violation(item, f"{item.type} has no acceptance criteria")
        elif count < options.min_criteria:
            yield Violation(
                item,
                f"{item.type} has {count} acceptance criteria (at least {options.min_criteria})",
            )


RULE = Rule("D002", "missing-acceptance-criteria", "warning", __doc__ or "", Options, check)
