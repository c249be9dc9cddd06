"""W003 rank-drift: the team's manual order disagrees with its own scoring model.

Why: when the stored ``rank`` of an item is far from where the configured model puts it,
either the inputs are wrong or the order is driven by something the model does not capture
(a deadline, a dependency, a loud stakeholder). Both deserve a conversation.

How to fix: re-check the item's scoring inputs, re-rank it, or record why it is where it is.
Positions are those of ``backlogctl rank`` (1 = top): they count the open items the model
(``model`` option, default ``default_model``) can score, in the order ``rank`` shows them.
The stored position counts the same items in stored ``rank`` order, items without a stored
rank last; only items with a stored rank are checked.

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
    model = context.model(options.model)
    # Every scorable open item of the backlog, as `backlogctl rank` counts them, even when
    # overrides hand this rule only some items (shared with H009 through the context).
    computed = context.positions(model)
    by_key = context.by_key
    with_rank = [by_key[key] for key in computed if by_key[key].rank is not None]
    stored_order = sorted(with_rank, key=attrgetter("rank", "key"))
    handed = {item.key for item in items}
    limit, name = options.max_drift, model.name
    for stored, item in enumerate(stored_order, start=1):
        position = computed[item.key]
        drift = abs(position - stored)
        if drift > limit and item.key in handed:
            yield Violation(
                item,
                f"stored rank puts it at position {stored}, {name} at {position} "
                f"(drift {drift} > {limit})",
                subject=name,
            )


RULE = Rule("W003", "rank-drift", "info", __doc__ or "", Options, check)
