"""How the report's model agrees with each other model: the numbers behind the sentences.

The statistics are ``scoring.compare``'s (top-N overlap, Kendall tau-b over the items both
models score); the renderers put them in the words ``compare`` uses. Models that score no
open item are named and skipped, as are models sharing fewer than two scored items with the
report's model (nothing to correlate).
"""

from __future__ import annotations

from collections.abc import Mapping

from backlogctl.report.model import Agreement, ModelPair
from backlogctl.scoring.compare import compare_rankings
from backlogctl.scoring.ranking import Ranking


def model_agreement(model: str, rankings: Mapping[str, Ranking], *, top: int) -> Agreement:
    """``model`` against each other ranking in ``rankings`` (``model`` must be one of them)."""
    base = rankings[model]
    pairs: list[ModelPair] = []
    skipped: list[tuple[str, str]] = []
    if not base.ordered:
        return Agreement(model=model, pairs=(), skipped=((model, "scores no open item"),))
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
            common = "no scored item" if pair.n == 0 else "only one scored item"
            skipped.append((name, f"has {common} in common with {model}"))
            continue
        pairs.append(
            ModelPair(
                other=name,
                shared=shared.count,
                possible=shared.possible,
                top=top,
                kendall_tau=pair.kendall_tau,
                compared=pair.n,
            )
        )
    return Agreement(model=model, pairs=tuple(pairs), skipped=tuple(skipped))
