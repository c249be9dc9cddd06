"""What a rule may look at besides the items it checks: the date, config, model and backlog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from backlogctl.config import Config
from backlogctl.models import BacklogItem, Objective, Stakeholder
from backlogctl.scoring.base import Unscorable

if TYPE_CHECKING:
    from backlogctl.dependencies import DependencyGraph
    from backlogctl.scoring.base import ScoringModel


@dataclass
class LintContext:
    """Shared, read-only inputs of one lint run.

    ``items`` is the whole backlog (a rule may be handed only some items when overrides give
    groups of items different options, but looks up parents and duplicates in all of them).
    """

    as_of: dt.datetime
    config: Config
    items: Sequence[BacklogItem]
    objectives: Sequence[Objective] = ()
    #: Status categories of dependencies outside the backlog (``Backlog.dependency_statuses``).
    dependency_statuses: Mapping[str, str] = field(default_factory=dict)
    #: Declared stakeholders (``Backlog.stakeholders``; the config's are added too).
    stakeholders: Sequence[Stakeholder] = ()
    #: Every item by key (built from ``items`` unless given).
    by_key: dict[str, BacklogItem] = field(default_factory=dict, repr=False)
    _models: dict[str, ScoringModel] = field(default_factory=dict, repr=False)
    _scores: dict[str, dict[str, tuple[float, float] | Unscorable]] = field(
        default_factory=dict, repr=False
    )
    _positions: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.by_key:
            self.by_key = {item.key: item for item in self.items}

    @cached_property
    def declared_objectives(self) -> frozenset[str]:
        """Keys of the declared objectives and of their key results (``key_results:``),
        case-folded: keys match case-insensitively, as in ``okr`` and the filters."""
        keys: set[str] = set()
        for objective in (*self.config.objectives, *self.objectives):
            keys.add(objective.key.casefold())
            for result in (objective.model_extra or {}).get("key_results") or []:
                if isinstance(result, dict) and result.get("key"):
                    keys.add(str(result["key"]).casefold())
        return frozenset(keys)

    @cached_property
    def inherited_objectives(self) -> dict[str, str | None]:
        """Every item's objective, its own or its nearest ancestor's (as ``okr`` counts it)."""
        from backlogctl.hierarchy import inherited_objectives

        return inherited_objectives(self.by_key.values())

    @cached_property
    def dependencies(self) -> DependencyGraph:
        """The backlog's dependency graph, built once per run (H007-H009 share it)."""
        from backlogctl.dependencies import DependencyGraph

        return DependencyGraph(self.items, self.dependency_statuses)

    @cached_property
    def declared_stakeholders(self) -> dict[str, str]:
        """Declared stakeholder names by their case-folded form (the config's included)."""
        return {
            stakeholder.name.casefold(): stakeholder.name
            for stakeholder in (*self.config.stakeholders, *self.stakeholders)
        }

    @cached_property
    def as_of_date(self) -> dt.date:
        """The day lint runs as of (UTC)."""
        return self.as_of.astimezone(dt.UTC).date()

    def days_since(self, moment: dt.datetime) -> int:
        """Whole days from ``moment`` to the as-of day (calendar days, UTC)."""
        # Most dates are already UTC (a bare date loads as 00:00 UTC): skip the conversion.
        day = moment.date() if moment.tzinfo is dt.UTC else moment.astimezone(dt.UTC).date()
        return (self.as_of_date - day).days

    def model(self, name: str | None = None) -> ScoringModel:
        """The scoring model ``name`` (default: the config's ``default_model``), built once."""
        wanted = name or self.config.default_model
        if wanted not in self._models:
            from backlogctl.scoring.registry import get_model

            self._models[wanted] = get_model(wanted, self.config)
        return self._models[wanted]

    def positions(self, model: ScoringModel) -> dict[str, int]:
        """Rank position (1 = top) of every open item ``model`` scores, as ``rank`` shows it."""
        found = self._positions.get(model.name)
        if found is None:
            from backlogctl.scoring.ranking import RankedEntry, order_entries

            scored: list[RankedEntry] = []
            for item in self.items:
                if item.status_category != "done":
                    outcome = self.score(model, item)
                    if isinstance(outcome, tuple):
                        scored.append(RankedEntry(item, *outcome))
            found = {entry.item.key: n for n, entry in enumerate(order_entries(scored), start=1)}
            self._positions[model.name] = found
        return found

    def score(self, model: ScoringModel, item: BacklogItem) -> tuple[float, float] | Unscorable:
        """``(score, tie-breaker)`` of ``item`` under ``model``, or why it cannot be scored.

        Computed once per run (E003 and W003 share it), through the model's fast path: lint
        needs the numbers and the reasons, never the explanations.
        """
        scores = self._scores.get(model.name)
        if scores is None:
            scores = self._scores[model.name] = {}
        outcome = scores.get(item.key)
        if outcome is None:
            quick = model.fast_score(item)
            if quick is not None:
                outcome = quick.value, quick.tie_breaker
            else:
                full = model.score(item)
                outcome = full if isinstance(full, Unscorable) else (full.value, full.tie_breaker)
            scores[item.key] = outcome
        return outcome
