"""The exact method of ``plan --strategy value``: one sprint's best set as a 0/1 knapsack.

Items linked by dependencies form groups; a group is offered as its dependency-respecting
subsets (each item only with all its dependencies in the group), of which at most one is
taken: a multiple-choice knapsack, solved by dynamic programming over the capacity in integer
steps. Estimates and capacity are scaled by the smallest step present (0.5 points: ×2).

Exact while (options × capacity steps) stays within ``EXACT_LIMIT`` and every group within
``GROUP_LIMIT`` subsets; otherwise the caller falls back to the greedy method and says why.

Unlinked items of one weight are cut to the best ``capacity // weight`` before the dynamic
programme: any selection using a lesser one of that weight leaves one of the best out and
can swap it in without losing score, so the optimum is kept.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: Options × capacity steps up to which the exact method runs.
EXACT_LIMIT = 50_000_000
#: Dependency-respecting subsets a group may have (within the capacity) for the exact method.
GROUP_LIMIT = 4096
#: Largest scale tried for fractional estimates (a step of 0.001 points).
MAX_SCALE = 1000
_INTEGRAL = 1e-9


@dataclass(frozen=True)
class ExactChoice:
    """The best set for one sprint, and how large the solved problem was."""

    keys: frozenset[str]
    score: float
    options: int
    steps: int
    scale: int


@dataclass(frozen=True)
class NotExact:
    """Why the exact method did not run for a sprint (said in the output)."""

    why: str


def integer_scale(values: Sequence[float]) -> int | None:
    """The smallest factor (1 to ``MAX_SCALE``) making every value a whole number, or None."""
    distinct = set(values)
    for scale in range(1, MAX_SCALE + 1):
        if all(
            abs(value * scale - round(value * scale)) <= _INTEGRAL * scale for value in distinct
        ):
            return scale
    return None


def best_set(
    keys: Sequence[str],
    weight: Mapping[str, float],
    value: Mapping[str, float],
    deps: Mapping[str, Sequence[str]],
    room: float,
) -> ExactChoice | NotExact:
    """The highest-scoring subset of ``keys`` (in model order) within ``room`` points in which
    every item's dependencies among ``keys`` are present too.

    ``deps`` are each key's dependencies that are still to be placed (others are met).
    """
    scale = integer_scale([*(weight[key] for key in keys), room])
    if scale is None:
        return NotExact(
            f"estimates and capacity have no common step of {1 / MAX_SCALE:g} points or more"
        )
    if room * scale + 1 > EXACT_LIMIT:
        return NotExact(f"a capacity of {room * scale + 1:,.0f} steps exceeds {EXACT_LIMIT:,}")
    capacity = math.floor(room * scale + _INTEGRAL * scale)
    scaled = {key: round(weight[key] * scale) for key in keys}
    groups, singles = _groups(keys, deps)
    options: list[list[tuple[int, float, tuple[str, ...]]]] = []
    for members in groups:
        subsets = _subsets(members, deps, scaled, value, capacity)
        if subsets is None:
            return NotExact(
                f"{len(members):,} linked items have more than {GROUP_LIMIT:,} "
                "dependency-respecting subsets"
            )
        options.append(subsets)
    options += [
        [(scaled[key], value[key], (key,))]
        for key in _best_singles(singles, scaled, value, capacity)
    ]
    count = sum(len(group) for group in options)
    steps = capacity + 1
    if count * steps > EXACT_LIMIT:
        return NotExact(f"{count:,} options × {steps:,} capacity steps exceed {EXACT_LIMIT:,}")
    chosen, score = _solve(options, capacity)
    return ExactChoice(frozenset(chosen), score, count, steps, scale)


def _groups(
    keys: Sequence[str], deps: Mapping[str, Sequence[str]]
) -> tuple[list[list[str]], list[str]]:
    """Connected components (by dependency links among ``keys``) of two or more, in model
    order, and the unlinked keys."""
    present = set(keys)
    parent = {key: key for key in keys}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for key in keys:
        for dep in deps.get(key, ()):
            if dep in present:
                parent[find(key)] = find(dep)
    members: dict[str, list[str]] = {}
    for key in keys:
        members.setdefault(find(key), []).append(key)
    # Components are met in model order of their first member: the list keeps that order.
    groups = [group for group in members.values() if len(group) > 1]
    singles = [key for key in keys if len(members[find(key)]) == 1]
    return groups, singles


def _best_singles(
    singles: Sequence[str], scaled: Mapping[str, int], value: Mapping[str, float], capacity: int
) -> list[str]:
    """The unlinked items worth offering: positive score, and per weight only the best
    ``capacity // weight`` (all of weight 0); model order kept."""
    by_weight: dict[int, list[str]] = {}
    for key in singles:
        if value[key] > 0 and scaled[key] <= capacity:
            by_weight.setdefault(scaled[key], []).append(key)
    kept: set[str] = set()
    for size, same in by_weight.items():
        limit = len(same) if size == 0 else capacity // size
        # sorted() is stable: among equal scores the earlier in model order stays.
        kept.update(sorted(same, key=lambda key: -value[key])[:limit])
    return [key for key in singles if key in kept]


def _subsets(
    members: Sequence[str],
    deps: Mapping[str, Sequence[str]],
    scaled: Mapping[str, int],
    value: Mapping[str, float],
    capacity: int,
) -> list[tuple[int, float, tuple[str, ...]]] | None:
    """The group's non-empty dependency-respecting subsets within ``capacity`` (None beyond
    ``GROUP_LIMIT``), as (weight, score, keys)."""
    ordered = _topological(members, deps)
    bit = {key: 1 << index for index, key in enumerate(ordered)}
    needs = [sum(bit[dep] for dep in set(deps.get(key, ())) if dep in bit) for key in ordered]
    found: list[tuple[int, float, tuple[str, ...]]] = []
    work: list[tuple[int, int, int, float]] = [(0, 0, 0, 0.0)]
    # Each subset is reached through at most one step per member: a large group with many
    # subsets gives up after this many steps instead of walking all of them.
    steps = GROUP_LIMIT * 64
    while work:
        steps -= 1
        if steps < 0:
            return None
        index, mask, size, total = work.pop()
        if index == len(ordered):
            if mask:
                if len(found) == GROUP_LIMIT:
                    return None
                keys = tuple(key for key in ordered if mask & bit[key])
                found.append((size, total, keys))
            continue
        work.append((index + 1, mask, size, total))
        key = ordered[index]
        grown = size + scaled[key]
        if needs[index] & mask == needs[index] and grown <= capacity:
            work.append((index + 1, mask | bit[key], grown, total + value[key]))
    return found


def _topological(members: Sequence[str], deps: Mapping[str, Sequence[str]]) -> list[str]:
    """``members`` with dependencies first (members hold no cycle)."""
    inside = set(members)
    ordered: list[str] = []
    placed: set[str] = set()
    for key in members:
        if key in placed:
            continue
        placed.add(key)
        work = [(key, iter(deps.get(key, ())))]
        while work:
            node, edges = work[-1]
            for dep in edges:
                if dep in inside and dep not in placed:
                    placed.add(dep)
                    work.append((dep, iter(deps.get(dep, ()))))
                    break
            else:
                work.pop()
                ordered.append(node)
    return ordered


def _solve(
    options: Sequence[Sequence[tuple[int, float, tuple[str, ...]]]], capacity: int
) -> tuple[list[str], float]:
    """Multiple-choice knapsack: at most one option per group, best total within capacity."""
    best = [0.0] * (capacity + 1)
    picks: list[list[int]] = []
    for group in options:
        grown = best[:]
        pick = [0] * (capacity + 1)
        for number, (size, total, _) in enumerate(group, start=1):
            if total <= 0:
                continue
            for room in range(size, capacity + 1):
                candidate = best[room - size] + total
                if candidate > grown[room]:
                    grown[room] = candidate
                    pick[room] = number
        best = grown
        picks.append(pick)
    chosen: list[str] = []
    room = capacity
    for group, pick in zip(reversed(options), reversed(picks), strict=True):
        number = pick[room]
        if number:
            size, _, keys = group[number - 1]
            chosen.extend(keys)
            room -= size
    return chosen, best[capacity]
