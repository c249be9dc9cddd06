"""Team-defined scoring models from the config: a ``formula`` or a weighted sum (``weights``).

A missing input (``fields.*`` cannot be checked when the config loads), a text value where a
number is needed, or a formula domain error (division by zero, log of 0) leaves the item
unscored with that reason. Negative inputs are allowed here: a team's own fields may be signed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from backlogctl.config import FORMULA_FIELDS, Config, CustomModelSettings, is_formula_field
from backlogctl.errors import ConfigError
from backlogctl.models import BacklogItem
from backlogctl.sanitize import quoted
from backlogctl.scoring.base import FastScore, Score, ScoreOutcome, Unscorable, fast_score_of
from backlogctl.scoring.builtin import NOT_FINITE
from backlogctl.scoring.fields import get_value
from backlogctl.scoring.formula import Formula, FormulaError, compile_formula
from backlogctl.scoring.ice import ICE
from backlogctl.scoring.numbers import ANY, InputReader, format_number
from backlogctl.scoring.rice import RICE
from backlogctl.scoring.wsjf import WSJF

_OTHER_SCALES = {
    "estimate": "story points or days",
    "rank": "the team's current manual order (1 = first)",
}


def _scale_of(path: str) -> str:
    for model in (RICE, WSJF, ICE):
        if path in model.input_scales:
            return model.input_scales[path]
    return _OTHER_SCALES.get(path, "number (team-defined field)")


def _tie_breaker_value(item: BacklogItem, path: str | None) -> float:
    """The tie-breaker's value; items without one sort after those with one."""
    if path is None:
        return 0.0
    value = get_value(item, path)
    if isinstance(value, str) or value is None or not math.isfinite(value):
        return -math.inf
    return float(value)


@dataclass(frozen=True)
class FormulaModel:
    """A custom model computed by a safe formula over item fields."""

    name: str
    compiled: Formula
    description: str
    tie_breaker_field: str | None = None
    input_scales: dict[str, str] = field(default_factory=dict)
    _reader: InputReader = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        reader = InputReader(dict.fromkeys(self.compiled.ordered_names, ANY))
        object.__setattr__(self, "_reader", reader)

    @property
    def formula(self) -> str:
        """The formula as written in the config."""
        return self.compiled.text

    @property
    def main_inputs(self) -> tuple[str, ...]:
        """The names the formula uses, in order of appearance."""
        return self.compiled.ordered_names

    def fast_score(self, item: BacklogItem) -> FastScore | None:
        """``score`` without the explanation text (formulas have no cheaper path)."""
        return fast_score_of(self.score(item), self.main_inputs)

    def score(self, item: BacklogItem) -> ScoreOutcome:
        """The formula's value on ``item``, or why it cannot be computed."""
        values = self._reader.read(item)
        if isinstance(values, Unscorable):
            return values
        try:
            score = self.compiled.evaluate(values)
        except FormulaError as exc:
            return Unscorable(f"formula: {exc.message}", inputs=dict(values))

        def explanation() -> str:
            return f"{self.compiled.explain(values)} = {format_number(score)}"

        tie = _tie_breaker_value(item, self.tie_breaker_field)
        return Score(score, values, explanation, tie)


@dataclass(frozen=True)
class WeightedModel:
    """A custom model: the weighted sum of item fields."""

    name: str
    weights: dict[str, float]
    description: str
    tie_breaker_field: str | None = None
    input_scales: dict[str, str] = field(default_factory=dict)
    _reader: InputReader = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_reader", InputReader(dict.fromkeys(self.weights, ANY)))

    @property
    def formula(self) -> str:
        """The sum as a human reads it, e.g. ``0.001 × rice.reach + 2 × ice.impact``."""
        return " + ".join(f"{format_number(w)} × {path}" for path, w in self.weights.items())

    @property
    def main_inputs(self) -> tuple[str, ...]:
        """The weighted fields, in config order."""
        return tuple(self.weights)

    def fast_score(self, item: BacklogItem) -> FastScore | None:
        """``score`` without the explanation text (a sum has no cheaper path)."""
        return fast_score_of(self.score(item), self.main_inputs)

    def score(self, item: BacklogItem) -> ScoreOutcome:
        """The weighted sum on ``item``, or why it cannot be computed."""
        values = self._reader.read(item)
        if isinstance(values, Unscorable):
            return values
        try:
            score = math.fsum(weight * values[path] for path, weight in self.weights.items())
        except (OverflowError, ValueError):  # fsum's overflow, and inf - inf
            score = math.nan
        if not math.isfinite(score):
            return Unscorable(NOT_FINITE, inputs=dict(values))

        def explanation() -> str:
            terms = " + ".join(
                f"{format_number(weight)} × {path} {format_number(values[path])}"
                for path, weight in self.weights.items()
            )
            return f"{terms} = {format_number(score)}"

        tie = _tie_breaker_value(item, self.tie_breaker_field)
        return Score(score, values, explanation, tie)


CustomModel = FormulaModel | WeightedModel


def build_custom_model(name: str, settings: CustomModelSettings, config: Config) -> CustomModel:
    """The model a config entry describes; raises ``ConfigError`` (file:line) when invalid."""
    if settings.tie_breaker is not None and not is_formula_field(settings.tie_breaker):
        raise ConfigError(
            f"models.{name}.tie_breaker: unknown field {quoted(settings.tie_breaker)}",
            location=config.location("models", name, "tie_breaker"),
        )
    if settings.formula is not None:
        compiled = _compile(name, settings.formula, config)
        return FormulaModel(
            name=name,
            compiled=compiled,
            description=settings.description or "custom formula",
            tie_breaker_field=settings.tie_breaker,
            input_scales={path: _scale_of(path) for path in compiled.ordered_names},
        )
    weights = dict(settings.weights or {})
    return WeightedModel(
        name=name,
        weights=weights,
        description=settings.description or "custom weighted sum",
        tie_breaker_field=settings.tie_breaker,
        input_scales={path: _scale_of(path) for path in weights},
    )


def _compile(name: str, formula: str, config: Config) -> Formula:
    """Custom model ``name``'s formula, compiled, with every field name known.

    Raises ``ConfigError`` naming the config file, line and formula text.
    """
    try:
        compiled = compile_formula(formula)
    except FormulaError as exc:
        raise ConfigError(
            f"models.{name}.formula: {exc.message} in {quoted(formula)}",
            location=config.location("models", name, "formula"),
        ) from None
    unknown = sorted(n for n in compiled.names if not is_formula_field(n))
    if unknown:
        raise ConfigError(
            f"models.{name}.formula: unknown field {quoted(unknown[0])} in "
            f"{quoted(formula)} (known: {', '.join(sorted(FORMULA_FIELDS))}, fields.*)",
            location=config.location("models", name, "formula"),
        )
    return compiled
