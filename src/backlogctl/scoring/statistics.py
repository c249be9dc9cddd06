"""Rank agreement statistics: Kendall's tau-b, Spearman's rho and top-N overlap.

Plain Python, O(n log n). Kendall's tau-b follows Knight's algorithm: sort the pairs by ``x``
then ``y``, count the pairs tied in ``x``, in ``y`` and in both, and count the discordant pairs
as the inversions of the sorted ``y`` with a merge sort. Spearman's rho is Pearson's correlation
of average ranks (ties share the mean of their positions, as scipy's ``rankdata``).

When numpy is installed, ``statistics_numpy`` computes the same numbers on arrays for samples
of ``ACCELERATE_FROM`` items or more; the plain path is the reference the tests hold it
against.
"""

from __future__ import annotations

import importlib
import math
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from functools import cache
from operator import mul
from types import ModuleType
from typing import NamedTuple

#: Samples from this size on use numpy when it is installed: below it, importing numpy costs
#: more than the arrays save (bench/README.md, "compare without numpy").
ACCELERATE_FROM = 25_000


class Overlap(NamedTuple):
    """What two top-N lists share."""

    shared: int
    jaccard: float
    #: The most they can share: the shorter list's length.
    possible: int


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Kendall's tau-b of two paired samples (ties corrected), or None when undefined."""
    _check_lengths(x, y, "kendall_tau_b")
    if len(x) < 2:
        return None
    fast = numpy_statistics() if len(x) >= ACCELERATE_FROM else None
    if fast is not None:
        result: float | None = fast.kendall_tau_b(x, y)
        return result
    return plain_kendall_tau_b(x, y)


def spearman_rho(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rho (Pearson correlation of average ranks), or None when undefined."""
    _check_lengths(x, y, "spearman_rho")
    if len(x) < 2:
        return None
    fast = numpy_statistics() if len(x) >= ACCELERATE_FROM else None
    if fast is not None:
        result: float | None = fast.spearman_rho(x, y)
        return result
    return plain_spearman_rho(x, y)


def top_overlap(first: set[str], second: set[str], *, decimals: int) -> Overlap:
    """How many keys two top-N sets share, their Jaccard index and the most they could share."""
    shared = len(first & second)
    union = len(first | second)
    return Overlap(
        shared=shared,
        jaccard=round(shared / union, decimals) if union else 0.0,
        possible=min(len(first), len(second)),
    )


@cache
def numpy_statistics() -> ModuleType | None:
    """The numpy implementation when numpy is installed, else None (the plain path)."""
    try:
        return importlib.import_module("backlogctl.scoring.statistics_numpy")
    except ImportError:
        return None


def plain_kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float | None:
    """``kendall_tau_b`` in plain Python (also the reference for the numpy path)."""
    _check_lengths(x, y, "kendall_tau_b")
    n = len(x)
    if n < 2:
        return None
    pairs_sorted = sorted(zip(x, y, strict=True))
    pairs = n * (n - 1) // 2
    x_ties = _tied_pairs(x)
    y_ties = _tied_pairs(y)
    both_ties = _tied_pairs(pairs_sorted)
    discordant = _count_inversions([pair[1] for pair in pairs_sorted])
    denominator = (pairs - x_ties) * (pairs - y_ties)
    if denominator == 0:
        return None
    concordant_minus_discordant = pairs - x_ties - y_ties + both_ties - 2 * discordant
    return max(-1.0, min(1.0, concordant_minus_discordant / math.sqrt(denominator)))


def plain_spearman_rho(x: Sequence[float], y: Sequence[float]) -> float | None:
    """``spearman_rho`` in plain Python (also the reference for the numpy path)."""
    _check_lengths(x, y, "spearman_rho")
    n = len(x)
    if n < 2:
        return None
    # The ranks 1..n average (n + 1) / 2 however ties are shared.
    middle = (n + 1) / 2
    rx = [rank - middle for rank in average_ranks(x)]
    ry = [rank - middle for rank in average_ranks(y)]
    denominator = math.sqrt(math.fsum(map(mul, rx, rx)) * math.fsum(map(mul, ry, ry)))
    if denominator == 0:
        return None
    return max(-1.0, min(1.0, math.fsum(map(mul, rx, ry)) / denominator))


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing the average of their positions (scipy's ``rankdata``)."""
    counts = Counter(values)
    average: dict[float, float] = {}
    start = 0
    for value in sorted(counts):
        count = counts[value]
        # Positions start+1 .. start+count: their mean.
        average[value] = start + (count + 1) / 2
        start += count
    return [average[value] for value in values]


def _check_lengths(x: Sequence[float], y: Sequence[float], name: str) -> None:
    if len(x) != len(y):
        raise ValueError(f"{name}: samples differ in length")


def _tied_pairs(values: Iterable[Hashable]) -> int:
    """Pairs of equal values: the sum of count*(count-1)/2 over the distinct values."""
    return sum(count * (count - 1) // 2 for count in Counter(values).values())


def _count_inversions(values: list[float]) -> int:
    """The pairs i < j with ``values[i] > values[j]`` (equal values: none).

    A bottom-up merge sort: when an element of a right run is merged before the rest of its
    left run, it forms one inversion with each element left there.
    """
    current = list(values)
    size = len(current)
    inversions = 0
    width = 1
    while width < size:
        merged: list[float] = []
        for start in range(0, size, 2 * width):
            left = current[start : start + width]
            right = current[start + width : start + 2 * width]
            if not right or left[-1] <= right[0]:  # already in order: nothing to count
                merged += left
                merged += right
                continue
            i = j = 0
            left_size, right_size = len(left), len(right)
            while i < left_size and j < right_size:
                if right[j] < left[i]:
                    merged.append(right[j])
                    inversions += left_size - i
                    j += 1
                else:
                    merged.append(left[i])
                    i += 1
            merged += left[i:]
            merged += right[j:]
        current = merged
        width *= 2
    return inversions
