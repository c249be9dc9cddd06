"""How the report's model agrees with each other model: the numbers behind the sentences.

The statistics are ``compare``'s (top-N overlap; Kendall tau-b over the tie groups of the
items both models score, rounded as ``compare`` rounds it), computed here for the report's
model against each other model only: ``scoring.compare.compare_rankings`` also works out
Spearman's rho, movers and the per-item table, which the report does not show. Models that
score no open item are named and skipped, as are models sharing fewer than two scored items
with the report's model (nothing to correlate).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from backlogctl.report.model import Agreement, ModelPair
from backlogctl.scoring.ranking import RELATIVE_TOLERANCE, Ranking
from backlogctl.scoring.statistics import kendall_tau_b

#: Decimals of Kendall's tau, as ``compare`` reports it.
DECIMALS = 6


def tie_groups(ranking: Ranking) -> dict[int, int]:
    """Each ranked item's tie group (0 = best), by its position in the ranked sequence.

    Items a model scores equally (within the ranking's tolerance) share a group, so the
    correlation counts them as tied, not as ordered by the tie-breaks (as ``compare`` does).
    """
    groups: dict[int, int] = {}
    entries = ranking.entries()
    group = 0
    previous = entries[0].value if entries else 0.0
    for entry in entries:
        if not math.isclose(entry.value, previous, rel_tol=RELATIVE_TOLERANCE):
            group += 1
        previous = entry.value
        groups[entry.source_index] = group
    return groups


def model_agreement(model: str, rankings: Mapping[str, Ranking], *, top: int) -> Agreement:
    """``model`` against each other ranking in ``rankings`` (``model`` must be one of them).

    Every ranking must rank the same sequence of items (``source_index`` pairs them up).
    """
    base = rankings[model]
    pairs: list[ModelPair] = []
    skipped: list[tuple[str, str]] = []
    if not base.ordered:
        return Agreement(model=model, pairs=(), skipped=((model, "scores no open item"),))
    base_groups = tie_groups(base)
    base_top = {entry.item.key for entry in base.entries()[:top]}
    for name, ranking in rankings.items():
        if name == model:
            continue
        if not ranking.ordered:
            skipped.append((name, "scores no open item"))
            continue
        groups = tie_groups(ranking)
        # In the report's model's rank order, the items the other model scores too.
        both = [index for index in base_groups if index in groups]
        if len(both) < 2:
            common = "no scored item" if not both else "only one scored item"
            skipped.append((name, f"has {common} in common with {model}"))
            continue
        tau = kendall_tau_b([base_groups[i] for i in both], [groups[i] for i in both])
        other_top = {entry.item.key for entry in ranking.entries()[:top]}
        pairs.append(
            ModelPair(
                other=name,
                shared=len(base_top & other_top),
                possible=min(len(base_top), len(other_top)),
                top=top,
                kendall_tau=None if tau is None else round(tau, DECIMALS),
                compared=len(both),
            )
        )
    return Agreement(model=model, pairs=tuple(pairs), skipped=tuple(skipped))
