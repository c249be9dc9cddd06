"""Dotted access to an item's scoring inputs (``rice.reach``, ``estimate``, ``fields.revenue``)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from backlogctl.models import BacklogItem, IceInputs, RiceInputs, WsjfInputs

_GROUPS: dict[str, type[RiceInputs] | type[WsjfInputs] | type[IceInputs]] = {
    "rice": RiceInputs,
    "wsjf": WsjfInputs,
    "ice": IceInputs,
}


def get_value(item: BacklogItem, path: str) -> float | str | None:
    """The value at ``path`` on ``item`` (numbers as floats), or None when absent.

    An integer too large for a float (``rank: 1`` followed by 400 zeros) reads as an infinity
    of its sign, which every model then reports as not a finite number.
    """
    head, _, rest = path.partition(".")
    if head == "fields":
        found = item.fields.get(rest)
        return found if found is None or isinstance(found, str) else as_float(found)
    if head in _GROUPS:
        group = getattr(item, head)
        value: Any = getattr(group, rest, None) if group is not None else None
        return value  # type: ignore[no-any-return]
    if head in ("estimate", "rank") and not rest:
        number: float | int | None = getattr(item, head)
        return None if number is None else as_float(number)
    raise KeyError(path)


def as_float(number: float) -> float:
    """``float(number)``, or an infinity of its sign for an integer too large for a float."""
    try:
        return float(number)
    except OverflowError:
        return math.inf if number > 0 else -math.inf


def with_value(item: BacklogItem, path: str, value: float | None) -> BacklogItem:
    """A copy of ``item`` with ``path`` set to ``value`` (for what-if analysis)."""
    return with_values(item, {path: value})


def with_values(item: BacklogItem, values: Mapping[str, float | None]) -> BacklogItem:
    """A copy of ``item`` with every path of ``values`` set (one copy per input group)."""
    update: dict[str, Any] = {}
    for path, value in values.items():
        head, _, rest = path.partition(".")
        if head == "fields":
            fields = update.setdefault("fields", dict(item.fields))
            if value is None:
                fields.pop(rest, None)
            else:
                fields[rest] = value
        elif head in _GROUPS:
            if rest not in _GROUPS[head].model_fields:
                raise KeyError(path)
            update.setdefault(head, {})[rest] = value
        elif head == "estimate" and not rest:
            update["estimate"] = value
        elif head == "rank" and not rest:
            update["rank"] = None if value is None else int(value)
        else:
            raise KeyError(path)
    for head, group_type in _GROUPS.items():
        if head in update:
            group = getattr(item, head) or group_type()
            update[head] = group.model_copy(update=update[head])
    return item.model_copy(update=update)
