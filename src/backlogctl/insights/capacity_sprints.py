"""Filling the sprints one by one: carry-over and pins, then ``rank``'s or ``value``'s choice.

``value`` solves each sprint exactly (``capacity_exact``) or, beyond the exact method's
reach, greedily by score per point; either way the sprint keeps what the model's order would
put into it when that scores higher.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from backlogctl.insights.capacity_exact import EXACT_LIMIT, ExactChoice, best_set
from backlogctl.insights.capacity_fill import FIT_TOLERANCE, Fill, by_score_per_point, fill_in_order
from backlogctl.insights.capacity_graph import dependency_order, post_order
from backlogctl.insights.capacity_types import (
    Placement,
    PlanOptions,
    PlanWarning,
    SprintMethod,
    SprintPlan,
    Task,
    Via,
    sprint_dates,
)


class SprintFiller:
    """The sprints being filled: what is placed where, and how each sprint was chosen."""

    def __init__(
        self,
        options: PlanOptions,
        by_key: Mapping[str, Task],
        position: Mapping[str, int],
        deps: Mapping[str, Sequence[str]],
        points: Mapping[str, float],
        value: Mapping[str, float],
    ) -> None:
        self.options = options
        self.by_key = by_key
        self.position = position
        self.deps = deps
        self.points = points
        self.value = value
        self.placed: dict[str, int] = {}
        self.slots: list[list[Placement]] = [[] for _ in options.capacities]
        self.points_used = [0.0 for _ in options.capacities]
        self.methods: dict[int, tuple[SprintMethod, str]] = {}
        #: Exact sprints: options, capacity steps and the estimates' scale.
        self.sizes: dict[int, tuple[int, int, int]] = {}

    def _place(self, number: int, key: str, via: Via) -> None:
        self.placed[key] = number
        self.slots[number - 1].append(Placement(self.by_key[key], via))
        self.points_used[number - 1] += self.points[key]

    def used(self, number: int) -> float:
        """Points placed in sprint ``number``."""
        return self.points_used[number - 1]

    def room(self, number: int) -> float:
        """Points left in sprint ``number`` (0 when overfilled)."""
        return max(0.0, self.options.capacities[number - 1] - self.used(number))

    def place_fixed(self, carried: Sequence[str], pins: Sequence[str]) -> list[PlanWarning]:
        """Carry-over, then pins, into sprint 1, each after its open dependencies."""
        warnings: list[PlanWarning] = []
        fixed: list[tuple[str, Via]] = [(key, "carry_over") for key in carried]
        fixed += [(key, "pin") for key in pins]
        for key, via in fixed:
            needed = post_order(key, self.deps, self.placed.__contains__)
            for node in needed:
                self._place(1, node, via if node == key else "dependency")
            if needed and self.by_key[key].estimate is None:
                what = "carried over" if via == "carry_over" else "pinned"
                message = f"{key} is {what} without an estimate: counted as 0 points"
                warnings.append(PlanWarning(key, "unestimated", message))
        used, capacity = self.used(1), self.options.capacities[0]
        if used > capacity + FIT_TOLERANCE:
            message = (
                f"sprint 1 is over capacity: carry-over and pins take {used:g} of {capacity:g} "
                "points"
            )
            warnings.append(PlanWarning(None, "over_capacity", message))
        return warnings

    def fill_sprint(self, number: int, scored: Sequence[str]) -> None:
        """Fill sprint ``number``'s room by the strategy."""
        room = self.room(number)
        placed = set(self.placed)
        rank_fill = fill_in_order(scored, self.deps, self.points, placed, room)
        chosen = rank_fill
        if self.options.strategy == "value":
            chosen = self._value_fill(number, rank_fill, placed, room)
        for key in chosen.keys:
            self._place(number, key, "dependency" if key in chosen.as_dependency else "plan")

    def _value_fill(self, number: int, rank_fill: Fill, placed: set[str], room: float) -> Fill:
        remaining = [key for key in self.deps if key not in placed]
        open_deps = {key: [d for d in self.deps[key] if d not in placed] for key in remaining}
        outcome = best_set(remaining, self.points, self.value, open_deps, room)
        method: SprintMethod
        if isinstance(outcome, ExactChoice):
            keys = dependency_order(outcome.keys, self.deps, self.position)
            chosen, method, note = Fill(keys, frozenset()), "exact", "exact 0/1 knapsack"
            self.sizes[number] = (outcome.options, outcome.steps, outcome.scale)
        else:
            greedy = by_score_per_point(remaining, self.points, self.value)
            chosen = fill_in_order(greedy, self.deps, self.points, placed, room)
            method, note = "greedy", f"greedy by score per point ({outcome.why})"
        best, mine = rank_fill.score(self.value), chosen.score(self.value)
        if best > mine and not math.isclose(best, mine, rel_tol=1e-9, abs_tol=1e-12):
            chosen, method = rank_fill, "rank"
            note = f"{note}, then the model's order, which scored higher"
        self.methods[number] = (method, note)
        return chosen

    def all_exact(self) -> bool:
        """True when every sprint's items were chosen by the exact method."""
        return all(method == "exact" for method, _ in self.methods.values())

    def method_summary(self) -> str:
        """One line: each method with the sprints it chose (and the largest exact problem)."""
        notes: dict[str, list[int]] = {}
        for number, (_, note) in sorted(self.methods.items()):
            notes.setdefault(note, []).append(number)
        parts = []
        for note, numbers in notes.items():
            which = (
                "every sprint"
                if len(numbers) == len(self.slots)
                else f"sprint{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}"
            )
            sizes = [self.sizes[number] for number in numbers if number in self.sizes]
            size = ""
            if sizes and note.startswith("exact"):
                options = max(options for options, _, _ in sizes)
                steps = max(steps for _, steps, _ in sizes)
                scale = max(scale for _, _, scale in sizes)
                by = f", estimates ×{scale}" if scale > 1 else ""
                size = (
                    f" (up to {options:,} options × {steps:,} capacity steps{by}, within "
                    f"{EXACT_LIMIT:,})"
                )
            parts.append(f"{which}: {note}{size}")
        return "; ".join(parts)

    def sprints(self) -> list[SprintPlan]:
        """The filled sprints with their points, scores, running total and dates."""
        result: list[SprintPlan] = []
        total = 0.0
        for number, slots in enumerate(self.slots, start=1):
            score = sum(self.value[item.task.key] for item in slots)
            total += score
            method = self.methods.get(number)
            start = end = None
            if self.options.start is not None:
                start, end = sprint_dates(self.options.start, self.options.sprint_days, number)
            result.append(
                SprintPlan(
                    number=number,
                    capacity=self.options.capacities[number - 1],
                    placements=tuple(slots),
                    points=self.used(number),
                    score=score,
                    total=total,
                    method=None if method is None else method[0],
                    method_note=None if method is None else method[1],
                    start=start,
                    end=end,
                )
            )
        return result

    def best_room(self) -> float:
        """The most points left in any sprint."""
        return max(self.room(number) for number in range(1, len(self.slots) + 1))
