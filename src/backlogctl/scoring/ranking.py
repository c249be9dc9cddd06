"""Rank items under one model, with deterministic tie-breaking (see DESIGN.md).

Order: score descending (scores within 1e-9 relative are tied), then the model's tie-breaker
descending (cost of delay for WSJF, confidence for RICE and ICE), then the stored ``rank``
ascending (items without one after those with one), then the key in natural order
(``SHOP-9`` before ``SHOP-10``). Unscored items keep their backlog order.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from backlogctl.models import BacklogItem, ScoredItem, UnscoredItem
from backlogctl.scoring.base import Score, ScoringModel, Unscorable

#: Scores (and tie-breakers) closer than this, relatively, count as equal.
RELATIVE_TOLERANCE = 1e-9

_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class Ranking:
    """The outcome of ranking a backlog under one model."""

    model: ScoringModel
    ranked: list[ScoredItem]
    unscored: list[UnscoredItem]

    def positions(self) -> dict[str, int]:
        """Each ranked item's key mapped to its 1-based rank."""
        return {item.key: item.rank for item in self.ranked}

    def top(self, count: int | None) -> Ranking:
        """The first ``count`` ranked items (all when None); unscored items are all kept."""
        if count is None:
            return self
        return replace(self, ranked=self.ranked[:count])


def natural_key(key: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key for issue keys with numbers compared as numbers (``SHOP-9`` < ``SHOP-10``)."""
    parts = (part for part in _DIGITS.split(key) if part)
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold()) for part in parts
    )


def _compare_floats(left: float, right: float) -> int:
    """Descending, with values within the relative tolerance equal."""
    if left == right or math.isclose(left, right, rel_tol=RELATIVE_TOLERANCE):
        return 0
    return -1 if left > right else 1


def _compare(left: tuple[BacklogItem, Score], right: tuple[BacklogItem, Score]) -> int:
    (left_item, left_score), (right_item, right_score) = left, right
    by_score = _compare_floats(left_score.value, right_score.value)
    if by_score:
        return by_score
    by_tie_breaker = _compare_floats(left_score.tie_breaker, right_score.tie_breaker)
    if by_tie_breaker:
        return by_tie_breaker
    left_rest = (_stored_rank(left_item), natural_key(left_item.key), left_item.key)
    right_rest = (_stored_rank(right_item), natural_key(right_item.key), right_item.key)
    return (left_rest > right_rest) - (left_rest < right_rest)


def _stored_rank(item: BacklogItem) -> tuple[bool, int]:
    return (item.rank is None, item.rank or 0)


def rank_items(
    items: Sequence[BacklogItem], model: ScoringModel, *, include_done: bool = False
) -> Ranking:
    """Score ``items`` with ``model`` and order them; done items are left out unless asked."""
    scored: list[tuple[BacklogItem, Score]] = []
    unscored: list[UnscoredItem] = []
    for item in items:
        if item.is_done and not include_done:
            continue
        outcome = model.score(item)
        if isinstance(outcome, Unscorable):
            unscored.append(
                UnscoredItem(
                    key=item.key, title=item.title, status=item.status, reason=outcome.reason
                )
            )
        else:
            scored.append((item, outcome))
    scored.sort(key=functools.cmp_to_key(_compare))
    ranked = [
        ScoredItem(
            rank=position,
            key=item.key,
            title=item.title,
            score=score.value,
            inputs=dict(score.inputs),
            status=item.status,
            explanation=score.explanation,
        )
        for position, (item, score) in enumerate(scored, start=1)
    ]
    return Ranking(model=model, ranked=ranked, unscored=unscored)
