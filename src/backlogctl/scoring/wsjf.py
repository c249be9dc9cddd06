"""WSJF (SAFe): cost of delay / job size, cost of delay = business value + time criticality +
risk reduction / opportunity enablement.

Ties between equal WSJF scores go to the higher cost of delay: the bigger, equally efficient
job delivers more value sooner.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from backlogctl.models import BacklogItem
from backlogctl.scoring.base import FastScore, Score, ScoreOutcome, Unscorable
from backlogctl.scoring.numbers import NON_NEGATIVE, POSITIVE, InputReader, format_number

_BOUNDS = {
    "wsjf.business_value": NON_NEGATIVE,
    "wsjf.time_criticality": NON_NEGATIVE,
    "wsjf.risk_reduction": NON_NEGATIVE,
    "wsjf.job_size": POSITIVE,
}
_READER = InputReader(_BOUNDS)
_FIBONACCI = "modified Fibonacci 1, 2, 3, 5, 8, 13, 20"


def _scales() -> dict[str, str]:
    return {
        "wsjf.business_value": _FIBONACCI,
        "wsjf.time_criticality": _FIBONACCI,
        "wsjf.risk_reduction": f"{_FIBONACCI} (risk reduction / opportunity enablement)",
        "wsjf.job_size": f"{_FIBONACCI} (> 0)",
    }


def _wsjf(value: float, criticality: float, risk: float, size: float) -> tuple[float, float] | None:
    cost_of_delay = value + criticality + risk
    score = cost_of_delay / size
    return None if not math.isfinite(score) else (score, cost_of_delay)


@dataclass(frozen=True)
class WsjfModel:
    """SAFe's Weighted Shortest Job First; the tie-breaker is cost of delay."""

    name: str = "wsjf"
    description: str = (
        "SAFe WSJF: favours a high cost of delay per unit of job size; "
        "ties go to the higher cost of delay"
    )
    formula: str = "(business_value + time_criticality + risk_reduction) / job_size"
    input_scales: dict[str, str] = field(default_factory=_scales)
    main_inputs: tuple[str, ...] = tuple(_BOUNDS)

    def fast_score(self, item: BacklogItem) -> FastScore | None:
        """``(score, cost of delay, inputs)``, or None when ``score`` must say why not."""
        return _READER.fast_score(item, _wsjf)

    def score(self, item: BacklogItem) -> ScoreOutcome:
        """WSJF score of ``item``, or why it cannot be scored."""
        values = _READER.read(item)
        if isinstance(values, Unscorable):
            return values
        value, criticality = values["wsjf.business_value"], values["wsjf.time_criticality"]
        risk, size = values["wsjf.risk_reduction"], values["wsjf.job_size"]
        result = _wsjf(value, criticality, risk, size)
        if result is None:
            return Unscorable("WSJF score too large", inputs=dict(values))
        score, cost_of_delay = result

        def explanation() -> str:
            return (
                f"(business_value {format_number(value)} + time_criticality "
                f"{format_number(criticality)} + risk_reduction {format_number(risk)}) "
                f"/ job_size {format_number(size)} = {format_number(score)}"
            )

        return Score(score, values, explanation, cost_of_delay)
