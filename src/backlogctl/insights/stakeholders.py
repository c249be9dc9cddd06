"""Stakeholders: whose requests wait, for how long, what was delivered, and the grid.

``summarize_stakeholders(backlog, ranking, as_of=..., since=...)`` returns a
``StakeholderResult`` whose ``model_dump(mode="json")`` is the JSON contract of
``backlogctl stakeholders``. Names come from the declarations (``stakeholders:`` in a
backlog file or the config) and from items' ``stakeholders:``; they match
case-insensitively, and a name items use but nobody declared is listed as undeclared.
Open items are the ones given (the command's filters); delivered items are every done item
of the backlog resolved since ``since``: filters never shrink delivered figures.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel

from backlogctl.models import Backlog, BacklogItem, Level, Stakeholder
from backlogctl.sanitize import quoted
from backlogctl.scoring.ranking import Ranking

SCHEMA_VERSION = 1
#: ``--since`` default: items delivered in the last 30 days.
DEFAULT_SINCE_DAYS = 30

Quadrant = Literal["manage_closely", "keep_satisfied", "keep_informed", "monitor"]


class OpenItem(BaseModel):
    """An open item of a stakeholder and its rank under the model (None: unscored)."""

    key: str
    rank: int | None
    title: str
    status: str


class DeliveredItem(BaseModel):
    """A done item of a stakeholder and when it was resolved."""

    key: str
    resolved: dt.date
    title: str


class StakeholderSummary(BaseModel):
    """One stakeholder's open requests, delivery and place on the influence/interest grid."""

    name: str
    declared: bool
    contact: str | None
    influence: Level | None
    interest: Level | None
    quadrant: Quadrant | None
    #: Open items in rank order (unscored ones last, in backlog order).
    open: list[OpenItem]
    in_top_n: int
    #: Age in days (from ``created``) of the oldest open to-do item; None: none dated.
    oldest_waiting_days: int | None
    oldest_waiting: str | None
    delivered: list[DeliveredItem]


class StakeholderResult(BaseModel):
    """The ``stakeholders`` result; ``model_dump(mode="json")`` is its JSON contract."""

    schema_version: int = SCHEMA_VERSION
    model: str
    as_of: dt.date
    since: dt.date
    top: int
    stakeholders: list[StakeholderSummary]
    #: Names items use that no declaration has (also listed above with declared false).
    undeclared: list[str]
    #: Whether any stakeholder is declared at all (else every name is undeclared).
    any_declared: bool


def quadrant(influence: Level | None, interest: Level | None) -> Quadrant | None:
    """The grid quadrant: high vs medium-or-low on each axis; None when either is unknown."""
    if influence is None or interest is None:
        return None
    if influence == "high":
        return "manage_closely" if interest == "high" else "keep_satisfied"
    return "keep_informed" if interest == "high" else "monitor"


@dataclass
class _Entry:
    name: str
    declaration: Stakeholder | None
    open: list[tuple[int | None, int, BacklogItem]] = field(default_factory=list)
    delivered: list[tuple[dt.date, BacklogItem]] = field(default_factory=list)
    oldest: tuple[int, BacklogItem] | None = None


def summarize_stakeholders(
    backlog: Backlog,
    ranking: Ranking,
    *,
    as_of: dt.datetime,
    since: dt.datetime | None = None,
    top: int = 10,
    items: Sequence[BacklogItem] | None = None,
    names: Collection[str] = (),
) -> StakeholderResult:
    """Per stakeholder: open items with ranks, top-N count, oldest wait, delivered, quadrant.

    ``ranking`` ranks the open items under the model; ``items`` are the open items to show
    (default: the whole backlog); ``since`` defaults to 30 days before ``as_of``; ``names``
    narrows the stakeholders shown (case-insensitive).
    """
    as_of_day = as_of.astimezone(dt.UTC).date()
    since_day = (
        since.astimezone(dt.UTC).date()
        if since is not None
        # Within the first 30 days of year 1 the window starts on the first day there is.
        else max(as_of_day, dt.date.min + dt.timedelta(days=DEFAULT_SINCE_DAYS))
        - dt.timedelta(days=DEFAULT_SINCE_DAYS)
    )
    entries: dict[str, _Entry] = {}
    for declaration in backlog.stakeholders:
        entries.setdefault(declaration.name.casefold(), _Entry(declaration.name, declaration))

    def entry(name: str) -> _Entry:
        folded = name.strip().casefold()
        found = entries.get(folded)
        if found is None:
            found = entries[folded] = _Entry(name.strip(), None)
        return found

    positions = ranking.positions()
    open_items = [item for item in (backlog.items if items is None else items) if not item.is_done]
    for index, item in enumerate(open_items):
        for name in _names(item):
            target = entry(name)
            target.open.append((positions.get(item.key), index, item))
            if item.status_category == "todo" and item.created is not None:
                age = (as_of_day - item.created.astimezone(dt.UTC).date()).days
                # An item created after the as-of day was not waiting yet.
                if age >= 0 and (target.oldest is None or age > target.oldest[0]):
                    target.oldest = (age, item)
    for item in backlog.items:
        if item.is_done and item.resolved is not None:
            resolved = item.resolved.astimezone(dt.UTC).date()
            if since_day <= resolved <= as_of_day:
                for name in _names(item):
                    entry(name).delivered.append((resolved, item))
        elif item.is_done:
            for name in _names(item):
                entry(name)  # named only by done items: still a stakeholder of the backlog
    wanted = {name.strip().casefold() for name in names}
    declared = [e for e in entries.values() if e.declaration is not None]
    undeclared = sorted(
        (e for e in entries.values() if e.declaration is None), key=lambda e: e.name.casefold()
    )
    shown = [e for e in (*declared, *undeclared) if not wanted or e.name.casefold() in wanted]
    return StakeholderResult(
        model=ranking.model.name,
        as_of=as_of_day,
        since=since_day,
        top=top,
        stakeholders=[_summary(e, top) for e in shown],
        undeclared=[e.name for e in undeclared],
        any_declared=bool(declared),
    )


def _names(item: BacklogItem) -> list[str]:
    """The item's stakeholder names, each once (case-insensitively), blanks skipped."""
    seen: dict[str, str] = {}
    for name in item.stakeholders:
        if name.strip():
            seen.setdefault(name.strip().casefold(), name)
    return list(seen.values())


def _summary(entry: _Entry, top: int) -> StakeholderSummary:
    ranked = sorted(
        entry.open, key=lambda row: (row[0] is None, row[0] if row[0] is not None else 0, row[1])
    )
    declaration = entry.declaration
    influence = declaration.influence if declaration else None
    interest = declaration.interest if declaration else None
    delivered = sorted(entry.delivered, key=lambda row: (row[0], row[1].key))
    return StakeholderSummary(
        name=entry.name,
        declared=declaration is not None,
        contact=declaration.contact if declaration else None,
        influence=influence,
        interest=interest,
        quadrant=quadrant(influence, interest),
        open=[
            OpenItem(key=item.key, rank=rank, title=item.title, status=item.status)
            for rank, _, item in ranked
        ],
        in_top_n=sum(1 for rank, _, _ in ranked if rank is not None and rank <= top),
        oldest_waiting_days=entry.oldest[0] if entry.oldest else None,
        oldest_waiting=entry.oldest[1].key if entry.oldest else None,
        delivered=[
            DeliveredItem(key=item.key, resolved=resolved, title=item.title)
            for resolved, item in delivered
        ],
    )


def unknown_names(names: Collection[str], backlog: Backlog) -> list[str]:
    """One note per ``--stakeholder`` value no declaration or item has, with close matches."""
    known: dict[str, str] = {}
    for declaration in backlog.stakeholders:
        known.setdefault(declaration.name.casefold(), declaration.name)
    for item in backlog.items:
        for name in _names(item):
            known.setdefault(name.strip().casefold(), name.strip())
    lines = []
    for name in names:
        if name.strip().casefold() in known:
            continue
        close = difflib.get_close_matches(name.strip().casefold(), known, n=3)
        line = f"no stakeholder named {quoted(name)}"
        if close:
            options = [quoted(known[match]) for match in close]
            alternatives = (
                options[0] if len(options) == 1 else f"{', '.join(options[:-1])} or {options[-1]}"
            )
            line += f" (did you mean {alternatives}?)"
        lines.append(line)
    return lines
