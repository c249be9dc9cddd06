"""E001 missing-estimate: an item that is ready or in progress but has no estimate.

Why: an item the team has committed to (ready for a sprint, or already started) without an
estimate means the team never talked about its size: forecasts and WIP limits go blind.

How to fix: estimate it in refinement (``estimate:`` in points or days). Which statuses count
as ready is the ``statuses`` option; every in-progress status counts. Epics are exempt by
default (their size is the sum of their children's).

Failing example::

    - key: SHOP-10
      title: Apple Pay at checkout
      status: Ready

Passing example::

    - key: SHOP-10
      title: Apple Pay at checkout
      status: Ready
      estimate: 5
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem


class Options(RuleOptions):
    """Options of E001."""

    statuses: list[str] = Field(
        default_factory=lambda: ["ready", "selected for development"],
        description="To-do statuses that mean 'ready to start' (in-progress ones always count).",
    )
    exempt_types: list[str] = Field(
        default_factory=lambda: ["epic"], description="Item types that need no estimate."
    )


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """Ready or in-progress items without an estimate."""
    ready = {status.lower() for status in options.statuses}
    exempt = {name.lower() for name in options.exempt_types}
    for item in items:
        if item.estimate is not None or item.type.lower() in exempt:
            continue
        if item.status_category == "in_progress" or (
            item.status_category == "todo" and item.status.strip().lower() in ready
        ):
            yield Violation(item, f"no estimate, yet it is {item.status}")


RULE = Rule("E001", "missing-estimate", "warning", __doc__ or "", Options, check)
