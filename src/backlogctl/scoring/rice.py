"""RICE (Intercom): reach × impact × confidence / effort.

Ties between equal RICE scores go to the item with the higher confidence: of two bets worth
the same, the surer one comes first.
"""

from __future__ import annotations

from backlogctl.scoring.builtin import BuiltinModel, Input
from backlogctl.scoring.numbers import FRACTION, NON_NEGATIVE, POSITIVE


def _rice(reach: float, impact: float, confidence: float, effort: float) -> tuple[float, float]:
    return reach * impact * confidence / effort, confidence


RICE = BuiltinModel(
    name="rice",
    description=(
        "Intercom RICE: favours wide reach and high impact per person-month; "
        "ties go to higher confidence"
    ),
    formula="reach × impact × confidence / effort",
    inputs={
        "rice.reach": Input(NON_NEGATIVE, "people or events per period (>= 0)"),
        "rice.impact": Input(NON_NEGATIVE, "3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal"),
        "rice.confidence": Input(
            FRACTION, "0..1, or a percentage above 1 (100 high, 80 medium, 50 low)"
        ),
        "rice.effort": Input(POSITIVE, "person-months (> 0)"),
    },
    combine=_rice,
    explanation="reach {} × impact {} × confidence {} / effort {}",
)
