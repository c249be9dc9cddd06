"""The team's stored manual order as a scoring model (``compare --models rice,current``).

``rank`` 1 scores highest, so the manual order can be compared like any other model. It is
not in the registry: only ``compare`` offers it.
"""

from __future__ import annotations

import math

from backlogctl.models import BacklogItem
from backlogctl.scoring.base import FastScore, Score, ScoreOutcome, Unscorable
from backlogctl.scoring.fields import get_value
from backlogctl.scoring.registry import CURRENT


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
        """``(-rank, 0, (rank,))``, or None when ``score`` must say why not."""
        rank = get_value(item, "rank")
        if not isinstance(rank, float) or math.isinf(rank):
            return None
        return FastScore(-rank, 0.0, (rank,))

    def score(self, item: BacklogItem) -> ScoreOutcome:
        """``-rank``, or unscored when the item has no usable stored rank."""
        rank = get_value(item, "rank")
        if not isinstance(rank, float):
            return Unscorable("no stored manual rank", inputs={"rank": None})
        if math.isinf(rank):
            return Unscorable("rank is too large to compute with", inputs={"rank": rank})
        return Score(value=-rank, inputs={"rank": rank}, explanation=f"manual rank {item.rank}")
