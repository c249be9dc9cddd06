"""ICE: impact × confidence × ease, each on a 1..10 scale.

Ties between equal ICE scores go to the item with the higher confidence, as for RICE.
"""

from __future__ import annotations

from backlogctl.scoring.builtin import BuiltinModel, Input
from backlogctl.scoring.numbers import NON_NEGATIVE


def _ice(impact: float, confidence: float, ease: float) -> tuple[float, float]:
    return impact * confidence * ease, confidence


ICE = BuiltinModel(
    name="ice",
    description="ICE: a quick product of impact, confidence and ease; ties go to higher confidence",
    formula="impact × confidence × ease",
    inputs={
        "ice.impact": Input(NON_NEGATIVE, "1..10"),
        "ice.confidence": Input(NON_NEGATIVE, "1..10"),
        "ice.ease": Input(NON_NEGATIVE, "1..10"),
    },
    combine=_ice,
    explanation="impact {} × confidence {} × ease {}",
)
