"""Reading a model's numeric inputs from an item (with precise reasons) and formatting numbers.

Shared by the built-in and custom models so that every model words its unscored reasons the
same way: ``missing rice.effort``, ``rice.effort must be > 0 (got 0)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from backlogctl.models import BacklogItem
from backlogctl.sanitize import quoted
from backlogctl.scoring.base import InputValue, Unscorable
from backlogctl.scoring.fields import as_float, get_value

_GROUPS = frozenset({"rice", "wsjf", "ice"})


@dataclass(frozen=True)
class Bound:
    """The possible range of one input; values outside it make an item unscored."""

    minimum: float | None = None
    exclusive: bool = False
    maximum: float | None = None
    #: Show the value as a percentage in reasons (RICE confidence).
    percent: bool = False

    def limits(self) -> tuple[float, float]:
        """Inclusive ``(low, high)`` for the fast check in ``InputReader.values``.

        An exclusive minimum becomes the next float above it: ``value > 0`` and
        ``value >= 5e-324`` hold for exactly the same numbers.
        """
        if self.minimum is None:
            low = -math.inf
        elif self.exclusive:
            low = math.nextafter(self.minimum, math.inf)
        else:
            low = self.minimum
        high = math.inf if self.maximum is None else self.maximum
        return low, high

    def problem(self, path: str, value: float) -> str | None:
        """Why ``value`` is impossible for ``path``, or None when it is possible."""
        shown = f"{format_number(value * 100)} %" if self.percent else format_number(value)
        if self.maximum is not None and self.minimum is not None:
            if not self.minimum <= value <= self.maximum:
                if self.percent:
                    return f"{path} must be between 0 and 100 % (got {shown})"
                low, high = format_number(self.minimum), format_number(self.maximum)
                return f"{path} must be between {low} and {high} (got {shown})"
            return None
        if self.minimum is None:
            return None
        if self.exclusive and value <= self.minimum:
            return f"{path} must be > {format_number(self.minimum)} (got {shown})"
        if not self.exclusive and value < self.minimum:
            return f"{path} must be >= {format_number(self.minimum)} (got {shown})"
        return None


#: Any number (custom models: negative values may be meaningful there).
ANY = Bound()
NON_NEGATIVE = Bound(minimum=0)
POSITIVE = Bound(minimum=0, exclusive=True)
FRACTION = Bound(minimum=0, maximum=1, percent=True)


class InputReader:
    """Reads a fixed set of inputs from items; built once per model, used per item."""

    def __init__(self, bounds: Mapping[str, Bound]) -> None:
        self.bounds = dict(bounds)
        self._specs = [(path, _getter(path), bound) for path, bound in self.bounds.items()]
        self._paths = tuple(self.bounds)
        self._limits = tuple(bound.limits() for bound in self.bounds.values())
        heads = {path.partition(".")[0] for path in self.bounds}
        self._group = heads.pop() if len(heads) == 1 and heads <= _GROUPS else None
        names = [path.partition(".")[2] for path in self.bounds]
        self._group_values = attrgetter(*names) if self._group and len(names) > 1 else None
        self._no_group_reason = f"no {self._group} inputs ({', '.join(names)})"

    def values(self, item: BacklogItem) -> tuple[float, ...] | None:
        """The inputs in path order when all are present and possible, else None.

        Ranking's path: no dict, no reason; ``read`` says why. A built-in model's inputs are
        read with one ``attrgetter`` on their group (bench/README.md: "compare without numpy").
        """
        found: tuple[Any, ...]
        if self._group_values is not None:
            group = getattr(item, self._group or "")
            if group is None:
                return None
            found = self._group_values(group)
            # Input groups hold validated finite floats or None: only bounds remain to check.
            if None in found:
                return None
            for value, (low, high) in zip(found, self._limits, strict=True):
                if not low <= value <= high:
                    return None
            return found
        found = tuple(getter(item) for _, getter, _ in self._specs)
        for value, (low, high) in zip(found, self._limits, strict=True):
            if (
                value is None
                or value.__class__ is str
                or value - value != 0  # NaN or infinite
                or not low <= value <= high
            ):
                return None
        return found

    def read(self, item: BacklogItem) -> dict[str, float] | Unscorable:
        """The value at each path, or why the item cannot be scored.

        Every problem is named, missing inputs first: ``missing rice.reach, rice.effort``,
        ``rice.effort must be > 0 (got 0)``, ``fields.revenue must be a number (got 'high')``.
        """
        found = self.values(item)
        if found is not None:
            return dict(zip(self._paths, map(float, found), strict=True))
        if self._group_values is not None and getattr(item, self._group or "") is None:
            # The common unscored case, worded once per model rather than once per item.
            return Unscorable(self._no_group_reason, inputs=dict.fromkeys(self.bounds))
        return _unscorable(item, self.bounds)


def _getter(path: str) -> Callable[[BacklogItem], InputValue]:
    """A fast accessor for one dotted path (the hot loop of ranking large backlogs)."""
    head, _, rest = path.partition(".")
    if head in ("rice", "wsjf", "ice") and rest:
        group_of = attrgetter(head)

        def grouped(item: BacklogItem) -> InputValue:
            group = group_of(item)
            return None if group is None else getattr(group, rest, None)

        return grouped
    return lambda item: get_value(item, path)


def _unscorable(item: BacklogItem, bounds: Mapping[str, Bound]) -> Unscorable:
    """Every problem with the item's inputs, for ``InputReader.read``'s slow path."""
    seen: dict[str, InputValue] = {path: get_value(item, path) for path in bounds}
    missing = [path for path, value in seen.items() if value is None]
    problems = [_missing_reason(item, missing)] if missing else []
    for path, value in seen.items():
        if value is None:
            continue
        if isinstance(value, str):
            problems.append(f"{path} must be a number (got {quoted(value)})")
            continue
        number = float(value)
        if math.isinf(number):
            problems.append(f"{path} is too large to compute with")
            continue
        if math.isnan(number):
            problems.append(f"{path} must be a number (got NaN)")
            continue
        problem = bounds[path].problem(path, number)
        if problem:
            problems.append(problem)
    return Unscorable("; ".join(problems), inputs=seen)


def _missing_reason(item: BacklogItem, missing: list[str]) -> str:
    """``missing rice.effort``; ``no rice inputs (reach, ...)`` when the item has no group."""
    groups = {path.partition(".")[0] for path in missing}
    if len(missing) > 1 and len(groups) == 1:
        group = groups.pop()
        if group in ("rice", "wsjf", "ice") and getattr(item, group) is None:
            names = ", ".join(path.partition(".")[2] for path in missing)
            return f"no {group} inputs ({names})"
    return f"missing {', '.join(missing)}"


def format_number(value: float) -> str:
    """A number as people write it: ``800``, ``0.8``, ``4.333``, ``-2.5``, ``1.2e-05``."""
    value = as_float(value)  # ints too: int.is_integer() needs Python 3.12
    if value.is_integer() and -1e15 < value < 1e15:
        return str(int(value))
    if not math.isfinite(value) or abs(value) < 0.001 or abs(value) >= 1e15:
        return f"{value:.4g}"
    return f"{value:.3f}".rstrip("0").rstrip(".")
