"""Item filters of ``rank``: status category, label, type, assignee and objective.

Each option may be repeated: values of one option are alternatives (OR), different options
must all hold (AND). Matching is case-insensitive. ``ItemFilter()`` matches every item.
An objective covers its key results: ``--objective O1`` keeps the work linked to KR-1.x.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from backlogctl.hierarchy import covered_objectives, declared_keys, inherited_objective
from backlogctl.models import BacklogItem, Objective
from backlogctl.sanitize import quoted

#: Item types every tracker knows: asking for one of them is never a typo, even when the
#: backlog has none (an empty result is then the answer).
COMMON_TYPES = ("epic", "story", "task", "bug", "spike", "subtask")


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
    #: The values as given, for messages (folded values serve matching).
    given: tuple[tuple[str, tuple[str, ...]], ...]

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
        given = (
            ("label", tuple(labels or ())),
            ("type", tuple(types or ())),
            ("assignee", tuple(assignees or ())),
            ("objective", tuple(objectives or ())),
        )
        object.__setattr__(self, "given", given)

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

    def matches(
        self, item: BacklogItem, objective: str | None = None, covered: frozenset[str] = frozenset()
    ) -> bool:
        """True when ``item`` passes every given option.

        ``objective`` is the one the item serves through its parents when it names none
        itself; ``covered`` the objectives the wanted ones cover (see ``apply``).
        """
        checks = (
            (self.status_categories, {item.status_category}),
            (self.labels, {label.casefold() for label in item.labels}),
            (self.types, {item.type.casefold()}),
            (self.assignees, {(item.assignee or "").casefold()}),
            (covered or self.objectives, {(item.objective or objective or "").casefold()}),
        )
        return all(not wanted or wanted & present for wanted, present in checks)

    def apply(
        self, items: Sequence[BacklogItem], objectives: Sequence[Objective] = ()
    ) -> list[BacklogItem]:
        """The items that match, in their original order.

        An item serves the objective of its epic (or any ancestor) when it names none itself,
        as lint's H003 counts it: ``--objective KR-2.1`` keeps the epic's stories too. A
        declared objective (``objectives``) covers its key results and sub-objectives.
        """
        if not self.selects_anything:
            return list(items)
        if not self.objectives:
            return [item for item in items if self.matches(item)]
        covered = frozenset(covered_objectives(self.objectives, objectives))
        by_key = {item.key: item for item in items}
        return [
            item for item in items if self.matches(item, inherited_objective(item, by_key), covered)
        ]

    def notes(
        self, items: Sequence[BacklogItem], objectives: Sequence[Objective] = ()
    ) -> list[str]:
        """One line per value that no item has and that is not a known value, with close matches.

        Known values: the common item types and the declared objectives; asking for one of
        them is not a typo even when no item has it.
        """
        by_key = {item.key: item for item in items}
        present: dict[str, set[str]] = {
            "label": {label for item in items for label in item.labels},
            "type": {item.type for item in items},
            "assignee": {item.assignee for item in items if item.assignee},
            "objective": {
                objective
                for item in items
                if (objective := inherited_objective(item, by_key)) is not None
            },
        }
        known = {"type": set(COMMON_TYPES), "objective": declared_keys(objectives)}
        lines = []
        for option, values in self.given:
            candidates = present[option] | known.get(option, set())
            folded = {candidate.casefold(): candidate for candidate in candidates}
            for value in values:
                if value.strip().casefold() in folded:
                    continue
                lines.append(_no_item(option, value, _close(value, folded)))
        return lines


_NO_ITEM = {
    "label": "no item has label",
    "type": "no item has type",
    "assignee": "no item is assigned to",
    "objective": "no item serves objective",
}


def _close(value: str, folded: dict[str, str]) -> list[str]:
    """Up to three known spellings close to ``value``."""
    matches = difflib.get_close_matches(value.strip().casefold(), folded, n=3)
    return [folded[match] for match in matches]


def _no_item(option: str, value: str, close: list[str]) -> str:
    line = f"{_NO_ITEM[option]} {quoted(value)}"
    if not close:
        return line
    options = [quoted(match) for match in close]
    alternatives = (
        options[0] if len(options) == 1 else f"{', '.join(options[:-1])} or {options[-1]}"
    )
    return f"{line} (did you mean {alternatives}?)"
