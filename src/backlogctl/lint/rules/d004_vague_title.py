"""D004 vague-title: an open item whose title is too short to say what it is about.

Why: "Fix bug" or "Search" cannot be ranked, discussed or found again; a title is the only
thing most people read in a board or a ranking.

How to fix: say what changes for whom, e.g. "Show delivery date on the product page".
Epics are exempt by default (``exempt_types``): their names are often short themes.

Failing example (``min_words: 3``)::

    - key: SHOP-7
      title: Fix bug

Passing example::

    - key: SHOP-7
      title: Fix coupon rounding
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field, PositiveInt

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem


class Options(RuleOptions):
    """Options of D004."""

    min_words: PositiveInt = Field(3, description="Fewest words a title needs.")
    exempt_types: list[str] = Field(
        default_factory=lambda: ["epic"], description="Item types whose titles are not checked."
    )


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """Open items whose title has fewer than ``min_words`` words."""
    exempt = {name.lower() for name in options.exempt_types}
    for item in items:
        if item.type.lower() in exempt or item.status_category == "done":
            continue
        words = len(item.title.split())
        if words < options.min_words:
            yield Violation(
                item, f"title has {words} word(s) (at least {options.min_words}): say what changes"
            )


RULE = Rule("D004", "vague-title", "info", __doc__ or "", Options, check)
