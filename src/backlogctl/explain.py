"""Explain one item's place in the backlog, and what single change would move it up.

This module sits above both scoring and lint: it combines an item's scores under every model
with its lint findings. Nothing in ``scoring`` or ``lint`` imports it.

``explain_item(items, key, models, model="rice", top=10)`` gathers the item's fields, its score
(the formula with its numbers substituted) and rank under every model, its neighbours under the
chosen model, and a what-if search: for each input of the chosen model, the smallest change on
that input's scale that brings the item into the top N. Every what-if answer is verified by
re-ranking the whole backlog with the changed input.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from backlogctl.config import Config
from backlogctl.errors import InputError
from backlogctl.lint.engine import lint_backlog
from backlogctl.models import Backlog, BacklogItem, Finding, ScoredItem
from backlogctl.sanitize import quoted
from backlogctl.scoring.base import ScoringModel, Unscorable
from backlogctl.scoring.fields import get_value, with_value
from backlogctl.scoring.numbers import format_number
from backlogctl.scoring.ranking import RELATIVE_TOLERANCE, Ranking, rank_items
from backlogctl.scoring.stability import FIBONACCI, ICE_SCALE, STORY_POINTS, input_family

#: Items shown on each side of the explained one.
NEIGHBOURS = 2

#: Discrete scales searched step by step (the value's own scale).
_LADDERS: dict[str, tuple[float, ...]] = {
    "rice.impact": (0.25, 0.5, 1.0, 2.0, 3.0),
    "rice.confidence": tuple(step / 10 for step in range(1, 11)),
    "wsjf.*": FIBONACCI,
    "ice.*": ICE_SCALE,
    "estimate": STORY_POINTS,
}
#: Continuous inputs (reach, effort, custom fields) are tried at these multiples and fractions.
_FACTORS = (1.1, 1.25, 1.5, 2.0, 3.0, 5.0, 10.0)


class Placement(BaseModel):
    """The item under one model: score and rank, or why it is not ranked."""

    model: str
    formula: str
    score: float | None = None
    rank: int | None = None
    ranked: int = Field(description="how many items this model ranks")
    explanation: str | None = Field(None, description="the formula with the item's numbers")
    reason: str | None = Field(None, description="why it has no rank under this model")


class Neighbour(BaseModel):
    """An item ranked just above or below the explained one."""

    rank: int
    key: str
    title: str
    score: float


class WhatIf(BaseModel):
    """A single-input change that moves the item into the top N (verified by re-ranking)."""

    input: str
    current: float | None
    proposed: float
    steps: int = Field(description="steps along the input's scale (0: fills a missing input)")
    new_score: float
    new_rank: int
    summary: str


class Explanation(BaseModel):
    """The result of ``backlogctl explain`` (its JSON output is ``model_dump(mode="json")``)."""

    schema_version: Literal[1] = 1
    key: str
    title: str
    source: str
    model: str
    rank: int | None = Field(description="rank under ``model`` (None: not ranked there)")
    score: float | None = Field(description="score under ``model`` (None: unscored there)")
    top: int
    fields: dict[str, Any]
    placements: list[Placement]
    above: list[Neighbour]
    below: list[Neighbour]
    in_top: bool
    done: bool = Field(description="done items are not ranked, so no what-if is searched")
    what_if: list[WhatIf] = Field(
        description="per input, the smallest change into the top N; smallest first"
    )
    findings: list[Finding] | None = Field(
        None, description="the item's lint findings (None: lint not run)"
    )


def find_item(items: Sequence[BacklogItem], key: str) -> BacklogItem:
    """The item called ``key``; ``InputError`` with the closest keys when there is none."""
    for item in items:
        if item.key == key:
            return item
    keys = [item.key for item in items]
    by_upper = {known.upper(): known for known in keys}
    close = difflib.get_close_matches(key.upper(), list(by_upper), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(by_upper[match] for match in close)}?" if close else ""
    raise InputError(f"no item with key {quoted(key)} in the backlog ({len(keys)} items){hint}")


def item_findings(
    backlog: Backlog, config: Config, key: str, *, as_of: dt.datetime
) -> list[Finding]:
    """The lint findings about ``key``, from linting the whole backlog (duplicates, WIP...)."""
    return [
        finding
        for finding in lint_backlog(backlog, config, as_of=as_of).findings
        if finding.key == key
    ]


def explain_item(
    items: Sequence[BacklogItem],
    key: str,
    models: Mapping[str, ScoringModel],
    *,
    model: str,
    top: int = 10,
    findings: list[Finding] | None = None,
) -> Explanation:
    """Explain ``key``'s place under every model, with what-ifs under ``model``."""
    if top < 1:
        raise InputError(f"--top must be at least 1 (got {top})")
    if model not in models:
        raise InputError(f"--model: unknown model {quoted(model)} (available: {', '.join(models)})")
    item = find_item(items, key)
    rankings = {name: rank_items(items, scoring) for name, scoring in models.items()}
    placements = {name: _placement(item, rankings[name]) for name in models}
    focus = rankings[model]
    position = focus.positions().get(key)
    above: list[ScoredItem] = []
    below: list[ScoredItem] = []
    if position is not None:
        above = focus.ranked[max(0, position - 1 - NEIGHBOURS) : position - 1]
        below = focus.ranked[position : position + NEIGHBOURS]
    in_top = position is not None and position <= top
    what_if = [] if in_top or item.is_done else _what_ifs(items, item, focus, top=top)
    return Explanation(
        key=item.key,
        title=item.title,
        source=str(item.source),
        model=model,
        rank=position,
        score=placements[model].score,
        top=top,
        fields=_shown_fields(item),
        placements=list(placements.values()),
        above=[_neighbour(entry) for entry in above],
        below=[_neighbour(entry) for entry in below],
        in_top=in_top,
        done=item.is_done,
        what_if=what_if,
        findings=findings,
    )


def format_input(path: str, value: float | None) -> str:
    """An input value as people write it (confidence as a percentage)."""
    if value is None:
        return "missing"
    if path == "rice.confidence":
        return f"{format_number(value * 100)}%"
    return format_number(value)


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``22nd``."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _placement(item: BacklogItem, ranking: Ranking) -> Placement:
    name = ranking.model.name
    base = {"model": name, "formula": ranking.model.formula, "ranked": len(ranking.ranked)}
    for scored in ranking.ranked:
        if scored.key == item.key:
            return Placement(
                **base, score=scored.score, rank=scored.rank, explanation=scored.explanation
            )
    outcome = ranking.model.score(item)
    if isinstance(outcome, Unscorable):
        return Placement(**base, reason=outcome.reason)
    return Placement(
        **base,
        score=outcome.value,
        explanation=outcome.explanation,
        reason="done items are not ranked",
    )


def _neighbour(scored: ScoredItem) -> Neighbour:
    return Neighbour(rank=scored.rank, key=scored.key, title=scored.title, score=scored.score)


def _shown_fields(item: BacklogItem) -> dict[str, Any]:
    """The item's set fields (empty lists and mappings left out), as JSON values."""
    data = item.model_dump(mode="json", exclude_none=True, exclude={"key", "title", "source"})
    return {name: value for name, value in data.items() if value not in ([], {})}


def _what_ifs(
    items: Sequence[BacklogItem], item: BacklogItem, ranking: Ranking, *, top: int
) -> list[WhatIf]:
    """For each input of the model, the smallest verified change into the top N."""
    model = ranking.model
    others = sorted(scored.score for scored in ranking.ranked if scored.key != item.key)
    answers: list[WhatIf] = []
    for path in model.input_scales:
        try:
            current = get_value(item, path)
        except KeyError:
            continue
        if isinstance(current, str):
            continue
        for steps, value in _candidates(path, current):
            changed = with_value(item, path, value)
            outcome = model.score(changed)
            if isinstance(outcome, Unscorable):
                continue
            # Cheap screen by score first; only plausible candidates are re-ranked.
            margin = RELATIVE_TOLERANCE * abs(outcome.value)
            if 1 + len(others) - bisect.bisect_right(others, outcome.value + margin) > top:
                continue
            replaced = [changed if other.key == item.key else other for other in items]
            new_rank = rank_items(replaced, model, explain=False).positions().get(item.key)
            if new_rank is None or new_rank > top:
                continue
            answers.append(
                WhatIf(
                    input=path,
                    current=current,
                    proposed=value,
                    steps=steps,
                    new_score=outcome.value,
                    new_rank=new_rank,
                    summary=(
                        f"{path} {format_input(path, current)} -> {format_input(path, value)} "
                        f"would rank it {ordinal(new_rank)}"
                    ),
                )
            )
            break
    return sorted(answers, key=lambda answer: (answer.steps, _relative_change(answer)))


def _candidates(path: str, current: float | None) -> Iterator[tuple[int, float]]:
    """Values to try for ``path``, nearest first, as (steps along the scale, value)."""
    ladder = _LADDERS.get(input_family(path))
    if ladder is not None:
        if current is None:
            middle = (len(ladder) - 1) / 2
            for value in sorted(ladder, key=lambda step: abs(ladder.index(step) - middle)):
                yield 0, value
            return
        up = [value for value in ladder if value > current]
        down = [value for value in reversed(ladder) if value < current]
        for steps in range(1, max(len(up), len(down)) + 1):
            for side in (up, down):
                if steps <= len(side):
                    yield steps, side[steps - 1]
        return
    if current is None or current == 0 or not math.isfinite(current):
        return
    for steps, factor in enumerate(_FACTORS, start=1):
        yield steps, float(f"{current * factor:.3g}")
        yield steps, float(f"{current / factor:.3g}")


def _relative_change(answer: WhatIf) -> float:
    if not answer.current:
        return float("inf")
    return abs(answer.proposed - answer.current) / abs(answer.current)
