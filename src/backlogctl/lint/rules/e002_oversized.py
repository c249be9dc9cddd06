"""E002 oversized: an item estimated above the size a team can finish in one go.

Why: big items hide uncertainty, finish late and block flow; most teams split anything over
13 points (or over half a sprint) before they start it.

How to fix: split it into smaller, independently valuable items (by workflow step, by
business rule, by data variation...). Epics are exempt by default.

Failing example (``max_points: 13``)::

    - key: SHOP-11
      title: New checkout
      estimate: 21

Passing example::

    - key: SHOP-11
      title: New checkout
      estimate: 13
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field, NonNegativeFloat

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem


class Options(RuleOptions):
    """Options of E002."""

    max_points: NonNegativeFloat = Field(13, description="Largest estimate that needs no split.")
    exempt_types: list[str] = Field(
        default_factory=lambda: ["epic"], description="Item types whose size is not checked."
    )


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """Open items estimated above ``max_points``."""
    exempt = {name.lower() for name in options.exempt_types}
    for item in items:
        if item.estimate is None or item.type.lower() in exempt or item.status_category == "done":
            continue
        if item.estimate > options.max_points:
            yield Violation(
                item, f"estimate {item.estimate:g} is above {options.max_points:g}: split it"
            )


RULE = Rule("E002", "oversized", "warning", __doc__ or "", Options, check)
