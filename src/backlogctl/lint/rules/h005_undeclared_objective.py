"""H005 undeclared-objective: an item linked to an objective that is not declared.

Why: once a team declares its objectives and key results (``objectives:`` in the backlog or
the config), a link to anything else is a typo or a stale key result from last quarter, and
the item's contribution is counted nowhere.

How to fix: link a declared key result, or declare the missing one. The rule is silent when
no objectives are declared at all.

Failing example::

    objectives:
      - key: O-1
        key_results: [{key: KR-1.1}]
    items:
      - key: SHOP-18
        title: Faster product search
        objective: KR-9.9

Passing example::

    items:
      - key: SHOP-18
        title: Faster product search
        objective: KR-1.1
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import NoOptions, Rule, Violation
from backlogctl.models import BacklogItem


def check(
    items: Sequence[BacklogItem], context: LintContext, options: NoOptions
) -> Iterator[Violation]:
    """Open items whose ``objective`` is not a declared objective or key result (any case)."""
    declared = context.declared_objectives
    if not declared:
        return
    for item in items:
        if (
            item.objective is not None
            and item.objective.casefold() not in declared
            and item.status_category != "done"
        ):
            yield Violation(
                item, f"objective {item.objective} is not a declared key result", item.objective
            )


RULE = Rule("H005", "undeclared-objective", "warning", __doc__ or "", NoOptions, check)
