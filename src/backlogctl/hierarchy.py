"""Walking an item's parents: the objective an item serves through its epic, and so on."""

from __future__ import annotations

from collections.abc import Mapping

from backlogctl.models import BacklogItem


def inherited_objective(item: BacklogItem, by_key: Mapping[str, BacklogItem]) -> str | None:
    """The item's own objective, else its nearest ancestor's (parent cycles are cut)."""
    current: BacklogItem | None = item
    seen: set[str] = set()
    while current is not None and current.objective is None and current.key not in seen:
        seen.add(current.key)
        current = by_key.get(current.parent) if current.parent else None
    return None if current is None else current.objective
