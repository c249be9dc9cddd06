"""0-100 normalised scores, as Jira Product Discovery and airfocus show them (``--normalize``).

The usual scale is the score as a share of the top score: ``score / top × 100``, one decimal,
so the top item is 100 and the rest read as "x % of the best". That only means something when
no score is negative and the top score is above 0; otherwise the scores are min-max scaled
(lowest 0, highest 100) and ``method`` says so, so every output can state it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

Method = Literal["of_top", "min_max"]
#: Share of the top score.
OF_TOP: Final = "of_top"
#: Min-max scaling, when a score is negative or the top score is 0.
MIN_MAX: Final = "min_max"


@dataclass(frozen=True)
class Normalized:
    """Normalised scores in the order given, and how they were computed."""

    method: Method
    values: list[float]

    def describe(self) -> str:
        """One sentence for the output: what the 0-100 numbers are."""
        if self.method == OF_TOP:
            return "Score 0-100: score / top score × 100."
        return (
            "Score 0-100: min-max scaled (lowest 0, highest 100), because a score is "
            "negative or the top score is 0."
        )


def normalize(scores: Sequence[float]) -> Normalized:
    """``scores`` on a 0-100 scale, rounded to one decimal (see the module docstring).

    All equal scores under min-max scaling are all 100 (each is the top).
    """
    if not scores:
        return Normalized(OF_TOP, [])
    top, low = max(scores), min(scores)
    if top > 0 and low >= 0:
        return Normalized(OF_TOP, [round(score / top * 100, 1) for score in scores])
    # Halved so that spans like 1e308 - (-1e308) do not overflow to infinity.
    span = top / 2 - low / 2
    if span == 0:
        return Normalized(MIN_MAX, [100.0 for _ in scores])
    return Normalized(MIN_MAX, [round((score / 2 - low / 2) / span * 100, 1) for score in scores])
