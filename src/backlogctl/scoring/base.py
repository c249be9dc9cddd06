"""The scoring model interface: a pure function from one item to a score or a reason.

Every model (built-in or custom) implements ``ScoringModel``. Ranking, compare, explain,
lint and the renderers only ever use this interface.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from backlogctl.models import BacklogItem

InputValue = float | str | None


class Score:
    """A successful score: the value, the (normalized) inputs used and how they combined.

    ``explanation`` substitutes the inputs into the formula, e.g.
    ``"reach 2000 × impact 2 × confidence 0.8 / effort 4 = 800"``. Models may pass it as a
    zero-argument function: ranking a whole backlog then formats no text unless it is shown.
    ``tie_breaker`` is the model's secondary sort key (higher first), e.g. cost of delay for WSJF.
    """

    __slots__ = ("_explanation", "inputs", "tie_breaker", "value")

    def __init__(
        self,
        value: float,
        inputs: Mapping[str, InputValue],
        explanation: str | Callable[[], str],
        tie_breaker: float = 0.0,
    ) -> None:
        self.value = value
        #: Read-only by convention: models hand over the dict they read, without a copy.
        self.inputs = inputs
        self.tie_breaker = tie_breaker
        self._explanation = explanation

    @property
    def explanation(self) -> str:
        """The formula with its numbers substituted (formatted on first use)."""
        if not isinstance(self._explanation, str):
            self._explanation = self._explanation()
        return self._explanation

    def __repr__(self) -> str:
        return f"Score(value={self.value!r}, inputs={self.inputs!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Score):
            return NotImplemented
        return (self.value, self.inputs, self.tie_breaker) == (
            other.value,
            other.inputs,
            other.tie_breaker,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable inputs: not hashable


@dataclass(frozen=True)
class Unscorable:
    """Why a model could not score an item (missing or impossible input): never a 0 score."""

    reason: str
    inputs: dict[str, InputValue] = field(default_factory=dict)


ScoreOutcome = Score | Unscorable


class FastScore(NamedTuple):
    """What ``ScoringModel.fast_score`` returns for a scorable item.

    Ranking scores whole backlogs through it and builds a full ``Score`` (with its
    explanation) only for the items it shows.
    """

    value: float
    tie_breaker: float
    #: The values of the model's ``main_inputs``, in that order, as ``score`` reports them.
    inputs: tuple[float, ...]


def fast_score_of(outcome: ScoreOutcome, main_inputs: tuple[str, ...]) -> FastScore | None:
    """``fast_score`` for a model without a faster path: its full ``score`` outcome, reduced."""
    if isinstance(outcome, Unscorable):
        return None
    values: list[float] = []
    for name in main_inputs:
        value = outcome.inputs.get(name)
        if not isinstance(value, int | float):
            return None  # ranking then keeps the full Score, which shows the value as it is
        values.append(float(value))
    return FastScore(outcome.value, outcome.tie_breaker, tuple(values))


class ScoringModel(Protocol):
    """A named, self-describing, pure scoring function."""

    @property
    def name(self) -> str:
        """The name used on the command line (``--model NAME``)."""
        ...

    @property
    def description(self) -> str:
        """One line saying what the model favours."""
        ...

    @property
    def formula(self) -> str:
        """The formula as a human reads it, e.g. ``reach × impact × confidence / effort``."""
        ...

    @property
    def input_scales(self) -> dict[str, str]:
        """Each input's dotted name mapped to its expected scale, for ``backlogctl models``."""
        ...

    @property
    def main_inputs(self) -> tuple[str, ...]:
        """Dotted input names shown as columns in the rank table."""
        ...

    def score(self, item: BacklogItem) -> ScoreOutcome:
        """Score one item, or say why it cannot be scored."""
        ...

    def fast_score(self, item: BacklogItem) -> FastScore | None:
        """The score, tie-breaker and inputs that ``score`` gives, without the explanation.

        None when ``score`` would say the item is unscored (ranking then asks it why). A model
        without a cheaper way implements it as ``fast_score_of(self.score(item), ...)``.
        """
        ...
