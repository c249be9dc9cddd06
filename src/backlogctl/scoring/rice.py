"""RICE (Intercom): reach × impact × confidence / effort.

Ties between equal RICE scores go to the item with the higher confidence: of two bets worth
the same, the surer one comes first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from backlogctl.models import BacklogItem
from backlogctl.scoring.base import FastScore, Score, ScoreOutcome, Unscorable
from backlogctl.scoring.numbers import FRACTION, NON_NEGATIVE, POSITIVE, InputReader, format_number

_BOUNDS = {
    "rice.reach": NON_NEGATIVE,
    "rice.impact": NON_NEGATIVE,
    "rice.confidence": FRACTION,
    "rice.effort": POSITIVE,
}
_READER = InputReader(_BOUNDS)


def _scales() -> dict[str, str]:
    return {
        "rice.reach": "people or events per period (>= 0)",
        "rice.impact": "3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal",
        "rice.confidence": "0..1, or a percentage above 1 (100 high, 80 medium, 50 low)",
        "rice.effort": "person-months (> 0)",
    }


def _rice(
    reach: float, impact: float, confidence: float, effort: float
) -> tuple[float, float] | None:
    score = reach * impact * confidence / effort
    return None if not math.isfinite(score) else (score, confidence)


@dataclass(frozen=True)
class RiceModel:
    """Intercom's RICE score; the tie-breaker is confidence."""

    name: str = "rice"
    description: str = (
        "Intercom RICE: favours wide reach and high impact per person-month; "
        "ties go to higher confidence"
    )
    formula: str = "reach × impact × confidence / effort"
    input_scales: dict[str, str] = field(default_factory=_scales)
    main_inputs: tuple[str, ...] = tuple(_BOUNDS)

    def fast_score(self, item: BacklogItem) -> FastScore | None:
        """``(score, confidence, inputs)``, or None when ``score`` must say why not."""
        return _READER.fast_score(item, _rice)

    def score(self, item: BacklogItem) -> ScoreOutcome:
        """RICE score of ``item``, or why it cannot be scored."""
        values = _READER.read(item)
        if isinstance(values, Unscorable):
            return values
        reach, impact = values["rice.reach"], values["rice.impact"]
        confidence, effort = values["rice.confidence"], values["rice.effort"]
        result = _rice(reach, impact, confidence, effort)
        if result is None:
            return Unscorable("RICE score too large", inputs=dict(values))
        score = result[0]

        def explanation() -> str:
            return (
                f"reach {format_number(reach)} × impact {format_number(impact)} × "
                f"confidence {format_number(confidence)} / effort {format_number(effort)} "
                f"= {format_number(score)}"
            )

        return Score(score, values, explanation, confidence)
