"""The report's history section: what was delivered and how the top moved since a snapshot.

The current state is built from what the report already computed (the lint result, the
ranking), so the section costs no second lint run or ranking. The diff is ``history.diff``'s,
against the last snapshot taken by the as-of day that ranks under the report's model. Only
that snapshot is read: each one read costs about as much as the ranking itself
(bench/README.md, "report"), so the report shows no rank trail over older snapshots;
``backlogctl diff --since`` compares with any of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from backlogctl.history.diff import Change, Endpoint, ItemChange, diff_states
from backlogctl.history.state import BacklogState, FindingState, ModelState, item_state
from backlogctl.lint.result import LintResult
from backlogctl.models import BacklogItem
from backlogctl.scoring.ranking import Ranking

if TYPE_CHECKING:
    # Types only: the store's sqlite3 loads only when the CLI opens a history file.
    from backlogctl.history.store import Snapshot, SnapshotInfo

#: How many of the best ranked items the section follows.
FOLLOWED = 10


@dataclass(frozen=True)
class TopMove:
    """A current top item: its rank now and in the snapshot, and its own input changes."""

    key: str
    title: str
    rank: int
    #: Rank in the last snapshot; None when it was not ranked there (see ``then``).
    previous: int | None
    #: "new" (not in the snapshot), "unscored" or "done" when ``previous`` is None.
    then: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class LeftTop:
    """An item of the snapshot's top that is not in the top any more, and where it went."""

    key: str
    title: str
    previous: int
    #: Its rank now; None when done, removed or unscored (``now`` says which).
    rank: int | None
    now: str


@dataclass(frozen=True)
class HistorySection:
    """Changes since the last snapshot under the report's model."""

    model: str
    since: SnapshotInfo
    delivered: tuple[ItemChange, ...]
    top: tuple[TopMove, ...]
    left_top: tuple[LeftTop, ...]
    added: int
    removed: int
    new_findings: int
    fixed_findings: int
    followed: int


def load_snapshot(path: Path, model: str, as_of: dt.datetime) -> list[Snapshot]:
    """The snapshot to compare with, from the history file at ``path``: the last one taken by
    ``as_of`` that ranks under ``model`` (only that ranking read), as a list of one.

    When none ranks under ``model``, the last one taken by ``as_of`` (so the report can say
    so); an empty list when none was taken by then. ``InputError`` (exit 2) for a missing,
    damaged or foreign file.
    """
    from backlogctl.history.store import open_history

    with open_history(path) as store:
        taken = [info for info in store.snapshots() if info.taken <= as_of]
        usable = [info for info in taken if model in info.models]
        chosen = usable[-1:] or taken[-1:]
        return [store.load(info, models=[model]) for info in chosen]


def current_state(items: Sequence[BacklogItem], ranking: Ranking, lint: LintResult) -> BacklogState:
    """The backlog now, as a snapshot would record it: its items, the report's ranking and
    this run's lint findings."""
    entries = ranking.entries()
    model = ranking.model
    return BacklogState(
        items={item.key: item_state(item) for item in items},
        models={
            model.name: ModelState(
                name=model.name,
                inputs=tuple(model.main_inputs),
                ranked=[entry.item.key for entry in entries],
                scores={entry.item.key: entry.value for entry in entries},
                unscored={entry.key: entry.reason for entry in ranking.unscored},
            )
        },
        findings=frozenset(
            FindingState(entry.key, entry.code, entry.fingerprint, entry.severity)
            for entry in lint.entries
        ),
    )


def history_section(
    snapshots: Sequence[Snapshot],
    current: BacklogState,
    ranking: Ranking,
    *,
    as_of: dt.datetime,
    redact: bool,
    followed: int = FOLLOWED,
) -> HistorySection | None:
    """The section against the last of ``snapshots`` that ranks under the report's model;
    None when none does."""
    model = ranking.model.name
    usable = [snapshot for snapshot in snapshots if model in snapshot.state.models]
    if not usable:
        return None
    last = usable[-1]
    diff = diff_states(
        last.state,
        current,
        model,
        source=Endpoint(last.info.id, last.info.taken, last.info.note),
        target=Endpoint(None, as_of),
    )

    def title(key: str, text: str) -> str:
        return key if redact else text

    changed = {change.key: change for change in (*diff.moves, *diff.now_ranked)}
    before = last.state.models[model]
    top: list[TopMove] = []
    for position, entry in enumerate(ranking.entries()[:followed], start=1):
        key = entry.item.key
        previous = before.rank_of(key)
        old_item = last.state.items.get(key)
        then = ""
        if previous is None:
            then = "new" if old_item is None else ("done" if old_item.is_done else "unscored")
        move = changed.get(key)
        top.append(
            TopMove(
                key=key,
                title=title(key, entry.item.title),
                rank=position,
                previous=previous,
                then=then,
                changes=move.changes if move is not None else (),
            )
        )
    now = current.models[model]
    current_top = {move.key for move in top}
    left: list[LeftTop] = []
    for position, key in enumerate(before.ranked[:followed], start=1):
        if key in current_top:
            continue
        item = current.items.get(key)
        rank = now.rank_of(key)
        state = "removed" if item is None else "done" if item.is_done else ""
        if rank is None and not state:
            state = "unscored"
        old_title = last.state.items[key].title if key in last.state.items else key
        left.append(LeftTop(key, title(key, old_title), position, rank, state))
    delivered = tuple(
        ItemChange(change.key, title(change.key, change.title), change.from_rank)
        for change in diff.done
    )
    return HistorySection(
        model=model,
        since=last.info,
        delivered=delivered,
        top=tuple(top),
        left_top=tuple(left),
        added=len(diff.added),
        removed=len(diff.removed),
        new_findings=len(diff.new_findings),
        fixed_findings=len(diff.fixed_findings),
        followed=followed,
    )
