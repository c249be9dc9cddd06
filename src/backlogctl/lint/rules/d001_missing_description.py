"""D001 missing-description: an open item with no (or an almost empty) description.

Why: a title alone is a placeholder for a conversation, not a shared understanding. Without
a description nobody can refine, estimate or test the item except the person who wrote it.

How to fix: add a ``description`` that says who needs what and why (a user story's
"As a ... I want ... so that ..." is a good start).

Failing example (``min_length: 10``)::

    - key: SHOP-5
      title: Faster search
      description: TBD

Passing example::

    - key: SHOP-5
      title: Faster search
      description: Shoppers wait 3 s for results on mobile.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field, PositiveInt

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem


class Options(RuleOptions):
    """Options of D001."""

    min_length: PositiveInt = Field(
        10, description="Fewest characters (ignoring surrounding blanks) a description needs."
    )


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """Open items whose description is missing or shorter than ``min_length``."""
    for item in items:
        if item.status_category == "done":
            continue
        text = (item.description or "").strip()
        if not text:
            yield Violation(item, "no description")
        elif len(text) < options.min_length:
            yield Violation(
                item,
                f"description is only {len(text)} characters (at least {options.min_length})",
            )


RULE = Rule("D001", "missing-description", "warning", __doc__ or "", Options, check)
