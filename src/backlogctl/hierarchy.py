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
