"""W003 rank-drift: the team's manual order disagrees with its own scoring model.

Why: when the stored ``rank`` of an item is far from where the configured model puts it,
either the inputs are wrong or the order is driven by something the model does not capture
(a deadline, a dependency, a loud stakeholder). Both deserve a conversation.

How to fix: re-check the item's scoring inputs, re-rank it, or record why it is where it is.
Only open items that have a ``rank`` and can be scored are compared: positions are counted
among them (1 = top) under the model (``model`` option, default ``default_model``).

Failing example (``max_drift: 20``): an item stored at rank 1 that the model puts 25th among
the ranked items.

Passing example: the same item put 21st by the model (a drift of exactly 20 positions).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from operator import attrgetter

from pydantic import Field, NonNegativeInt

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem


class Options(RuleOptions):
    """Options of W003."""

    max_drift: NonNegativeInt = Field(
        20, description="Positions an item's stored rank may differ from the model's rank."
    )
    model: str | None = Field(None, description="Model to compare with (default: default_model).")


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """Ranked, scorable open items whose stored and computed positions differ too much."""
    from backlogctl.scoring.ranking import RankedEntry, order_entries

    model = context.model(options.model)
    scored: list[RankedEntry] = []
    for item in items:
        if item.rank is not None and item.status_category != "done":
            outcome = context.score(model, item)
            if isinstance(outcome, tuple):
                scored.append(RankedEntry(item, *outcome))
    # The scores are the run's cached ones (E003 computed them): order them exactly as
    # `backlogctl rank` would, tie-breaks included. Entries are matched by identity, and the
    # sort keys are C-level getters: this rule sees every ranked item of a 100k backlog.
    computed = {id(entry): position for position, entry in enumerate(order_entries(scored), 1)}
    stored_order = sorted(scored, key=_STORED_ORDER)
    limit, name = options.max_drift, model.name
    for stored, entry in enumerate(stored_order, start=1):
        position = computed[id(entry)]
        drift = abs(position - stored)
        if drift > limit:
            yield Violation(
                entry.item,
                f"stored rank puts it at position {stored}, {name} at {position} "
                f"(drift {drift} > {limit})",
                subject=name,
            )


_STORED_ORDER = attrgetter("item.rank", "item.key")


RULE = Rule("W003", "rank-drift", "info", __doc__ or "", Options, check)
