"""What a snapshot records of a backlog: items, each model's ranking, lint findings.

A ``BacklogState`` is built from a loaded backlog by ``capture`` (the current state) or read
back from the store (a snapshot); diffs compare two of them and never care which is which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from backlogctl.config import Config
from backlogctl.lint.engine import lint_backlog
from backlogctl.models import Backlog, BacklogItem, IceInputs, RiceInputs, WsjfInputs
from backlogctl.scoring.base import ScoringModel
from backlogctl.scoring.ranking import rank_items

InputScalar = float | str


@dataclass(frozen=True)
class ItemState:
    """One item as a snapshot keeps it; ``inputs`` holds every scoring input it has.

    Inputs use the dotted names of rank's JSON (``rice.impact``, ``estimate``,
    ``fields.risk``); an input the item lacks is absent, never 0.
    """

    key: str
    title: str
    type: str
    status: str
    status_category: str
    estimate: float | None
    inputs: Mapping[str, InputScalar]

    @property
    def is_done(self) -> bool:
        """True when the item's status category is ``done``."""
        return self.status_category == "done"


@dataclass(frozen=True)
class ModelState:
    """One model's ranking of the open items: keys in rank order, scores, unscored reasons.

    ``inputs`` are the model's input names (its ``main_inputs``): the ones whose changes
    explain a move.
    """

    name: str
    inputs: tuple[str, ...]
    ranked: Sequence[str]
    scores: Mapping[str, float]
    unscored: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def positions(self) -> dict[str, int]:
        """Each ranked key's 1-based rank."""
        return {key: position for position, key in enumerate(self.ranked, start=1)}

    def rank_of(self, key: str) -> int | None:
        """The 1-based rank of ``key``; None when it is unscored, done or absent."""
        return self.positions.get(key)


class FindingState(NamedTuple):
    """A lint finding by identity (item key, code and the baseline's fingerprint), with its
    severity. A tuple: a snapshot holds tens of thousands."""

    key: str
    code: str
    fingerprint: str
    severity: str


@dataclass(frozen=True)
class BacklogState:
    """A backlog at one moment: items by key, rankings by model name, findings."""

    items: Mapping[str, ItemState]
    models: Mapping[str, ModelState]
    findings: frozenset[FindingState]


@dataclass(frozen=True)
class SnapshotInfo:
    """One snapshot as ``snapshot --list`` shows it."""

    id: int
    taken: dt.datetime
    note: str
    items: int
    models: tuple[str, ...]
    sources: str = ""


@dataclass(frozen=True)
class Snapshot:
    """A stored snapshot: its description and the backlog state it recorded."""

    info: SnapshotInfo
    state: BacklogState


#: The scoring input groups of an item and their fields (read directly: ``model_dump`` per
#: item was the larger part of capturing a state).
_GROUPS = tuple(
    (name, tuple(group.model_fields))
    for name, group in (("rice", RiceInputs), ("wsjf", WsjfInputs), ("ice", IceInputs))
)


def item_inputs(item: BacklogItem) -> dict[str, InputScalar]:
    """Every scoring input ``item`` has, by dotted name (``estimate``, ``rice.reach``, ...)."""
    inputs: dict[str, InputScalar] = {}
    if item.estimate is not None:
        inputs["estimate"] = item.estimate
    if item.rank is not None:
        inputs["rank"] = item.rank
    for group_name, names in _GROUPS:
        group = getattr(item, group_name)
        if group is None:
            continue
        for name in names:
            value = getattr(group, name)
            if value is not None:
                inputs[f"{group_name}.{name}"] = value
    for name, value in item.fields.items():
        inputs[f"fields.{name}"] = value
    return inputs


def item_state(item: BacklogItem) -> ItemState:
    """What a snapshot keeps of one item."""
    return ItemState(
        key=item.key,
        title=item.title,
        type=item.type,
        status=item.status,
        status_category=item.status_category,
        estimate=item.estimate,
        inputs=item_inputs(item),
    )


def model_state(items: Sequence[BacklogItem], model: ScoringModel) -> ModelState:
    """``model``'s ranking of the open items, as ``rank`` orders them."""
    ranking = rank_items(items, model, explain=False)
    entries = ranking.entries()
    unscored = {entry.key: entry.reason for entry in ranking.unscored}
    return ModelState(
        name=model.name,
        inputs=tuple(model.main_inputs),
        ranked=[entry.item.key for entry in entries],
        scores={entry.item.key: entry.value for entry in entries},
        unscored=unscored,
    )


def capture(
    backlog: Backlog, config: Config, models: Sequence[ScoringModel], *, as_of: dt.datetime
) -> BacklogState:
    """The state of ``backlog``: its items, its ranking under each of ``models`` and its lint
    findings as of ``as_of`` (every rule the config selects, no baseline applied)."""
    items = backlog.items
    result = lint_backlog(backlog, config, as_of=as_of)
    findings = frozenset(
        FindingState(entry.key, entry.code, entry.fingerprint, entry.severity)
        for entry in result.entries
    )
    return BacklogState(
        items={item.key: item_state(item) for item in items},
        models={model.name: model_state(items, model) for model in models},
        findings=findings,
    )
