"""Rank correlation statistics: hand-checked cases, scipy on random ties, plain vs numpy.

The public ``kendall_tau_b``/``spearman_rho`` use numpy when it is installed (it is, with the
test extra); the plain-Python functions are checked on their own against scipy and against the
numpy path, so both stay exact.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from backlogctl.scoring import statistics_numpy
from backlogctl.scoring.statistics import (
    ACCELERATE_FROM,
    average_ranks,
    kendall_tau_b,
    numpy_statistics,
    plain_kendall_tau_b,
    plain_spearman_rho,
    spearman_rho,
)

#: Paired samples with many ties (few distinct values), as model scores have.
_SAMPLES = st.integers(min_value=0, max_value=60).flatmap(
    lambda size: st.tuples(
        st.lists(st.integers(0, 6) | st.floats(-3, 3, width=16), min_size=size, max_size=size),
        st.lists(st.integers(0, 6) | st.floats(-3, 3, width=16), min_size=size, max_size=size),
    )
)


def _scipy_or_none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


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


def test_the_numpy_accelerator_is_found_when_installed() -> None:
    # With the test extra numpy is installed: large samples must take the fast path.
    assert numpy_statistics() is statistics_numpy


def test_large_samples_take_the_numpy_path_small_ones_the_plain_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    original = statistics_numpy.spearman_rho

    def counted(x: Sequence[float], y: Sequence[float]) -> float | None:
        calls.append(len(x))
        return original(x, y)

    monkeypatch.setattr(statistics_numpy, "spearman_rho", counted)
    small = list(range(ACCELERATE_FROM - 1))
    large = list(range(ACCELERATE_FROM))
    assert spearman_rho(small, small[::-1]) == pytest.approx(-1.0)
    assert spearman_rho(large, large) == pytest.approx(1.0)
    assert calls == [ACCELERATE_FROM]


@pytest.mark.filterwarnings("ignore::scipy.stats.ConstantInputWarning")
@settings(max_examples=300, deadline=None)
@given(_SAMPLES)
def test_plain_python_statistics_equal_scipy(samples: tuple[list[float], list[float]]) -> None:
    x, y = samples
    if len(x) < 2:
        assert plain_kendall_tau_b(x, y) is None
        assert plain_spearman_rho(x, y) is None
        return
    expected_tau = _scipy_or_none(stats.kendalltau(x, y, variant="b").statistic)
    expected_rho = _scipy_or_none(stats.spearmanr(x, y).statistic)
    tau, rho = plain_kendall_tau_b(x, y), plain_spearman_rho(x, y)
    assert (tau is None) == (expected_tau is None)
    assert (rho is None) == (expected_rho is None)
    if tau is not None:
        assert tau == pytest.approx(expected_tau, abs=1e-12)
    if rho is not None:
        assert rho == pytest.approx(expected_rho, abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(_SAMPLES)
def test_numpy_and_plain_paths_agree(samples: tuple[list[float], list[float]]) -> None:
    x, y = samples
    for plain, fast in (
        (plain_kendall_tau_b(x, y), statistics_numpy.kendall_tau_b(x, y)),
        (plain_spearman_rho(x, y), statistics_numpy.spearman_rho(x, y)),
    ):
        if plain is None:
            assert fast is None
        else:
            assert fast == pytest.approx(plain, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 5) | st.floats(-2, 2, width=16), max_size=40))
def test_average_ranks_equal_scipys_rankdata(values: list[float]) -> None:
    assert average_ranks(values) == pytest.approx(list(stats.rankdata(values)) if values else [])


def test_plain_path_on_a_large_permutation_matches_scipy() -> None:
    # The merge sort's inversion count across many levels: 20,000 items, no ties.
    rng = random.Random(5)
    y = list(range(20_000))
    rng.shuffle(y)
    x = list(range(20_000))
    assert plain_kendall_tau_b(x, y) == pytest.approx(stats.kendalltau(x, y).statistic, abs=1e-12)
    assert plain_spearman_rho(x, y) == pytest.approx(stats.spearmanr(x, y).statistic, abs=1e-12)
