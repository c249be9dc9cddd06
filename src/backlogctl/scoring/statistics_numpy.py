"""The numpy accelerator of ``statistics``: the same tau-b and rho, computed on arrays.

Imported only through ``statistics.numpy_statistics()``, and only when numpy is installed (the
``fast`` extra). It must give the numbers of the plain path; the tests compare the two.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Integers = NDArray[np.int64]


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Kendall's tau-b (Knight's algorithm on arrays), or None when undefined."""
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    n = int(xs.size)
    if n < 2 or ys.size != n:
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
    codes: Integers = np.unique(ys, return_inverse=True)[1].reshape(-1).astype(np.int64)
    discordant = _inversions(codes)
    concordant_minus_discordant = pairs - x_ties - y_ties + both_ties - 2 * discordant
    return max(-1.0, min(1.0, concordant_minus_discordant / math.sqrt(denominator)))


def spearman_rho(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rho (Pearson correlation of average ranks), or None when undefined."""
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    if xs.size < 2 or ys.size != xs.size:
        return None
    rx = _average_ranks(xs)
    ry = _average_ranks(ys)
    rx -= rx.mean()
    ry -= ry.mean()
    denominator = math.sqrt(float((rx * rx).sum()) * float((ry * ry).sum()))
    if denominator == 0:
        return None
    return max(-1.0, min(1.0, float((rx * ry).sum()) / denominator))


def _tied_pairs(equal_to_previous: NDArray[np.bool_]) -> int:
    """Pairs within runs of equal neighbours (sum of len*(len-1)/2 over runs)."""
    if equal_to_previous.size == 0:
        return 0
    breaks = np.flatnonzero(~equal_to_previous) + 1
    bounds = np.concatenate(([0], breaks, [equal_to_previous.size + 1]))
    lengths = np.diff(bounds).astype(np.int64)
    return int((lengths * (lengths - 1) // 2).sum())


def _inversions(values: Integers) -> int:
    """Pairs i < j with values[i] > values[j], for non-negative integers, in O(n log n).

    Bit by bit from the most significant: among items sharing the higher bits, an earlier item
    with this bit set and a later one without it form an inversion. Each level is one stable
    sort and a cumulative sum.
    """
    if values.size < 2:
        return 0
    total = 0
    for bit in range(int(values.max()).bit_length() - 1, -1, -1):
        prefix = values >> (bit + 1)
        ones = (values >> bit) & 1
        order = np.argsort(prefix, kind="stable")
        grouped = prefix[order]
        bits = ones[order]
        ones_before = np.cumsum(bits) - bits
        starts = np.flatnonzero(np.concatenate(([True], grouped[1:] != grouped[:-1])))
        lengths = np.diff(np.concatenate((starts, [grouped.size])))
        ones_before -= np.repeat(ones_before[starts], lengths)
        total += int(ones_before[bits == 0].sum())
    return total


def _average_ranks(values: Floats) -> Floats:
    """1-based ranks, ties sharing the average of their positions (scipy's ``rankdata``)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    lengths = np.diff(np.concatenate((starts, [ordered.size])))
    average = starts + (lengths + 1) / 2.0
    ranks = np.empty(values.size, dtype=np.float64)
    ranks[order] = np.repeat(average, lengths)
    return ranks
