"""ICE: impact × confidence × ease, each on a 1..10 scale.

Ties between equal ICE scores go to the item with the higher confidence, as for RICE.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from backlogctl.models import BacklogItem
from backlogctl.scoring.base import FastScore, Score, ScoreOutcome, Unscorable
from backlogctl.scoring.numbers import NON_NEGATIVE, InputReader, format_number

_BOUNDS = {
    "ice.impact": NON_NEGATIVE,
    "ice.confidence": NON_NEGATIVE,
    "ice.ease": NON_NEGATIVE,
}
_READER = InputReader(_BOUNDS)


def _scales() -> dict[str, str]:
    return dict.fromkeys(_BOUNDS, "1..10")


def _ice(impact: float, confidence: float, ease: float) -> tuple[float, float] | None:
    score = impact * confidence * ease
    return None if not math.isfinite(score) else (score, confidence)


@dataclass(frozen=True)
class IceModel:
    """The ICE score; the tie-breaker is confidence."""

    name: str = "ice"
    description: str = (
        "ICE: a quick product of impact, confidence and ease; ties go to higher confidence"
    )
    formula: str = "impact × confidence × ease"
    input_scales: dict[str, str] = field(default_factory=_scales)
    main_inputs: tuple[str, ...] = tuple(_BOUNDS)

    def fast_score(self, item: BacklogItem) -> FastScore | None:
        """``(score, confidence, inputs)``, or None when ``score`` must say why not."""
        return _READER.fast_score(item, _ice)

    def score(self, item: BacklogItem) -> ScoreOutcome:
        """ICE score of ``item``, or why it cannot be scored."""
        values = _READER.read(item)
        if isinstance(values, Unscorable):
            return values
        impact, confidence, ease = (
            values["ice.impact"],
            values["ice.confidence"],
            values["ice.ease"],
        )
        result = _ice(impact, confidence, ease)
        if result is None:
            return Unscorable("ICE score too large", inputs=dict(values))
        score = result[0]

        def explanation() -> str:
            return (
                f"impact {format_number(impact)} × confidence {format_number(confidence)} × "
                f"ease {format_number(ease)} = {format_number(score)}"
            )

        return Score(score, values, explanation, confidence)
