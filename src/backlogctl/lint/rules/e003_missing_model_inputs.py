"""E003 missing-model-inputs: an open item the configured scoring model cannot score.

Why: an item the model cannot score drops out of the ranking (it is listed as unscored, never
ranked as 0), so the team's prioritization silently ignores it.

How to fix: fill in the inputs the model needs (e.g. ``rice: {reach, impact, confidence,
effort}``). The model is the config's ``default_model`` unless the ``model`` option names
another. Item types that are never scored (e.g. bugs triaged by severity) can be excluded
with a per-type override: ``overrides: [{types: [bug], ignore: [E003]}]``.

Failing example (model ``rice``)::

    - key: SHOP-12
      title: Wishlist sharing
      rice: {reach: 500, impact: 1}

Passing example::

    - key: SHOP-12
      title: Wishlist sharing
      rice: {reach: 500, impact: 1, confidence: 0.8, effort: 2}
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem


class Options(RuleOptions):
    """Options of E003."""

    model: str | None = Field(None, description="Model to check (default: default_model).")
    exempt_types: list[str] = Field(
        default_factory=lambda: ["epic"], description="Item types that are not scored."
    )


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """Open items for which the model returns ``Unscorable``, with the model's reason."""
    from backlogctl.scoring.base import Unscorable

    model = context.model(options.model)
    exempt = {name.lower() for name in options.exempt_types}
    for item in items:
        if item.type.lower() in exempt or item.status_category == "done":
            continue
        outcome = context.score(model, item)
        if isinstance(outcome, Unscorable):
            yield Violation(
                item, f"cannot be scored by {model.name}: {outcome.reason}", subject=model.name
            )


RULE = Rule("E003", "missing-model-inputs", "warning", __doc__ or "", Options, check)
