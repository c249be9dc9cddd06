"""Dotted access to an item's scoring inputs (``rice.reach``, ``estimate``, ``fields.revenue``)."""

from __future__ import annotations

from typing import Any

from backlogctl.models import BacklogItem, IceInputs, RiceInputs, WsjfInputs

_GROUPS: dict[str, type[RiceInputs] | type[WsjfInputs] | type[IceInputs]] = {
    "rice": RiceInputs,
    "wsjf": WsjfInputs,
    "ice": IceInputs,
}


def get_value(item: BacklogItem, path: str) -> float | str | None:
    """The value at ``path`` on ``item``, or None when absent."""
    head, _, rest = path.partition(".")
    if head == "fields":
        return item.fields.get(rest)
    if head in _GROUPS:
        group = getattr(item, head)
        value: Any = getattr(group, rest, None) if group is not None else None
        return value  # type: ignore[no-any-return]
    if head in ("estimate", "rank") and not rest:
        number: float | int | None = getattr(item, head)
        return None if number is None else float(number)
    raise KeyError(path)


def with_value(item: BacklogItem, path: str, value: float | None) -> BacklogItem:
    """A copy of ``item`` with ``path`` set to ``value`` (for what-if analysis)."""
    head, _, rest = path.partition(".")
    if head == "fields":
        fields = dict(item.fields)
        if value is None:
            fields.pop(rest, None)
        else:
            fields[rest] = value
        return item.model_copy(update={"fields": fields})
    if head in _GROUPS:
        group = getattr(item, head) or _GROUPS[head]()
        return item.model_copy(update={head: group.model_copy(update={rest: value})})
    if head == "estimate" and not rest:
        return item.model_copy(update={"estimate": value})
    if head == "rank" and not rest:
        return item.model_copy(update={"rank": None if value is None else int(value)})
    raise KeyError(path)
