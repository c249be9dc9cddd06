"""Walking parents: the objective an item serves through its epic, and what an objective covers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from backlogctl.models import BacklogItem, Objective


def inherited_objective(item: BacklogItem, by_key: Mapping[str, BacklogItem]) -> str | None:
    """The item's own objective, else its nearest ancestor's (parent cycles are cut)."""
    current: BacklogItem | None = item
    seen: set[str] = set()
    while current is not None and current.objective is None and current.key not in seen:
        seen.add(current.key)
        current = by_key.get(current.parent) if current.parent else None
    return None if current is None else current.objective


def key_results(objective: Objective) -> list[str]:
    """Keys of the ``key_results:`` declared under ``objective`` (entries without a key skipped)."""
    declared = (objective.model_extra or {}).get("key_results") or []
    return [str(entry["key"]) for entry in declared if isinstance(entry, dict) and entry.get("key")]


def declared_keys(objectives: Iterable[Objective]) -> set[str]:
    """Every declared objective and key result key."""
    return {key for objective in objectives for key in (objective.key, *key_results(objective))}


def covered_objectives(wanted: Iterable[str], objectives: Iterable[Objective]) -> set[str]:
    """``wanted`` plus every key result and sub-objective under them, casefolded.

    An objective covers its ``key_results:`` and the objectives whose ``parent`` it is, down
    any depth: filtering on an objective keeps the work linked to its key results.
    """
    children: dict[str, set[str]] = {}
    for objective in objectives:
        key = objective.key.casefold()
        children.setdefault(key, set()).update(
            result.casefold() for result in key_results(objective)
        )
        if objective.parent:
            children.setdefault(objective.parent.casefold(), set()).add(key)
    covered: set[str] = set()
    pending = [key.casefold() for key in wanted]
    while pending:
        key = pending.pop()
        if key not in covered:
            covered.add(key)
            pending.extend(children.get(key, ()))
    return covered


def inherited_objectives(items: Iterable[BacklogItem]) -> dict[str, str | None]:
    """Every item's objective, its own or its nearest ancestor's, by item key.

    Linear in the backlog however deep its hierarchy (``inherited_objective`` walks each
    item's whole chain): each walk stops at an item whose answer is already known, and
    records its answer for every item it passed. A parent cycle without an objective gives
    None to its members.
    """
    by_key = {item.key: item for item in items}
    known: dict[str, str | None] = {}
    for item in by_key.values():
        path: list[str] = []
        on_path: set[str] = set()
        current: BacklogItem | None = item
        found: str | None = None
        while current is not None:
            if current.key in known:
                found = known[current.key]
                break
            if current.key in on_path:
                break
            path.append(current.key)
            on_path.add(current.key)
            if current.objective is not None:
                found = current.objective
                break
            current = by_key.get(current.parent) if current.parent else None
        for key in path:
            known[key] = found
    return known


def container_keys(items: Iterable[BacklogItem]) -> frozenset[str]:
    """Keys of the items that are some other item's parent in the backlog (epics).

    A container's own estimate is not work of its own: its children's estimates are.
    """
    listed = list(items)
    keys = {item.key for item in listed}
    return frozenset(
        item.parent
        for item in listed
        if item.parent is not None and item.parent in keys and item.parent != item.key
    )
