"""Rank items under one model, with deterministic tie-breaking (see DESIGN.md).

Order: score descending (runs of scores each within 1e-9 relative of the next are tied),
then the model's tie-breaker descending (cost of delay for WSJF, confidence for RICE and
ICE), then the stored ``rank`` ascending (items without one after those with one), then the
key in natural order (``SHOP-9`` before ``SHOP-10``). Unscored items keep their backlog order.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from backlogctl.models import BacklogItem, ScoredItem, UnscoredItem
from backlogctl.scoring.base import Score, ScoringModel, Unscorable

#: Scores (and tie-breakers) closer than this, relatively, count as equal.
RELATIVE_TOLERANCE = 1e-9

_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class Ranking:
    """The outcome of ranking a backlog under one model.

    ``ranked`` records are built on first use: compare and lint rank 100k items several
    times and only need ``positions()``.
    """

    model: ScoringModel
    ordered: list[tuple[BacklogItem, Score]]
    unscored: list[UnscoredItem]
    explain: bool = True
    limit: int | None = None

    @cached_property
    def ranked(self) -> list[ScoredItem]:
        """The scored items in rank order (the first ``limit`` when trimmed by ``top``)."""
        # The fields are already typed values: skip re-validating each record.
        return [
            ScoredItem.model_construct(
                rank=position,
                key=item.key,
                title=item.title,
                score=score.value,
                inputs=score.inputs,
                status=item.status,
                explanation=score.explanation if self.explain else None,
            )
            for position, (item, score) in enumerate(self.ordered[: self.limit], start=1)
        ]

    def entries(self) -> list[tuple[BacklogItem, Score]]:
        """The ranked ``(item, score)`` pairs in rank order, without building records."""
        return self.ordered[: self.limit]

    def positions(self) -> dict[str, int]:
        """Each ranked item's key mapped to its 1-based rank."""
        return {
            item.key: position
            for position, (item, _) in enumerate(self.ordered[: self.limit], start=1)
        }

    def top(self, count: int | None) -> Ranking:
        """The first ``count`` ranked items (all when None); unscored items are all kept."""
        if count is None:
            return self
        return replace(self, limit=count if self.limit is None else min(count, self.limit))


def natural_key(key: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key for issue keys with numbers compared as numbers (``SHOP-9`` < ``SHOP-10``)."""
    parts = (part for part in _DIGITS.split(key) if part)
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold()) for part in parts
    )


def _tied(left: float, right: float) -> bool:
    return left == right or math.isclose(left, right, rel_tol=RELATIVE_TOLERANCE)


_Pair = tuple[BacklogItem, Score]


def _tied_runs(pairs: list[_Pair], value: Callable[[_Pair], float]) -> Iterator[list[_Pair]]:
    """Consecutive pairs whose values are each tied with the next one."""
    run = [pairs[0]]
    for previous, current in itertools.pairwise(pairs):
        if _tied(value(previous), value(current)):
            run.append(current)
        else:
            yield run
            run = [current]
    yield run


def _score_of(pair: _Pair) -> float:
    return pair[1].value


def _tie_breaker_of(pair: _Pair) -> float:
    return pair[1].tie_breaker


def _last_resort(pair: _Pair) -> tuple[tuple[bool, int], tuple[tuple[int, int, str], ...], str]:
    item = pair[0]
    return (item.rank is None, item.rank or 0), natural_key(item.key), item.key


def order_scored(scored: list[_Pair]) -> list[_Pair]:
    """``(item, score)`` pairs in rank order (the tie-breaks of this module's docstring).

    Sorts by score, then only within runs of tied scores by the slower tie-breaks.

    Key sorts instead of a tolerance comparator: 10k items sort in milliseconds, and the
    natural key is only computed for items that are actually tied.
    """
    if not scored:
        return []
    ordered: list[_Pair] = []
    for run in _tied_runs(sorted(scored, key=_score_of, reverse=True), _score_of):
        if len(run) == 1:
            ordered.extend(run)
            continue
        run.sort(key=_tie_breaker_of, reverse=True)
        for tied in _tied_runs(run, _tie_breaker_of):
            ordered.extend(sorted(tied, key=_last_resort))
    return ordered


def rank_items(
    items: Sequence[BacklogItem],
    model: ScoringModel,
    *,
    include_done: bool = False,
    explain: bool = True,
) -> Ranking:
    """Score ``items`` with ``model`` and order them; done items are left out unless asked.

    With ``explain=False`` the ranked items carry no ``explanation`` text, which saves
    formatting five numbers per item when only the order matters (compare, lint).
    """
    scored: list[tuple[BacklogItem, Score]] = []
    unscored: list[UnscoredItem] = []
    for item in items:
        if item.is_done and not include_done:
            continue
        outcome = model.score(item)
        if isinstance(outcome, Unscorable):
            unscored.append(
                UnscoredItem.model_construct(
                    key=item.key, title=item.title, status=item.status, reason=outcome.reason
                )
            )
        else:
            scored.append((item, outcome))
    return Ranking(model=model, ordered=order_scored(scored), unscored=unscored, explain=explain)
