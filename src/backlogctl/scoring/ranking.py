"""Rank items under one model, with deterministic tie-breaking (see docs/architecture.md).

Order: score descending (runs of scores each within 1e-9 relative of the next are tied),
then the model's tie-breaker descending (cost of delay for WSJF, confidence for RICE and
ICE), then the stored ``rank`` ascending (items without one after those with one), then the
key in natural order (``SHOP-9`` before ``SHOP-10``). Unscored items keep their backlog order.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from operator import attrgetter
from typing import Any, NamedTuple

from pydantic import TypeAdapter

from backlogctl.models import BacklogItem, ScoredItem, UnscoredItem
from backlogctl.scoring.base import InputValue, Score, ScoringModel, Unscorable

#: Scores (and tie-breakers) closer than this, relatively, count as equal.
RELATIVE_TOLERANCE = 1e-9

_DIGITS = re.compile(r"(\d+)")


class RankedEntry(NamedTuple):
    """One scored item: its score, tie-breaker and, when already computed, the full Score.

    ``source_index`` is the item's index in the sequence that was ranked (-1 when unknown): it
    lets compare line up several rankings of the same items without looking up keys.
    ``inputs`` are the values of the model's ``main_inputs`` when the fast path scored it.
    """

    item: BacklogItem
    value: float
    tie_breaker: float
    score: Score | None = None
    source_index: int = -1
    inputs: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Ranking:
    """The outcome of ranking a backlog under one model.

    ``ranked`` records (with inputs and explanations) are built on first use: compare and
    lint rank a backlog several times and only need the order.
    """

    model: ScoringModel
    ordered: list[RankedEntry]
    unscored: list[UnscoredItem]
    explain: bool = True
    limit: int | None = None
    #: Position of each unscored item in the sequence that was ranked.
    unscored_source_indices: list[int] = field(default_factory=list)

    @cached_property
    def ranked(self) -> list[ScoredItem]:
        """The scored items in rank order (the first ``limit`` when trimmed by ``top``)."""
        # One validation call for all records runs in pydantic's core (see bench/README.md).
        return _scored_items().validate_python(self.rows())

    def rows(self) -> list[dict[str, Any]]:
        """``ranked`` as plain dicts with ``ScoredItem``'s fields (no validation)."""
        rows = []
        score_of = self.model.score
        names = self.model.main_inputs
        explain = self.explain
        for position, entry in enumerate(self.entries(), start=1):
            item = entry.item
            inputs: Mapping[str, InputValue]
            explanation = None
            if entry.inputs is not None and not explain:
                # The fast path's numbers: no second reading of the item, no Score.
                inputs = dict(zip(names, entry.inputs, strict=True))
            else:
                score = entry.score or score_of(item)
                if not isinstance(score, Score):  # a model whose two paths disagree: a bug
                    raise AssertionError(
                        f"{self.model.name}: fast_score scored {item.key}, score() did not"
                    )
                inputs = score.inputs
                explanation = score.explanation if explain else None
            rows.append(
                {
                    "rank": position,
                    "key": item.key,
                    "title": item.title,
                    "score": entry.value,
                    "inputs": inputs,
                    "status": item.status,
                    "explanation": explanation,
                    "type": item.type,
                }
            )
        return rows

    def entries(self) -> list[RankedEntry]:
        """The ranked entries in rank order, without building result records."""
        return self.ordered[: self.limit]

    def positions(self) -> dict[str, int]:
        """Each ranked item's key mapped to its 1-based rank."""
        return {entry.item.key: position for position, entry in enumerate(self.entries(), 1)}

    def top(self, count: int | None) -> Ranking:
        """The first ``count`` ranked items (all when None); unscored items are all kept."""
        if count is None:
            return self
        return replace(self, limit=count if self.limit is None else min(count, self.limit))


@cache
def _scored_items() -> TypeAdapter[list[ScoredItem]]:
    return TypeAdapter(list[ScoredItem])


@cache
def _unscored_items() -> TypeAdapter[list[UnscoredItem]]:
    return TypeAdapter(list[UnscoredItem])


def natural_key(key: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key for issue keys with numbers compared as numbers (``SHOP-9`` < ``SHOP-10``)."""
    parts = (part for part in _DIGITS.split(key) if part)
    return tuple(
        (0, int(part), "") if part.isdecimal() else (1, 0, part.casefold()) for part in parts
    )


def _tied_runs(entries: list[RankedEntry], values: list[float]) -> Iterator[list[RankedEntry]]:
    """Consecutive entries whose values (``values[i]`` of ``entries[i]``) are each tied with
    the next one: equal, or within ``RELATIVE_TOLERANCE`` of each other."""
    breaks = [
        index
        for index, (left, right) in enumerate(itertools.pairwise(values), start=1)
        if not math.isclose(left, right, rel_tol=RELATIVE_TOLERANCE)
    ]
    for start, end in itertools.pairwise([0, *breaks, len(entries)]):
        yield entries[start:end]


_VALUE = attrgetter("value")
_TIE_BREAKER = attrgetter("tie_breaker")


def _stored_rank(entry: RankedEntry) -> tuple[bool, int]:
    rank = entry.item.rank
    return rank is None, rank or 0


def _key_order(entry: RankedEntry) -> tuple[tuple[tuple[int, int, str], ...], str]:
    return natural_key(entry.item.key), entry.item.key


def _by_stored_rank_then_key(tied: list[RankedEntry]) -> list[RankedEntry]:
    """Tied entries by stored rank (unranked last), then by key in natural order.

    Keys are compared only between entries with the same stored rank: when every item has
    its own rank (a groomed backlog, a Jira pull) no natural key is computed at all.
    """
    ordered: list[RankedEntry] = []
    for _, same_rank in itertools.groupby(sorted(tied, key=_stored_rank), key=_stored_rank):
        run = list(same_rank)
        ordered.extend(sorted(run, key=_key_order) if len(run) > 1 else run)
    return ordered


def order_entries(entries: list[RankedEntry]) -> list[RankedEntry]:
    """Entries in rank order (the tie-breaks of this module's docstring).

    Ties are runs of scores within a tolerance, which no single sort key can express: sort by
    score, then sort each tied run by tie-breaker, and each run tied on both by stored rank,
    then key.
    """
    ordered: list[RankedEntry] = []
    by_value = sorted(entries, key=_VALUE, reverse=True)
    for run in _tied_runs(by_value, [entry.value for entry in by_value]):
        run.sort(key=_TIE_BREAKER, reverse=True)
        for tied in _tied_runs(run, [entry.tie_breaker for entry in run]):
            ordered.extend(_by_stored_rank_then_key(tied) if len(tied) > 1 else tied)
    return ordered


def rank_items(
    items: Sequence[BacklogItem],
    model: ScoringModel,
    *,
    include_done: bool = False,
    explain: bool = True,
) -> Ranking:
    """Score ``items`` with ``model`` and order them; done items are left out unless asked.

    Items are scored through the model's ``fast_score``, and fully (explanation) only for
    the items shown with ``explain``; ``None`` sends the item through ``score`` for its
    reason. With ``explain=False`` the records carry no explanation text.
    """
    fast_score = model.fast_score
    scored: list[RankedEntry] = []
    unscored: list[dict[str, str]] = []
    unscored_source_indices: list[int] = []
    for index, item in enumerate(items):
        if item.status_category == "done" and not include_done:
            continue
        quick = fast_score(item)
        if quick is not None:
            scored.append(
                RankedEntry(item, quick.value, quick.tie_breaker, None, index, quick.inputs)
            )
            continue
        outcome = model.score(item)
        if isinstance(outcome, Unscorable):
            unscored.append(
                {
                    "key": item.key,
                    "title": item.title,
                    "status": item.status,
                    "reason": outcome.reason,
                    "type": item.type,
                }
            )
            unscored_source_indices.append(index)
        else:
            scored.append(RankedEntry(item, outcome.value, outcome.tie_breaker, outcome, index))
    return Ranking(
        model=model,
        ordered=order_entries(scored),
        # One validation call in pydantic's core, as for ``ranked``.
        unscored=_unscored_items().validate_python(unscored),
        explain=explain,
        unscored_source_indices=unscored_source_indices,
    )
