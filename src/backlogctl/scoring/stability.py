"""Rank stability: how often each top-N item stays in the top N when its inputs wobble.

Every trial perturbs every item's inputs within their stated uncertainty, once for all models
(so models are judged on the same wobble), re-ranks the backlog under each model and counts
whether each baseline top-N item is still in the top N. Trials are seeded, so a report is
reproducible.

What "stated uncertainty" means for each input:

- ``rice.reach`` and ``rice.impact``: RICE's own confidence is the uncertainty; each is scaled by
  a uniform factor in ``[confidence, 2 - confidence]`` (confidence 100 % leaves them as is);
- ``wsjf.*``: one step up or down the modified Fibonacci scale (1, 2, 3, 5, 8, 13, 20), or none;
- ``ice.*``: -1, 0 or +1 on the 1..10 scale;
- ``estimate``: one step on the story-point scale (0.5, 1, 2, 3, 5, 8, 13, 20, 40, 100), or none;
- ``fields.*`` (custom models): a uniform factor in [0.8, 1.2];
- ``rice.confidence``, ``rice.effort`` and the manual ``rank`` are not perturbed.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Mapping, Sequence

from pydantic import BaseModel, Field

from backlogctl.errors import InputError
from backlogctl.models import BacklogItem
from backlogctl.scoring.base import ScoringModel
from backlogctl.scoring.fields import get_value, with_values
from backlogctl.scoring.ranking import rank_items

FIBONACCI = (1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0)
STORY_POINTS = (0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0, 40.0, 100.0)
ICE_SCALE = tuple(float(step) for step in range(1, 11))
#: Relative wobble of custom numeric fields, which state no uncertainty of their own.
FIELD_WOBBLE = 0.2

Perturb = Callable[[BacklogItem, float, random.Random], float]


class ItemStability(BaseModel):
    """One baseline top-N item: how often it stayed in the top N."""

    key: str
    title: str
    rank: int = Field(description="rank in the unperturbed backlog")
    stayed: float = Field(description="share of trials in which it stayed in the top N (0..1)")


class ModelStability(BaseModel):
    """Stability of one model's top N."""

    robustness: float = Field(description="mean of 'stayed' over its top-N items (0..1)")
    perturbed: dict[str, str] = Field(description="each perturbed input and how it wobbles")
    items: list[ItemStability]


class StabilityReport(BaseModel):
    """Per model, how robust its top N is to the uncertainty of its inputs."""

    trials: int
    seed: int
    top: int
    models: dict[str, ModelStability]
    skipped: dict[str, str] = Field(
        default_factory=dict, description="models not assessed, with the reason"
    )


def rank_stability(
    items: Sequence[BacklogItem],
    models: Mapping[str, ScoringModel],
    *,
    top: int = 10,
    trials: int = 200,
    seed: int = 0,
) -> StabilityReport:
    """Perturb ``items`` ``trials`` times (seeded) and measure each model's top-N retention."""
    if trials < 1:
        raise InputError(f"--trials must be at least 1 (got {trials})")
    inputs = {name: _perturbable(model) for name, model in models.items()}
    assessed = {name: model for name, model in models.items() if inputs[name]}
    skipped = {name: "no input with a stated uncertainty" for name in models if not inputs[name]}
    paths = sorted({path for name in assessed for path in inputs[name]})
    baseline = {name: rank_items(items, model, explain=False) for name, model in assessed.items()}
    tops = {name: ranking.top(top).ranked for name, ranking in baseline.items()}
    stayed = {name: dict.fromkeys((s.key for s in tops[name]), 0) for name in assessed}
    rng = random.Random(seed)
    for _ in range(trials):
        perturbed = [_perturb(item, paths, rng) for item in items]
        for name, model in assessed.items():
            positions = rank_items(perturbed, model, explain=False).positions()
            for key in stayed[name]:
                if positions.get(key, top + 1) <= top:
                    stayed[name][key] += 1
    report: dict[str, ModelStability] = {}
    for name in assessed:
        shares = [
            ItemStability(
                key=s.key, title=s.title, rank=s.rank, stayed=stayed[name][s.key] / trials
            )
            for s in tops[name]
        ]
        report[name] = ModelStability(
            robustness=round(sum(i.stayed for i in shares) / len(shares), 6) if shares else 0.0,
            perturbed={path: _DESCRIPTIONS[input_family(path)] for path in inputs[name]},
            items=shares,
        )
    return StabilityReport(trials=trials, seed=seed, top=top, models=report, skipped=skipped)


def _perturbable(model: ScoringModel) -> list[str]:
    """The model's inputs that carry a stated uncertainty."""
    return [path for path in model.input_scales if input_family(path) in _RULES]


def input_family(path: str) -> str:
    """The family an input's scale belongs to: ``wsjf.job_size`` -> ``wsjf.*``."""
    if path.startswith("fields."):
        return "fields.*"
    if path.startswith(("wsjf.", "ice.")):
        return path.split(".", 1)[0] + ".*"
    return path


def _perturb(item: BacklogItem, paths: Sequence[str], rng: random.Random) -> BacklogItem:
    """A copy of ``item`` with each numeric input at ``paths`` wobbled by its rule."""
    changes: dict[str, float | None] = {}
    for path in paths:
        value = get_value(item, path)
        if isinstance(value, int | float):
            wobbled = _RULES[input_family(path)](item, float(value), rng)
            if wobbled != value:
                changes[path] = wobbled
    return with_values(item, changes) if changes else item


def _step(scale: Sequence[float]) -> Perturb:
    """One step down, none, or one step up ``scale`` (clamped at its ends)."""

    def perturb(_item: BacklogItem, value: float, rng: random.Random) -> float:
        direction = rng.choice((-1, 0, 1))
        if direction > 0:
            above = bisect.bisect_right(scale, value)
            return scale[above] if above < len(scale) else value
        if direction < 0:
            below = bisect.bisect_left(scale, value) - 1
            return scale[below] if below >= 0 else value
        return value

    return perturb


def _by_confidence(item: BacklogItem, value: float, rng: random.Random) -> float:
    confidence = item.rice.confidence if item.rice is not None else None
    if confidence is None:
        return value
    doubt = 1.0 - min(max(confidence, 0.0), 1.0)
    return value * (1.0 + doubt * rng.uniform(-1.0, 1.0))


def _relative(item: BacklogItem, value: float, rng: random.Random) -> float:
    return value * (1.0 + FIELD_WOBBLE * rng.uniform(-1.0, 1.0))


_RULES: dict[str, Perturb] = {
    "rice.reach": _by_confidence,
    "rice.impact": _by_confidence,
    "wsjf.*": _step(FIBONACCI),
    "ice.*": _step(ICE_SCALE),
    "estimate": _step(STORY_POINTS),
    "fields.*": _relative,
}
_DESCRIPTIONS: dict[str, str] = {
    "rice.reach": "x uniform [confidence, 2 - confidence]",
    "rice.impact": "x uniform [confidence, 2 - confidence]",
    "wsjf.*": "one Fibonacci step down, none or up",
    "ice.*": "-1, 0 or +1",
    "estimate": "one story-point step down, none or up",
    "fields.*": f"x uniform [{1 - FIELD_WOBBLE:g}, {1 + FIELD_WOBBLE:g}]",
}
