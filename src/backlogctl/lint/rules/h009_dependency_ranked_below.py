"""H009 dependency-ranked-below: an open item ranked above an open item it depends on.

Why: the team would pull the item first and then wait for work ranked further down; either
the dependency deserves the higher rank too, or the item's rank is hopeful.

How to fix: move the dependency up (or the item down), or drop a dependency that no longer
holds. Ranks are those of ``backlogctl rank`` under the ``model`` option (default:
``default_model``); items the model cannot score and members of a dependency cycle (H008)
are skipped. A dependency on an item with children (an epic) means its open children. One
finding per item names the dependency ranked lowest and how many more are ranked below it.

Failing example (under RICE, SHOP-50 scores higher than SHOP-51)::

    - key: SHOP-50
      title: One-click reorder
      depends_on: [SHOP-51]
      rice: {reach: 9000, impact: 2, confidence: 80, effort: 1}
    - key: SHOP-51
      title: Saved payment methods
      rice: {reach: 3000, impact: 1, confidence: 80, effort: 2}

Passing example: the same items with SHOP-51's reach at 50000, which ranks it first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem


class Options(RuleOptions):
    """Options of H009."""

    model: str | None = Field(None, description="Model that ranks (default: default_model).")


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """Scored open items outside cycles with a scored dependency ranked below them."""
    graph = context.dependencies
    model = context.model(options.model)
    positions: dict[str, int] | None = None
    for item in items:
        if not item.depends_on or item.is_done or graph.in_cycle(item.key):
            continue
        positions = positions if positions is not None else context.positions(model)
        rank = positions.get(item.key)
        if rank is None:
            continue
        via: dict[str, str] = {}
        for name in item.depends_on:
            for key in graph.expand(name):
                via.setdefault(key, name)
        below = sorted(
            (positions[key], key)
            for key in graph.resolved(item.key).open
            if key in positions and positions[key] > rank and not graph.in_cycle(key)
        )
        if not below:
            continue
        lowest, key = below[-1]
        through = f" (in {via[key]})" if via.get(key, key) != key else ""
        more = f", and {len(below) - 1} more of its dependencies too" if len(below) > 1 else ""
        yield Violation(
            item,
            f"ranked {rank} under {model.name} but depends on {key}{through}, "
            f"ranked {lowest}{more}",
        )


RULE = Rule("H009", "dependency-ranked-below", "warning", __doc__ or "", Options, check)
