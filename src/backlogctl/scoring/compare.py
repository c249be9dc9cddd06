"""Compare scoring models on one backlog: rank correlation, top-N overlap, consensus, movers.

``compare_models(items, models, top=10)`` ranks the items under every model and summarizes
where the models agree and where they diverge. ``current`` is a pseudo-model for the team's
stored manual order (lower ``rank`` is better), so it can be compared like any other model.

The statistics themselves (tau-b, rho, overlap) live in ``statistics``.
"""

from __future__ import annotations

import difflib
import heapq
import math
from collections.abc import Mapping, Sequence
from operator import attrgetter
from typing import Literal

from pydantic import BaseModel, Field

from backlogctl.config import Config
from backlogctl.errors import InputError
from backlogctl.models import BacklogItem, UnscoredItem
from backlogctl.sanitize import quoted, visible
from backlogctl.scoring.base import ScoringModel
from backlogctl.scoring.current import CurrentOrder
from backlogctl.scoring.ranking import RELATIVE_TOLERANCE, Ranking, natural_key, rank_items
from backlogctl.scoring.registry import CURRENT, available_models
from backlogctl.scoring.stability import StabilityReport
from backlogctl.scoring.statistics import kendall_tau_b, spearman_rho, top_overlap

#: Correlations are reported with this many decimals (enough to compare, stable in goldens).
_DECIMALS = 6


class PairAgreement(BaseModel):
    """Rank agreement of two models over the items both could score."""

    kendall_tau: float | None = Field(description="Kendall tau-b; None when undefined")
    spearman: float | None = Field(description="Spearman rho; None when undefined")
    n: int = Field(description="items scored by both models (compared)")
    excluded: int = Field(description="items left out: unscored under one or both models")


class TopOverlap(BaseModel):
    """How many items two models share in their top N."""

    count: int
    jaccard: float
    possible: int = Field(
        description="the most the two top lists can share: the shorter one's length (below N "
        "when a model scores fewer than N items)"
    )


class ComparedItem(BaseModel):
    """One item's rank under every compared model (None: unscored there, see ``unscored``)."""

    key: str
    title: str
    ranks: dict[str, int | None]
    spread: int | None = Field(description="max - min rank over the models that scored it")
    unscored: dict[str, str] = Field(default_factory=dict)


class Mover(BaseModel):
    """An item whose rank differs most between two models."""

    key: str
    title: str
    from_model: str
    from_rank: int
    to_model: str
    to_rank: int
    delta: int


class ContestedItem(BaseModel):
    """An item in some model's top N but outside another's."""

    key: str
    title: str
    in_top: list[str]
    outside_top: dict[str, int | None] = Field(
        description="models whose top N leaves it out, with its rank there (None: unscored)"
    )


class Comparison(BaseModel):
    """The result of ``backlogctl compare`` (its JSON output is ``model_dump(mode="json")``)."""

    schema_version: Literal[1] = 1
    models: list[str]
    top: int
    items_total: int = Field(description="items considered (done items are left out)")
    correlation: dict[str, PairAgreement]
    top_overlap: dict[str, TopOverlap]
    consensus: list[str]
    contested: list[ContestedItem]
    movers: list[Mover]
    items: list[ComparedItem] = Field(description="items in any model's top N")
    unscored: dict[str, list[UnscoredItem]]
    stability: StabilityReport | None = None


def parse_model_names(text: str) -> list[str]:
    """``"rice, wsjf,ice"`` as a list of names; at least two distinct ones or ``InputError``."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(f"--models: {quoted(name)} is listed twice")
        seen.add(name)
    if len(names) < 2:
        got = ", ".join(names) or "none"
        raise InputError(
            f"--models: compare needs at least two models (got {got}), e.g. --models rice,wsjf"
        )
    return names


def resolve_models(names: Sequence[str], config: Config) -> dict[str, ScoringModel]:
    """The models named on the command line (``current`` included), in that order.

    An unknown name is an ``InputError`` listing every available model.
    """
    available: dict[str, ScoringModel] = dict(available_models(config))
    available[CURRENT] = CurrentOrder()
    # Case-insensitive as a fallback, like `rank --model`: RICE,WSJF names rice and wsjf.
    lowered = {known.lower(): known for known in available}
    resolved: dict[str, ScoringModel] = {}
    for name in names:
        known = name if name in available else lowered.get(name.lower())
        if known is None:
            close = difflib.get_close_matches(name, list(available), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise InputError(
                f"--models: unknown model {quoted(name)} (available: {', '.join(available)}){hint}"
            )
        if known in resolved:
            raise InputError(f"--models: {quoted(known)} is listed twice")
        resolved[known] = available[known]
    return resolved


def compare_models(
    items: Sequence[BacklogItem], models: Mapping[str, ScoringModel], *, top: int = 10
) -> Comparison:
    """Rank ``items`` under every model and compare the rankings.

    Raises ``InputError`` when fewer than two models are given or a model can score no item.
    """
    if len(models) < 2:
        raise InputError("compare needs at least two models")
    if top < 1:
        raise InputError(f"--top must be at least 1 (got {top})")
    rankings = {name: rank_items(items, model, explain=False) for name, model in models.items()}
    for name, ranking in rankings.items():
        if not ranking.entries():
            example = (
                f" (e.g. {visible(ranking.unscored[0].key)}: {visible(ranking.unscored[0].reason)})"
                if ranking.unscored
                else ""
            )
            raise InputError(f"model {quoted(name)} cannot score any item{example}")
    return compare_rankings(rankings, top=top)


def compare_rankings(rankings: Mapping[str, Ranking], *, top: int) -> Comparison:
    """Summarize rankings of the same items (see ``Comparison``)."""
    names = list(rankings)
    keys, titles = _universe(rankings)
    slots = _universe_slots(next(iter(rankings.values())))
    columns = {name: _rank_columns(ranking, slots, len(keys)) for name, ranking in rankings.items()}
    unscored = {name: ranking.unscored for name, ranking in rankings.items()}
    tops = {name: {entry.item.key for entry in rankings[name].entries()[:top]} for name in names}

    correlation: dict[str, PairAgreement] = {}
    overlap: dict[str, TopOverlap] = {}
    for first, second in _pairs(names):
        (first_ranks, first_groups), (second_ranks, second_groups) = (
            columns[first],
            columns[second],
        )
        both = [
            i
            for i, (a, b) in enumerate(zip(first_ranks, second_ranks, strict=True))
            if a is not None and b is not None
        ]
        xs = [first_groups[i] for i in both]
        ys = [second_groups[i] for i in both]
        correlation[f"{first}:{second}"] = PairAgreement(
            kendall_tau=_rounded(kendall_tau_b(xs, ys)),
            spearman=_rounded(spearman_rho(xs, ys)),
            n=len(both),
            excluded=len(keys) - len(both),
        )
        shared = top_overlap(tops[first], tops[second], decimals=_DECIMALS)
        overlap[f"{first}:{second}"] = TopOverlap(
            count=shared.shared, jaccard=shared.jaccard, possible=shared.possible
        )

    # Per item, its rank under each model in ``names`` order (None: unscored there).
    ranks: list[tuple[int | None, ...]] = list(
        zip(*(columns[name][0] for name in names), strict=True)
    )
    spread = [_spread(row) for row in ranks]
    index = {key: position for position, key in enumerate(keys)}
    in_any_top = set().union(*tops.values())
    consensus = set.intersection(*tops.values())
    listed = sorted((index[key] for key in in_any_top), key=lambda i: (_rank_order(ranks[i]), i))
    reasons = {name: {entry.key: entry.reason for entry in unscored[name]} for name in names}
    compared_items = [
        ComparedItem(
            key=keys[i],
            title=titles[keys[i]],
            ranks=dict(zip(names, ranks[i], strict=True)),
            spread=spread[i],
            unscored={name: reasons[name][keys[i]] for name in names if keys[i] in reasons[name]},
        )
        for i in listed
    ]

    return Comparison(
        models=names,
        top=top,
        items_total=len(keys),
        correlation=correlation,
        top_overlap=overlap,
        consensus=[keys[i] for i in listed if keys[i] in consensus],
        contested=[
            ContestedItem(
                key=keys[i],
                title=titles[keys[i]],
                in_top=[name for name in names if keys[i] in tops[name]],
                outside_top={
                    name: rank
                    for name, rank in zip(names, ranks[i], strict=True)
                    if keys[i] not in tops[name]
                },
            )
            for i in listed
            if keys[i] not in consensus
        ],
        movers=_movers(ranks, spread, names, keys, titles, limit=top),
        items=compared_items,
        unscored=unscored,
    )


_SOURCE_INDEX = attrgetter("source_index")


def _universe(rankings: Mapping[str, Ranking]) -> tuple[list[str], dict[str, str]]:
    """Every item key with its title (each ranking holds the same items: ranked or not)."""
    first = next(iter(rankings.values()))
    titles = {entry.item.key: entry.item.title for entry in first.entries()}
    titles.update((entry.key, entry.title) for entry in first.unscored)
    return list(titles), titles


def _universe_slots(first: Ranking) -> list[int]:
    """For each index into the ranked sequence, the item's place in ``_universe``'s order.

    Rankings of the same items share those indices: lining them up needs no key lookups.
    """
    indices = [*map(_SOURCE_INDEX, first.entries()), *first.unscored_source_indices]
    slots = [-1] * (max(indices) + 1 if indices else 0)
    for place, source_index in enumerate(indices):
        slots[source_index] = place
    return slots


def _rank_columns(
    ranking: Ranking, slots: Sequence[int], size: int
) -> tuple[list[int | None], list[int]]:
    """Per item: its rank (None when unscored) and its tie group (0 = best; ties share one).

    Correlations compare tie groups rather than ranks, so that items a model scores equally
    count as tied, not as ordered by the tie-breaks.
    """
    ranks: list[int | None] = [None] * size
    groups = [0] * size
    entries = ranking.entries()
    group = 0
    previous = entries[0].value if entries else 0.0
    for rank, entry in enumerate(entries, start=1):
        score = entry.value
        # The ranking is sorted by score: a new group starts wherever the score differs from
        # the previous one beyond the tie tolerance.
        if not math.isclose(score, previous, rel_tol=RELATIVE_TOLERANCE):
            group += 1
        previous = score
        place = slots[entry.source_index]
        ranks[place] = rank
        groups[place] = group
    return ranks, groups


def _pairs(names: Sequence[str]) -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]


def _spread(row: Sequence[int | None]) -> int | None:
    """Highest minus lowest rank over the models that scored the item (None: none did)."""
    scored = [rank for rank in row if rank is not None]
    return max(scored) - min(scored) if scored else None


def _movers(
    ranks: Sequence[tuple[int | None, ...]],
    spread: Sequence[int | None],
    names: Sequence[str],
    keys: Sequence[str],
    titles: Mapping[str, str],
    *,
    limit: int,
) -> list[Mover]:
    """The ``limit`` items whose rank differs most between two models (largest spread first)."""
    candidates = [i for i, moved in enumerate(spread) if moved]
    if len(candidates) > limit:
        # Keep everything tied with the limit-th largest move so the key tie-break stays
        # exact, without computing natural keys for every moved item.
        threshold = heapq.nlargest(limit, (spread[i] or 0 for i in candidates))[-1]
        candidates = [i for i in candidates if (spread[i] or 0) >= threshold]
    chosen = sorted(candidates, key=lambda i: (-(spread[i] or 0), natural_key(keys[i])))[:limit]
    movers = []
    for i in chosen:
        scored = [(rank, m) for m, rank in enumerate(ranks[i]) if rank is not None]
        best_rank, best = min(scored)
        worst_rank, worst = max(scored, key=lambda pair: (pair[0], -pair[1]))
        movers.append(
            Mover(
                key=keys[i],
                title=titles[keys[i]],
                from_model=names[best],
                from_rank=best_rank,
                to_model=names[worst],
                to_rank=worst_rank,
                delta=worst_rank - best_rank,
            )
        )
    return movers


def _rank_order(row: Sequence[int | None]) -> tuple[float, ...]:
    """Sort items by their rank under the first model, then the next (unscored last)."""
    return tuple(math.inf if rank is None else float(rank) for rank in row)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, _DECIMALS)
