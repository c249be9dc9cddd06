"""E003 missing-model-inputs: an open item the configured scoring model cannot score.

Why: an item the model cannot score drops out of the ranking (it is listed as unscored, never
ranked as 0), so the team's prioritization silently ignores it.

How to fix: fill in the inputs the model needs (e.g. ``rice: {reach, impact, confidence,
effort}``). An input that is present but impossible (effort 0, negative reach, confidence
150 %) is E004's finding, not this rule's: one problem, one finding. The model is the
config's ``default_model`` unless the ``model`` option names another. Item types that are
never scored (e.g. bugs triaged by severity) can be excluded with a per-type override:
``overrides: [{types: [bug], ignore: [E003]}]``.

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
from backlogctl.scoring.base import Unscorable


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
    model = context.model(options.model)
    exempt = {name.lower() for name in options.exempt_types}
    for item in items:
        if item.type.lower() in exempt or item.status_category == "done":
            continue
        outcome = context.score(model, item)
        if isinstance(outcome, Unscorable):
            reason = _reason(outcome)
            if reason is not None:
                yield Violation(item, f"cannot be scored by {model.name}: {reason}", model.name)


def _reason(outcome: Unscorable) -> str | None:
    """What E003 reports of an unscored item: its missing inputs, or the model's reason.

    None when nothing is missing and every input is a RICE, WSJF or ICE value: then the
    item is unscored because a value is impossible, which E004 reports.
    """
    if any(value is None for value in outcome.inputs.values()):
        # The reason names the missing inputs first ("missing rice.effort; rice.reach ...").
        return outcome.reason.split("; ")[0]
    if outcome.inputs and all(path.startswith(_CHECKED_BY_E004) for path in outcome.inputs):
        return None
    return outcome.reason


#: Input groups whose values E004 checks.
_CHECKED_BY_E004 = ("rice.", "wsjf.", "ice.")


RULE = Rule("E003", "missing-model-inputs", "warning", __doc__ or "", Options, check)
