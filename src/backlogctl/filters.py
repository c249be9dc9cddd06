"""Item filters shared by ``rank``, ``compare`` and ``lint``.

Each option may be repeated: values of one option are alternatives (OR), different options
must all hold (AND). Matching is case-insensitive. ``ItemFilter()`` matches every item.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
    def selects_done(self) -> bool:
        """True when ``--status-category done`` was asked for (done items must be kept)."""
        return "done" in self.status_categories

    def matches(self, item: BacklogItem) -> bool:
        """True when ``item`` passes every given option."""
        checks = (
            (self.status_categories, {item.status_category}),
            (self.labels, {label.casefold() for label in item.labels}),
            (self.types, {item.type.casefold()}),
            (self.assignees, {(item.assignee or "").casefold()}),
            (self.objectives, {(item.objective or "").casefold()}),
        )
        return all(not wanted or wanted & present for wanted, present in checks)

    def apply(self, items: Sequence[BacklogItem]) -> list[BacklogItem]:
        """The items that match, in their original order."""
        return [item for item in items if self.matches(item)]
