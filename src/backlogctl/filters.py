"""Item filters of ``rank``: status category, label, type, assignee and objective.

Each option may be repeated: values of one option are alternatives (OR), different options
must all hold (AND). Matching is case-insensitive. ``ItemFilter()`` matches every item.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from backlogctl.hierarchy import inherited_objective
from backlogctl.models import BacklogItem


def _folded(values: Iterable[str] | None) -> frozenset[str]:
    return frozenset(value.strip().casefold() for value in values or ())


@dataclass(frozen=True, init=False)
class ItemFilter:
    """Keep items whose status category, labels, type, assignee and objective match."""

    status_categories: frozenset[str]
    labels: frozenset[str]
    types: frozenset[str]
    assignees: frozenset[str]
    objectives: frozenset[str]

    def __init__(
        self,
        *,
        status_categories: Iterable[str] | None = None,
        labels: Iterable[str] | None = None,
        types: Iterable[str] | None = None,
        assignees: Iterable[str] | None = None,
        objectives: Iterable[str] | None = None,
    ) -> None:
        # Status categories are written todo / in_progress / done, or "in-progress".
        categories = {value.replace("-", "_") for value in _folded(status_categories)}
        object.__setattr__(self, "status_categories", frozenset(categories))
        object.__setattr__(self, "labels", _folded(labels))
        object.__setattr__(self, "types", _folded(types))
        object.__setattr__(self, "assignees", _folded(assignees))
        object.__setattr__(self, "objectives", _folded(objectives))

    @property
    def selects_anything(self) -> bool:
        """True when at least one option was given (an empty filter keeps every item)."""
        return any(
            (self.status_categories, self.labels, self.types, self.assignees, self.objectives)
        )

    @property
    def selects_done(self) -> bool:
        """True when ``--status-category done`` was asked for (done items must be kept)."""
        return "done" in self.status_categories

    def matches(self, item: BacklogItem, objective: str | None = None) -> bool:
        """True when ``item`` passes every given option.

        ``objective`` is the one the item serves through its parents when it names none
        itself (see ``apply``).
        """
        checks = (
            (self.status_categories, {item.status_category}),
            (self.labels, {label.casefold() for label in item.labels}),
            (self.types, {item.type.casefold()}),
            (self.assignees, {(item.assignee or "").casefold()}),
            (self.objectives, {(item.objective or objective or "").casefold()}),
        )
        return all(not wanted or wanted & present for wanted, present in checks)

    def apply(self, items: Sequence[BacklogItem]) -> list[BacklogItem]:
        """The items that match, in their original order.

        An item serves the objective of its epic (or any ancestor) when it names none itself,
        as lint's H003 counts it: ``--objective KR-2.1`` keeps the epic's stories too.
        """
        if not self.selects_anything:
            return list(items)
        if not self.objectives:
            return [item for item in items if self.matches(item)]
        by_key = {item.key: item for item in items}
        return [item for item in items if self.matches(item, inherited_objective(item, by_key))]
