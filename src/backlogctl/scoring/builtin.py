"""The shape the three built-in models (RICE, WSJF, ICE) share.

A built-in model is data: its inputs with their bounds and scales, one ``combine`` function
from the input values to ``(score, tie-breaker)``, and an explanation template. Reading the
inputs (with precise unscored reasons) is ``InputReader``'s job, so each model file only says
what is specific to the model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from backlogctl.models import BacklogItem
from backlogctl.scoring.base import FastScore, Score, ScoreOutcome, Unscorable
from backlogctl.scoring.numbers import Bound, InputReader, format_number

#: ``combine(*inputs)``: the score and the tie-breaker (higher first) of a model's inputs.
Combine = Callable[..., tuple[float, float]]

#: The reason of an item whose inputs are each possible but whose score overflows.
NOT_FINITE = "score is not a finite number (an input is too large)"


@dataclass(frozen=True)
class Input:
    """One input of a built-in model: its possible range and its scale as users read it."""

    bound: Bound
    scale: str


@dataclass(frozen=True)
class BuiltinModel:
    """A built-in scoring model (implements ``ScoringModel``)."""

    name: str
    description: str
    formula: str
    #: Dotted input names in ``combine``'s argument order.
    inputs: Mapping[str, Input]
    combine: Combine
    #: ``str.format`` template taking the formatted inputs in order, e.g. ``impact {} × ...``.
    explanation: str
    _reader: InputReader = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        bounds = {path: spec.bound for path, spec in self.inputs.items()}
        object.__setattr__(self, "_reader", InputReader(bounds))

    @property
    def input_scales(self) -> dict[str, str]:
        """Each input's expected scale, for ``backlogctl models``."""
        return {path: spec.scale for path, spec in self.inputs.items()}

    @property
    def main_inputs(self) -> tuple[str, ...]:
        """Every input, in formula order (the rank table's columns)."""
        return tuple(self.inputs)

    def fast_score(self, item: BacklogItem) -> FastScore | None:
        """Score, tie-breaker and inputs; None when ``score`` must say why not."""
        values = self._reader.values(item)
        if values is None:
            return None
        score, tie_breaker = self.combine(*values)
        if not (math.isfinite(score) and math.isfinite(tie_breaker)):
            return None
        return FastScore(score, tie_breaker, values)

    def score(self, item: BacklogItem) -> ScoreOutcome:
        """The model's score of ``item`` with its explanation, or why it cannot be scored."""
        values = self._reader.read(item)
        if isinstance(values, Unscorable):
            return values
        numbers = tuple(values.values())
        score, tie_breaker = self.combine(*numbers)
        if not (math.isfinite(score) and math.isfinite(tie_breaker)):
            return Unscorable(NOT_FINITE, inputs=dict(values))

        def explanation() -> str:
            shown = self.explanation.format(*map(format_number, numbers))
            return f"{shown} = {format_number(score)}"

        return Score(score, values, explanation, tie_breaker)
