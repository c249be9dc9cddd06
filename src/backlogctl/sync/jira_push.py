"""``jira push``: plan the score and Rank writes that make Jira match a model's ranking.

The plan comes from two reads: the pulled backlog (the model's inputs, through the pull and
its cache) and a fresh search of the values the plan writes (the score field, the Rank order)
that never uses the cache, so a re-run right after an apply plans nothing.

Scores are written with 6 significant digits, and only where the value differs. Rank moves
only the issues off a longest increasing subsequence of the current order (the fewest moves),
then sends each contiguous run of moved issues in as few calls as possible (up to 50 issues
each), anchored after the issue that precedes the run in the new order (or before the one
that follows it, for a run at the top), each later call on the one before. Unscored, done
and out-of-query issues are never moved: the scored issues are ordered among themselves.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from backlogctl.connectors.jira_types import scalar_text
from backlogctl.connectors.jira_write import RANK_BATCH
from backlogctl.scoring.ranking import Ranking
from backlogctl.sync.jira_plan import JiraPlan, RankMove, SetField

#: Significant digits of a pushed score, whatever the display shows.
SCORE_DIGITS = 6


@dataclass(frozen=True)
class PushRow:
    """One scored issue of the query: its score and position before and after the push.

    Positions are 1-based among the scored issues of the query (None when the server has no
    Rank field to read the current order from).
    """

    key: str
    title: str
    old_score: Any
    new_score: float
    old_position: int | None
    new_position: int
    writes_score: bool = False
    moves: bool = False


@dataclass(frozen=True)
class UnscoredRow:
    """An open issue the model cannot score: its score field is left as it is."""

    key: str
    title: str
    reason: str
    old_score: Any


@dataclass
class PushPlan:
    """The plan and what the dry-run table shows about it."""

    plan: JiraPlan
    rows: list[PushRow]
    unscored: list[UnscoredRow] = field(default_factory=list)
    #: The score field's id and name (None: scores are not pushed).
    score_field: str | None = None
    score_field_name: str | None = None
    rank: bool = False
    #: Issues of the query left alone: done, or missing from the pulled backlog.
    left_alone: int = 0

    @property
    def moved(self) -> int:
        """How many issues the rank calls move."""
        return sum(len(op.keys) for op in self.plan.rank_moves)


def pushed_score(value: float) -> float:
    """``value`` rounded to ``SCORE_DIGITS`` significant digits."""
    return float(f"{value:.{SCORE_DIGITS}g}")


def same_value(old: Any, new: Any) -> bool:
    """Whether a field's current value equals the value to write (numbers by value)."""
    if isinstance(new, float) and not isinstance(old, bool) and isinstance(old, int | float):
        return float(old) == new
    return bool(old == new) and type(old) is type(new)


def kept_in_place(sequence: Sequence[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence of ``sequence``
    (patience sorting with back links: n log n)."""
    tails: list[int] = []  # tails[k]: the smallest last value of an increasing run of k + 1
    tail_index: list[int] = []
    parent = [-1] * len(sequence)
    for index, value in enumerate(sequence):
        spot = bisect.bisect_left(tails, value)
        if spot == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[spot] = value
            tail_index[spot] = index
        parent[index] = tail_index[spot - 1] if spot else -1
    kept: set[int] = set()
    index = tail_index[-1] if tail_index else -1
    while index != -1:
        kept.add(index)
        index = parent[index]
    return kept


def rank_moves(current: Sequence[str], target: Sequence[str]) -> list[RankMove]:
    """The rank calls that turn ``current`` into ``target`` (the same keys, reordered)."""
    position = {key: index for index, key in enumerate(target)}
    kept_indexes = kept_in_place([position[key] for key in current])
    kept = {current[index] for index in kept_indexes}
    moves: list[RankMove] = []
    index = 0
    while index < len(target):
        if target[index] in kept:
            index += 1
            continue
        end = index
        while end < len(target) and target[end] not in kept:
            end += 1
        run = list(target[index:end])
        for start in range(0, len(run), RANK_BATCH):
            chunk = run[start : start + RANK_BATCH]
            if start:
                moves.append(RankMove(keys=chunk, after=run[start - 1]))
            elif index:
                moves.append(RankMove(keys=chunk, after=target[index - 1]))
            else:
                moves.append(RankMove(keys=chunk, before=target[end]))
        index = end
    return moves


def plan_push(
    ranking: Ranking,
    current: Sequence[dict[str, Any]],
    *,
    server: str,
    jql: str,
    score_field: str | None,
    score_field_name: str | None = None,
    rank: bool = False,
    ordered: bool = True,
) -> PushPlan:
    """The writes that make Jira match ``ranking``.

    ``current`` holds the query's issues as just read (in Rank order when ``ordered``), with
    the score field's value. Only issues in both the ranking and ``current`` are written.
    """
    fields = {issue["key"]: issue.get("fields") or {} for issue in current}
    entries = [entry for entry in ranking.entries() if entry.item.key in fields]
    target = [entry.item.key for entry in entries]
    scored = set(target)
    board = [issue["key"] for issue in current if issue["key"] in scored]
    old_position = {key: index for index, key in enumerate(board, 1)} if ordered else {}
    operations: list[Any] = []
    rows: list[PushRow] = []
    for position, entry in enumerate(entries, 1):
        key = entry.item.key
        old = fields[key].get(score_field) if score_field else None
        new = pushed_score(entry.value)
        writes = bool(score_field) and math.isfinite(new) and not same_value(old, new)
        if writes and score_field:
            operations.append(SetField(key=key, field=score_field, old=_plain(old), new=new))
        rows.append(
            PushRow(key, entry.item.title, old, new, old_position.get(key), position, writes)
        )
    moves = rank_moves(board, target) if rank and ordered else []
    moved = {key for move in moves for key in move.keys}
    rows = [replace(row, moves=True) if row.key in moved else row for row in rows]
    operations.extend(moves)
    unscored = [
        UnscoredRow(
            item.key,
            item.title,
            item.reason,
            fields[item.key].get(score_field) if score_field else None,
        )
        for item in ranking.unscored
        if item.key in fields
    ]
    return PushPlan(
        plan=JiraPlan.of(operations, server=server, jql=jql, board_order=board),
        rows=rows,
        unscored=unscored,
        score_field=score_field,
        score_field_name=score_field_name,
        rank=rank,
        left_alone=len(fields) - len(scored) - len(unscored),
    )


def _plain(value: Any) -> float | str | None:
    """A current field value as a plan's ``old`` (numbers and texts; anything else: text)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return scalar_text(value) or None
