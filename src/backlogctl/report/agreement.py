"""How the report's model agrees with the other models, in plain words.

The statistics are ``scoring.compare``'s (top-N overlap, Kendall tau-b over the items both
models score); this module turns them into a sentence per model pair. Models that score no
open item are named and skipped, as are models that score only one (nothing to correlate).
"""

from __future__ import annotations

from collections.abc import Mapping

from backlogctl.report.model import Agreement, PairWords
from backlogctl.scoring.compare import compare_rankings
from backlogctl.scoring.ranking import Ranking

#: Kendall tau-b thresholds, highest first, with the words for "the orders ... agree".
_STRENGTH = (
    (0.7, "strongly"),
    (0.4, "moderately"),
    (0.1, "weakly"),
    (-0.1, "hardly at all"),
)


def strength(tau: float | None) -> str:
    """Kendall tau-b in words: how much two orders agree."""
    if tau is None:
        return "cannot be compared (every item ties under one of them)"
    for floor, words in _STRENGTH:
        if tau >= floor:
            return f"agree {words}"
    return "disagree: one tends to reverse the other"


def model_agreement(model: str, rankings: Mapping[str, Ranking], *, top: int) -> Agreement:
    """``model`` against each other ranking in ``rankings`` (``model`` must be one of them)."""
    base = rankings[model]
    pairs: list[PairWords] = []
    skipped: list[tuple[str, str]] = []
    for name, ranking in rankings.items():
        if name == model:
            continue
        scored = len(ranking.ordered)
        if scored == 0:
            skipped.append((name, "scores no open item"))
            continue
        comparison = compare_rankings({model: base, name: ranking}, top=top)
        pair = comparison.correlation[f"{model}:{name}"]
        shared = comparison.top_overlap[f"{model}:{name}"]
        if pair.n < 2:
            skipped.append((name, f"scores {pair.n} item in common with {model}"))
            continue
        tau = pair.kendall_tau
        words = (
            f"{shared.count} of the top {min(top, shared.possible)} shared; over the "
            f"{pair.n} items both score, the orders {strength(tau)}"
        )
        if tau is not None:
            words += f" (Kendall τ {tau:.2f})"
        pairs.append(
            PairWords(
                other=name,
                shared=shared.count,
                possible=shared.possible,
                top=top,
                kendall_tau=tau,
                compared=pair.n,
                words=words,
            )
        )
    return Agreement(model=model, pairs=tuple(pairs), skipped=tuple(skipped))
