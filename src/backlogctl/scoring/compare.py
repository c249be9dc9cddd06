"""Compare scoring models on one backlog: rank correlation, top-N overlap, consensus, movers.

``compare_models(items, models, top=10)`` ranks the items under every model and summarizes
where the models agree and where they diverge. ``current`` is a pseudo-model for the team's
stored manual order (lower ``rank`` is better), so it can be compared like any other model.

Kendall's tau-b uses Knight's O(n log n) algorithm (sort by one ranking, count the inversions
of the other) with the tie corrections of tau-b; Spearman's rho is Pearson's correlation of
average ranks. Both are computed with numpy (imported lazily) so that 100k items stay fast.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from backlogctl.config import Config
from backlogctl.errors import InputError
from backlogctl.models import BacklogItem, UnscoredItem
from backlogctl.scoring.base import FastScore, Score, ScoreOutcome, ScoringModel, Unscorable
from backlogctl.scoring.ranking import RELATIVE_TOLERANCE, Ranking, natural_key, rank_items
from backlogctl.scoring.registry import CURRENT
from backlogctl.scoring.stability import StabilityReport

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: Correlations are reported with this many decimals (enough to compare, stable in goldens).
_DECIMALS = 6


class CurrentOrder:
    """The team's stored manual order as a model: ``rank`` 1 scores highest."""

    @property
    def name(self) -> str:
        """Always ``current``."""
        return CURRENT

    @property
    def description(self) -> str:
        """What this pseudo-model stands for."""
        return "the team's current manual order (stored rank, lower is better)"

    @property
    def formula(self) -> str:
        """The manual rank, negated so that rank 1 comes first."""
        return "-rank"

    @property
    def input_scales(self) -> dict[str, str]:
        """The only input: the stored rank."""
        return {"rank": "position in the manual order, 1 = first"}

    @property
    def main_inputs(self) -> tuple[str, ...]:
        """The stored rank."""
        return ("rank",)

    def fast_score(self, item: BacklogItem) -> FastScore | None:
        """``(-rank, 0, (rank,))``, or None without a stored rank (``score`` says so)."""
        rank = item.rank
        return None if rank is None else (-float(rank), 0.0, (float(rank),))

    def score(self, item: BacklogItem) -> ScoreOutcome:
        """``-rank``, or unscored when the item has no stored rank."""
        if item.rank is None:
            return Unscorable("no stored manual rank", inputs={"rank": None})
        return Score(
            value=-float(item.rank),
            inputs={"rank": float(item.rank)},
            explanation=f"manual rank {item.rank}",
        )


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
            raise InputError(f"--models: {name!r} is listed twice")
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
    from backlogctl.scoring.registry import available_models

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
                f"--models: unknown model {name!r} (available: {', '.join(available)}){hint}"
            )
        if known in resolved:
            raise InputError(f"--models: {known!r} is listed twice")
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
                f" (e.g. {ranking.unscored[0].key}: {ranking.unscored[0].reason})"
                if ranking.unscored
                else ""
            )
            raise InputError(f"model {name!r} cannot score any item{example}")
    return compare_rankings(rankings, top=top)


def compare_rankings(rankings: Mapping[str, Ranking], *, top: int) -> Comparison:
    """Summarize rankings of the same items (see ``Comparison``)."""
    np = _numpy()
    names = list(rankings)
    keys, titles = _universe(rankings)
    index = {key: position for position, key in enumerate(keys)}
    slots = _universe_slots(next(iter(rankings.values())))
    positions: dict[str, NDArray[Any]] = {}
    ordinals: dict[str, NDArray[Any]] = {}
    for name, ranking in rankings.items():
        positions[name], ordinals[name] = _rank_arrays(ranking, slots, len(keys))
    unscored = {name: ranking.unscored for name, ranking in rankings.items()}
    tops = {name: {entry.item.key for entry in rankings[name].entries()[:top]} for name in names}

    correlation: dict[str, PairAgreement] = {}
    overlap: dict[str, TopOverlap] = {}
    for first, second in _pairs(names):
        both = (positions[first] > 0) & (positions[second] > 0)
        compared = int(both.sum())
        correlation[f"{first}:{second}"] = PairAgreement(
            kendall_tau=_rounded(kendall_tau_b(ordinals[first][both], ordinals[second][both])),
            spearman=_rounded(spearman_rho(ordinals[first][both], ordinals[second][both])),
            n=compared,
            excluded=len(keys) - compared,
        )
        shared = len(tops[first] & tops[second])
        union = len(tops[first] | tops[second])
        overlap[f"{first}:{second}"] = TopOverlap(
            count=shared,
            jaccard=round(shared / union, _DECIMALS) if union else 0.0,
            possible=min(len(tops[first]), len(tops[second])),
        )

    matrix = np.stack([positions[name] for name in names]).astype(np.float64)
    matrix[matrix <= 0] = np.nan
    scored_anywhere = ~np.all(np.isnan(matrix), axis=0)
    low = np.full(len(keys), np.nan)
    high = np.full(len(keys), np.nan)
    low[scored_anywhere] = np.nanmin(matrix[:, scored_anywhere], axis=0)
    high[scored_anywhere] = np.nanmax(matrix[:, scored_anywhere], axis=0)
    spread = high - low

    in_any_top = set().union(*tops.values())
    consensus = set.intersection(*tops.values())
    listed = sorted(
        (index[key] for key in in_any_top), key=lambda i: (_rank_order(matrix[:, i]), i)
    )
    reasons = {name: {entry.key: entry.reason for entry in unscored[name]} for name in names}
    compared_items = [
        ComparedItem(
            key=keys[i],
            title=titles[keys[i]],
            ranks={name: _int_or_none(matrix[m, i]) for m, name in enumerate(names)},
            spread=_int_or_none(spread[i]),
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
                    name: _int_or_none(matrix[m, i])
                    for m, name in enumerate(names)
                    if keys[i] not in tops[name]
                },
            )
            for i in listed
            if keys[i] not in consensus
        ],
        movers=_movers(matrix, spread, names, keys, titles, limit=top),
        items=compared_items,
        unscored=unscored,
    )


def kendall_tau_b(
    x: Sequence[float] | NDArray[Any], y: Sequence[float] | NDArray[Any]
) -> float | None:
    """Kendall's tau-b of two paired samples (ties corrected), or None when undefined.

    Knight's algorithm: sort the pairs by ``x`` then ``y``, count ties in ``x``, in ``y`` and in
    both, and count the discordant pairs as the inversions of the sorted ``y``. O(n log n).
    """
    np = _numpy()
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    if xs.shape != ys.shape:
        raise ValueError("kendall_tau_b: samples differ in length")
    n = int(xs.size)
    if n < 2:
        return None
    order = np.lexsort((ys, xs))
    xs = xs[order]
    ys = ys[order]
    pairs = n * (n - 1) // 2
    x_ties = _tied_pairs(xs[1:] == xs[:-1])
    both_ties = _tied_pairs((xs[1:] == xs[:-1]) & (ys[1:] == ys[:-1]))
    y_sorted = np.sort(ys)
    y_ties = _tied_pairs(y_sorted[1:] == y_sorted[:-1])
    denominator = (pairs - x_ties) * (pairs - y_ties)
    if denominator == 0:
        return None
    discordant = _inversions(np.unique(ys, return_inverse=True)[1].reshape(-1))
    concordant_minus_discordant = pairs - x_ties - y_ties + both_ties - 2 * discordant
    return max(-1.0, min(1.0, concordant_minus_discordant / math.sqrt(denominator)))


def spearman_rho(
    x: Sequence[float] | NDArray[Any], y: Sequence[float] | NDArray[Any]
) -> float | None:
    """Spearman's rho (Pearson correlation of average ranks), or None when undefined."""
    np = _numpy()
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    if xs.shape != ys.shape:
        raise ValueError("spearman_rho: samples differ in length")
    if xs.size < 2:
        return None
    rx = _average_ranks(xs)
    ry = _average_ranks(ys)
    rx -= rx.mean()
    ry -= ry.mean()
    denominator = math.sqrt(float((rx * rx).sum()) * float((ry * ry).sum()))
    if denominator == 0:
        return None
    return max(-1.0, min(1.0, float((rx * ry).sum()) / denominator))


_SOURCE_INDEX = attrgetter("source_index")
_VALUE = attrgetter("value")


def _numpy() -> Any:
    import numpy

    return numpy


def _universe(rankings: Mapping[str, Ranking]) -> tuple[list[str], dict[str, str]]:
    """Every item key with its title (each ranking holds the same items: ranked or not)."""
    first = next(iter(rankings.values()))
    titles = {entry.item.key: entry.item.title for entry in first.entries()}
    titles.update((entry.key, entry.title) for entry in first.unscored)
    return list(titles), titles


def _universe_slots(first: Ranking) -> NDArray[Any]:
    """For each index into the ranked sequence, the item's place in ``_universe``'s order.

    Rankings of the same items share those indices: lining them up needs no key lookups
    (which, over 100k items and several models, cost more than the statistics).
    """
    np = _numpy()
    entries = first.entries()
    ranked = np.fromiter(map(_SOURCE_INDEX, entries), np.int64, len(entries))
    unscored = np.asarray(first.unscored_source_indices, dtype=np.int64)
    indices = np.concatenate((ranked, unscored))
    slots: NDArray[Any] = np.full(int(indices.max()) + 1 if len(indices) else 0, -1, np.int64)
    slots[indices] = np.arange(len(indices), dtype=np.int64)
    return slots


def _rank_arrays(
    ranking: Ranking, slots: NDArray[Any], size: int
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Per item: its rank (0 when unscored) and its tie group (0 = best, equal scores share)."""
    np = _numpy()
    rank = np.zeros(size, dtype=np.int64)
    group = np.zeros(size, dtype=np.int64)
    entries = ranking.entries()
    if not entries:
        return rank, group
    where = slots[np.fromiter(map(_SOURCE_INDEX, entries), np.int64, len(entries))]
    scores = np.fromiter(map(_VALUE, entries), np.float64, len(entries))
    rank[where] = np.arange(1, len(entries) + 1, dtype=np.int64)
    # The ranking is sorted by score, so equal scores are neighbours: a new group starts
    # wherever the score differs from the previous one beyond the tie tolerance.
    scale = np.maximum(np.abs(scores[1:]), np.abs(scores[:-1]))
    new_group = np.abs(scores[1:] - scores[:-1]) > RELATIVE_TOLERANCE * scale
    group[where] = np.concatenate(([0], np.cumsum(new_group)))
    return rank, group


def _pairs(names: Sequence[str]) -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]


def _tied_pairs(equal_to_previous: NDArray[Any]) -> int:
    """Pairs within runs of equal neighbours (sum of len*(len-1)/2 over runs)."""
    np = _numpy()
    if equal_to_previous.size == 0:
        return 0
    breaks = np.flatnonzero(~equal_to_previous) + 1
    bounds = np.concatenate(([0], breaks, [equal_to_previous.size + 1]))
    lengths = np.diff(bounds).astype(np.int64)
    return int((lengths * (lengths - 1) // 2).sum())


def _inversions(values: NDArray[Any]) -> int:
    """Pairs i < j with values[i] > values[j], for non-negative integers, in O(n log n).

    Bit by bit from the most significant: among items sharing the higher bits, an earlier item
    with this bit set and a later one without it form an inversion. Each level is one stable
    (radix) sort and a cumulative sum.
    """
    np = _numpy()
    values = np.asarray(values, dtype=np.int64)
    if values.size < 2:
        return 0
    total = 0
    for bit in range(int(values.max()).bit_length() - 1, -1, -1):
        prefix = values >> (bit + 1)
        ones = ((values >> bit) & 1).astype(np.int64)
        if prefix.max() < 2**16:
            prefix = prefix.astype(np.uint16)  # numpy sorts 16-bit integers by radix sort
        order = np.argsort(prefix, kind="stable")
        grouped = prefix[order]
        bits = ones[order]
        ones_before = np.cumsum(bits) - bits
        starts = np.flatnonzero(np.concatenate(([True], grouped[1:] != grouped[:-1])))
        lengths = np.diff(np.concatenate((starts, [grouped.size])))
        ones_before -= np.repeat(ones_before[starts], lengths)
        total += int(ones_before[bits == 0].sum())
    return total


def _average_ranks(values: NDArray[Any]) -> NDArray[Any]:
    """1-based ranks, ties sharing the average of their positions (scipy's ``rankdata``)."""
    np = _numpy()
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    lengths = np.diff(np.concatenate((starts, [ordered.size])))
    average = starts + (lengths + 1) / 2.0
    ranks = np.empty(values.size, dtype=np.float64)
    ranks[order] = np.repeat(average, lengths)
    return ranks  # type: ignore[no-any-return]


def _movers(
    matrix: NDArray[Any],
    spread: NDArray[Any],
    names: Sequence[str],
    keys: Sequence[str],
    titles: Mapping[str, str],
    *,
    limit: int,
) -> list[Mover]:
    """The ``limit`` items whose rank differs most between two models (largest spread first)."""
    np = _numpy()
    moved = np.nan_to_num(spread, nan=0.0)
    candidates = np.flatnonzero(moved > 0)
    if candidates.size > limit:
        # Keep everything tied with the limit-th largest move so the key tie-break stays exact.
        cut = candidates.size - limit
        threshold = np.partition(moved[candidates], cut)[cut]
        candidates = candidates[moved[candidates] >= threshold]
    chosen = sorted(candidates.tolist(), key=lambda i: (-moved[i], natural_key(keys[i])))[:limit]
    movers = []
    for i in chosen:
        column = matrix[:, i]
        best = int(np.nanargmin(column))
        worst = int(np.nanargmax(column))
        movers.append(
            Mover(
                key=keys[i],
                title=titles[keys[i]],
                from_model=names[best],
                from_rank=int(column[best]),
                to_model=names[worst],
                to_rank=int(column[worst]),
                delta=int(spread[i]),
            )
        )
    return movers


def _rank_order(column: NDArray[Any]) -> tuple[float, ...]:
    """Sort items by their rank under the first model, then the next (unscored last)."""
    return tuple(math.inf if math.isnan(value) else float(value) for value in column)


def _int_or_none(value: float) -> int | None:
    return None if math.isnan(value) else int(value)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, _DECIMALS)
