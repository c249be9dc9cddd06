"""Filling one sprint by an order: ``rank``'s rule, also used by ``value``'s greedy fallback.

Take items in the given order; an item goes in together with its dependencies not yet
placed when all of them fit the room left (dependencies first, the same sprint allowed);
otherwise the dependencies that fit (each only after its own) go in and the item waits; an
item that does not fit is skipped and retried in the next sprint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from backlogctl.insights.capacity_graph import Closures, post_order

#: Points within this of the room left still fit (estimates are sums of decimals).
FIT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Fill:
    """Keys chosen for a sprint, in the order placed, and which went in as a dependency."""

    keys: list[str]
    as_dependency: frozenset[str]

    def score(self, value: Mapping[str, float]) -> float:
        """The sum of the chosen items' scores."""
        return sum(value[key] for key in self.keys)


def fill_in_order(
    order: Iterable[str],
    deps: Mapping[str, Sequence[str]],
    points: Mapping[str, float],
    placed: set[str],
    room: float,
) -> Fill:
    """The items ``order`` puts into a sprint with ``room`` points (``placed``: already in
    the plan). ``deps`` holds every plannable item's dependencies among plannable items."""
    taken = set(placed)
    chosen: list[str] = []
    as_dependency: set[str] = set()
    # Nothing smaller than this can ever be chosen: once the room is below it the sprint is
    # full, and walking each remaining item's dependencies (a long chain each time) is moot.
    smallest = min((value for key, value in points.items() if key not in taken), default=0.0)
    # Each item's total and cheapest ready dependency, kept until something is placed: items
    # along a long chain that does not fit are then not walked again one by one.
    closures = Closures(deps, points, taken.__contains__)
    for key in order:
        if room + FIT_TOLERANCE < smallest:
            break
        if key in taken:
            continue
        closure = closures.of(key)
        if closure.points <= room + FIT_TOLERANCE:
            needed = post_order(key, deps, taken.__contains__)
            chosen += needed
            taken.update(needed)
            as_dependency.update(needed[:-1])
            room -= closure.points
            closures.clear()
            continue
        if closure.ready_points > room + FIT_TOLERANCE:
            continue
        for dep in post_order(key, deps, taken.__contains__)[:-1]:
            if points[dep] <= room + FIT_TOLERANCE and all(
                other in taken for other in deps.get(dep, ())
            ):
                chosen.append(dep)
                taken.add(dep)
                as_dependency.add(dep)
                room -= points[dep]
                closures.clear()
    return Fill(chosen, frozenset(as_dependency))


def by_score_per_point(
    keys: Sequence[str], points: Mapping[str, float], value: Mapping[str, float]
) -> list[str]:
    """The greedy order: positive scores only, highest score per point first (items of 0
    points before all), model order among equals."""

    def density(key: str) -> float:
        return float("inf") if points[key] == 0 else value[key] / points[key]

    return sorted((key for key in keys if value[key] > 0), key=density, reverse=True)
