"""WSJF (SAFe): cost of delay / job size, cost of delay = business value + time criticality +
risk reduction / opportunity enablement.

Ties between equal WSJF scores go to the higher cost of delay: the bigger, equally efficient
job delivers more value sooner.
"""

from __future__ import annotations

from backlogctl.scoring.builtin import BuiltinModel, Input
from backlogctl.scoring.numbers import NON_NEGATIVE, POSITIVE

_FIBONACCI = "modified Fibonacci 1, 2, 3, 5, 8, 13, 20"


def _wsjf(value: float, criticality: float, risk: float, size: float) -> tuple[float, float]:
    cost_of_delay = value + criticality + risk
    return cost_of_delay / size, cost_of_delay


WSJF = BuiltinModel(
    name="wsjf",
    description=(
        "SAFe WSJF: favours a high cost of delay per unit of job size; "
        "ties go to the higher cost of delay"
    ),
    formula="(business_value + time_criticality + risk_reduction) / job_size",
    inputs={
        "wsjf.business_value": Input(NON_NEGATIVE, _FIBONACCI),
        "wsjf.time_criticality": Input(NON_NEGATIVE, _FIBONACCI),
        "wsjf.risk_reduction": Input(
            NON_NEGATIVE, f"{_FIBONACCI} (risk reduction / opportunity enablement)"
        ),
        "wsjf.job_size": Input(POSITIVE, f"{_FIBONACCI} (> 0)"),
    },
    combine=_wsjf,
    explanation=("(business_value {} + time_criticality {} + risk_reduction {}) / job_size {}"),
)
