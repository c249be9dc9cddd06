"""E004 invalid-model-inputs: a scoring input that is off its model's scale or impossible.

Why: RICE, WSJF and ICE only compare items when everyone uses the same scale. An impact of 7
on RICE's 3/2/1/0.5/0.25 scale, a WSJF job size of 4, or a confidence of 130 % quietly
outranks every honest estimate.

How to fix: use the scale: RICE impact 3, 2, 1, 0.5 or 0.25; confidence 0..1 (or a
percentage up to 100); reach >= 0; effort > 0; WSJF values on the modified Fibonacci scale
(1, 2, 3, 5, 8, 13, 20); ICE values 1..10. Each input is reported once (per field). An
impossible value also leaves the item unscored; that is reported here only (E003 reports
missing inputs).

Failing example::

    - key: SHOP-13
      title: Promo codes
      rice: {reach: 1000, impact: 7, confidence: 0.8, effort: 2}

Passing example::

    - key: SHOP-13
      title: Promo codes
      rice: {reach: 1000, impact: 3, confidence: 0.8, effort: 2}
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from operator import attrgetter
from typing import NamedTuple

from pydantic import Field

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem

_WSJF_FIELDS = ("business_value", "time_criticality", "risk_reduction", "job_size")
_ICE_FIELDS = ("impact", "confidence", "ease")
_WSJF_VALUES = attrgetter(*_WSJF_FIELDS)
_ICE_VALUES = attrgetter(*_ICE_FIELDS)


class Options(RuleOptions):
    """Options of E004."""

    rice_impact_scale: list[float] = Field(
        default_factory=lambda: [3.0, 2.0, 1.0, 0.5, 0.25],
        description="Allowed RICE impact values.",
    )
    wsjf_scale: list[float] = Field(
        default_factory=lambda: [1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0],
        description="Allowed WSJF values.",
    )
    ice_min: float = Field(1, description="Lowest allowed ICE value.")
    ice_max: float = Field(10, description="Highest allowed ICE value.")


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """One violation per off-scale or impossible input of an open item."""
    scales = _Scales(
        frozenset(options.rice_impact_scale),
        f"is not on the RICE scale ({_scale(options.rice_impact_scale)})",
        frozenset([*options.wsjf_scale, None]),
        f"is not modified Fibonacci ({_scale(options.wsjf_scale)})",
        options.ice_min,
        options.ice_max,
    )
    for item in items:
        if item.status_category == "done" or (
            item.rice is None and item.wsjf is None and item.ice is None
        ):
            continue
        for field, problem in _problems(item, scales):
            value = _shown(item, field)
            yield Violation(item, f"{field} {value} {problem}", subject=field)


class _Scales(NamedTuple):
    """The options as sets and ready-made messages (checked once per input of 100k items)."""

    impacts: frozenset[float]
    impact_problem: str
    wsjf: frozenset[float | None]  # None too: a missing input is E003's finding, not ours
    wsjf_problem: str
    ice_min: float
    ice_max: float


def _problems(item: BacklogItem, scales: _Scales) -> Iterator[tuple[str, str]]:
    rice = item.rice
    if rice is not None:
        if rice.reach is not None and rice.reach < 0:
            yield "rice.reach", "is negative"
        if rice.impact is not None and rice.impact not in scales.impacts:
            yield "rice.impact", scales.impact_problem
        if rice.confidence is not None and not 0 <= rice.confidence <= 1:
            yield "rice.confidence", "is outside 0..1 (0..100 %)"
        if rice.effort is not None and rice.effort <= 0:
            yield "rice.effort", "must be above 0 (person-months)"
    wsjf = item.wsjf
    if wsjf is not None:
        values = _WSJF_VALUES(wsjf)
        if not scales.wsjf.issuperset(values):  # all four checked in C: the usual case
            for name, value in zip(_WSJF_FIELDS, values, strict=True):
                if value not in scales.wsjf:
                    yield f"wsjf.{name}", scales.wsjf_problem
    ice = item.ice
    if ice is not None:
        low, high = scales.ice_min, scales.ice_max
        for name, value in zip(_ICE_FIELDS, _ICE_VALUES(ice), strict=True):
            if value is not None and not low <= value <= high:
                yield f"ice.{name}", f"is outside {low:g}..{high:g}"


def _shown(item: BacklogItem, field: str) -> str:
    group, _, name = field.partition(".")
    value: float = getattr(getattr(item, group), name)
    if field == "rice.confidence":
        return f"{value * 100:g} %"
    return f"{value:g}"


def _scale(values: list[float]) -> str:
    return ", ".join(f"{value:g}" for value in values)


RULE = Rule("E004", "invalid-model-inputs", "warning", __doc__ or "", Options, check)
