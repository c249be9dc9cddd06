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
    stored_keys: list[tuple[int, str]] = []  # (rank, key) of each entry, in the same order
    for item in items:
        rank = item.rank
        if rank is not None and item.status_category != "done":
            outcome = context.score(model, item)
            if isinstance(outcome, tuple):
                # An entry's source_index is its index in ``scored``: its computed position is
                # then found in a list, and its stored order sorted from keys read here, while
                # the item is in the CPU cache (this rule sees every ranked item of a backlog).
                scored.append(RankedEntry(item, *outcome, None, len(scored)))
                stored_keys.append((rank, item.key))
    # The scores are the run's cached ones (E003 computed them): order them exactly as
    # `backlogctl rank` would, tie-breaks included.
    computed = [0] * len(scored)
    for position, entry in enumerate(order_entries(scored), start=1):
        computed[entry.source_index] = position
    stored_order = sorted(range(len(scored)), key=stored_keys.__getitem__)
    limit, name = options.max_drift, model.name
    for stored, index in enumerate(stored_order, start=1):
        position = computed[index]
        drift = abs(position - stored)
        if drift > limit:
            yield Violation(
                scored[index].item,
                f"stored rank puts it at position {stored}, {name} at {position} "
                f"(drift {drift} > {limit})",
                subject=name,
            )


RULE = Rule("W003", "rank-drift", "info", __doc__ or "", Options, check)
