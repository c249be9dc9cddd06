"""Rank correlation statistics: hand-checked cases and agreement with scipy on random ties."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from scipy import stats

from backlogctl.scoring.compare import kendall_tau_b, spearman_rho


def test_identical_rankings_have_tau_and_rho_one() -> None:
    ranks = [1, 2, 3, 4, 5, 6]
    assert kendall_tau_b(ranks, ranks) == pytest.approx(1.0)
    assert spearman_rho(ranks, ranks) == pytest.approx(1.0)


def test_reversed_rankings_have_tau_and_rho_minus_one() -> None:
    ranks = [1, 2, 3, 4, 5, 6]
    assert kendall_tau_b(ranks, ranks[::-1]) == pytest.approx(-1.0)
    assert spearman_rho(ranks, ranks[::-1]) == pytest.approx(-1.0)


def test_known_tie_case() -> None:
    # Pairs of x=[1,2,2,3], y=[1,2,3,4]: 5 concordant, 0 discordant, 1 tied in x only.
    # tau-b = 5 / sqrt((6 - 1) * (6 - 0)); rho from average ranks [1, 2.5, 2.5, 4].
    x, y = [1, 2, 2, 3], [1, 2, 3, 4]
    assert kendall_tau_b(x, y) == pytest.approx(5 / math.sqrt(30))
    assert spearman_rho(x, y) == pytest.approx(4.5 / math.sqrt(4.5 * 5))


def test_one_discordant_pair() -> None:
    # Swapping two neighbours of 4 items: 5 concordant, 1 discordant of 6 pairs.
    assert kendall_tau_b([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(4 / 6)


def test_undefined_when_a_sample_is_constant_or_too_small() -> None:
    assert kendall_tau_b([1, 1, 1], [1, 2, 3]) is None
    assert spearman_rho([1, 2, 3], [5, 5, 5]) is None
    assert kendall_tau_b([1], [1]) is None
    assert spearman_rho([], []) is None


def test_samples_of_different_length_are_rejected() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        kendall_tau_b([1, 2], [1, 2, 3])


def _brute_force_counts(x: list[int], y: list[int]) -> tuple[int, int, int]:
    concordant = discordant = 0
    x_ties = y_ties = 0
    for i, j in itertools.combinations(range(len(x)), 2):
        sign = (x[i] - x[j]) * (y[i] - y[j])
        concordant += sign > 0
        discordant += sign < 0
        x_ties += x[i] == x[j]
        y_ties += y[i] == y[j]
    return concordant - discordant, x_ties, y_ties


@pytest.mark.parametrize("seed", range(40))
def test_matches_brute_force_and_scipy_on_random_data_with_ties(seed: int) -> None:
    rng = random.Random(seed)
    size = rng.randint(2, 80)
    levels = rng.randint(1, 12)
    x = [rng.randint(0, levels) for _ in range(size)]
    y = [rng.randint(0, levels) for _ in range(size)]

    tau = kendall_tau_b(x, y)
    rho = spearman_rho(x, y)

    expected_tau = stats.kendalltau(x, y, variant="b").statistic
    expected_rho = stats.spearmanr(x, y).statistic
    if math.isnan(expected_tau):
        assert tau is None
    else:
        assert tau == pytest.approx(expected_tau, abs=1e-12)
        difference, x_ties, y_ties = _brute_force_counts(x, y)
        pairs = size * (size - 1) // 2
        assert tau == pytest.approx(difference / math.sqrt((pairs - x_ties) * (pairs - y_ties)))
    if math.isnan(expected_rho):
        assert rho is None
    else:
        assert rho == pytest.approx(expected_rho, abs=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_matches_scipy_on_large_float_samples_with_many_ties(seed: int) -> None:
    rng = random.Random(seed)
    x = [round(rng.gauss(0, 1), 1) for _ in range(20_000)]
    y = [round(value + rng.gauss(0, 1), 1) for value in x]
    assert kendall_tau_b(x, y) == pytest.approx(stats.kendalltau(x, y).statistic, abs=1e-12)
    assert spearman_rho(x, y) == pytest.approx(stats.spearmanr(x, y).statistic, abs=1e-12)


def test_large_permutation_matches_scipy() -> None:
    rng = random.Random(11)
    y = list(range(100_000))
    rng.shuffle(y)
    x = list(range(100_000))
    assert kendall_tau_b(x, y) == pytest.approx(stats.kendalltau(x, y).statistic, abs=1e-12)
