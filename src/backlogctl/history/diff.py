"""What changed between two backlog states under one model: a refinement meeting's agenda.

Items added, removed and done; moves (items ranked in both states whose rank changed,
largest first), each with the changes of its own inputs that explain it (none when it moved
only because others did); items that entered or left the ranking without being added,
removed or done (they became scorable or unscorable); new and fixed lint findings.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from backlogctl.history.state import BacklogState, FindingState, InputScalar, ItemState
from backlogctl.scoring.ranking import natural_key


@dataclass(frozen=True)
class Endpoint:
    """One side of a diff: a snapshot (``id``) or the current backlog (``id`` None)."""

    id: int | None
    taken: dt.datetime
    note: str = ""


@dataclass(frozen=True)
class Change:
    """One input of an item that changed: its dotted name, old and new value (None: absent)."""

    field: str
    old: InputScalar | None
    new: InputScalar | None


@dataclass(frozen=True)
class ItemChange:
    """An item in a diff list, with its ranks on each side (None: not ranked there), the
    changes of its model inputs, and why it is unscored now (when it is)."""

    key: str
    title: str
    from_rank: int | None = None
    to_rank: int | None = None
    changes: tuple[Change, ...] = ()
    reason: str | None = None

    @property
    def moved_by(self) -> int:
        """Places moved up (negative: down); 0 unless ranked on both sides."""
        if self.from_rank is None or self.to_rank is None:
            return 0
        return self.from_rank - self.to_rank


@dataclass(frozen=True)
class FindingChange:
    """A lint finding that appeared or went away."""

    key: str
    code: str
    severity: str
    fingerprint: str


@dataclass(frozen=True)
class HistoryDiff:
    """The differences from ``source`` to ``target`` under ``model``."""

    source: Endpoint
    target: Endpoint
    model: str
    added: list[ItemChange]
    removed: list[ItemChange]
    done: list[ItemChange]
    moves: list[ItemChange]
    now_ranked: list[ItemChange]
    now_unscored: list[ItemChange]
    new_findings: list[FindingChange]
    fixed_findings: list[FindingChange]

    @property
    def is_empty(self) -> bool:
        """True when nothing changed."""
        return not any(
            (
                self.added,
                self.removed,
                self.done,
                self.moves,
                self.now_ranked,
                self.now_unscored,
                self.new_findings,
                self.fixed_findings,
            )
        )


def diff_states(
    old: BacklogState, new: BacklogState, model: str, *, source: Endpoint, target: Endpoint
) -> HistoryDiff:
    """What changed from ``old`` to ``new`` under ``model`` (both must rank under it)."""
    before = old.models[model]
    after = new.models[model]
    names = tuple(dict.fromkeys((*before.inputs, *after.inputs)))
    added, removed, done, moves, now_ranked, now_unscored = [], [], [], [], [], []
    ranks_before, ranks_after = before.positions, after.positions
    for key, item in new.items.items():
        previous = old.items.get(key)
        to_rank = ranks_after.get(key)
        if previous is None:
            added.append(ItemChange(key, item.title, to_rank=to_rank))
            continue
        from_rank = ranks_before.get(key)
        if item.is_done and not previous.is_done:
            done.append(ItemChange(key, item.title, from_rank=from_rank))
            continue
        if from_rank == to_rank:
            continue
        change = ItemChange(
            key,
            item.title,
            from_rank,
            to_rank,
            _changes(previous, item, names),
            after.unscored.get(key),
        )
        if from_rank is not None and to_rank is not None:
            moves.append(change)
        elif to_rank is not None:
            now_ranked.append(change)
        elif not item.is_done:
            now_unscored.append(change)
    for key, item in old.items.items():
        if key not in new.items:
            removed.append(ItemChange(key, item.title, from_rank=ranks_before.get(key)))
    moves.sort(key=lambda change: (-abs(change.moved_by), change.to_rank or 0))
    for group in (added, removed, done, now_ranked, now_unscored):
        group.sort(key=_by_rank_then_key)
    appeared, gone = _finding_changes(old.findings, new.findings)
    # Findings of removed items went away with their items, which "removed" lists.
    gone = [finding for finding in gone if finding.key in new.items]
    return HistoryDiff(
        source=source,
        target=target,
        model=model,
        added=added,
        removed=removed,
        done=done,
        moves=moves,
        now_ranked=now_ranked,
        now_unscored=now_unscored,
        new_findings=_finding_list(appeared),
        fixed_findings=_finding_list(gone),
    )


def _changes(old: ItemState, new: ItemState, names: tuple[str, ...]) -> tuple[Change, ...]:
    """The inputs among ``names`` whose value differs between ``old`` and ``new``."""
    changes = []
    for name in names:
        before = old.inputs.get(name)
        after = new.inputs.get(name)
        if not _same(before, after):
            changes.append(Change(name, before, after))
    return tuple(changes)


def _same(left: InputScalar | None, right: InputScalar | None) -> bool:
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right or math.isclose(left, right, rel_tol=1e-12, abs_tol=0.0)
    return left == right


def _by_rank_then_key(change: ItemChange) -> tuple[bool, int, tuple[tuple[int, int, str], ...]]:
    rank = change.to_rank if change.to_rank is not None else change.from_rank
    # Ranks are unique on each side: only unranked items need their key's natural order.
    return rank is None, rank or 0, natural_key(change.key) if rank is None else ()


def _finding_changes(
    old: frozenset[FindingState], new: frozenset[FindingState]
) -> tuple[list[FindingState], list[FindingState]]:
    """Findings only in ``new`` and only in ``old``, by identity (key, code, fingerprint).

    Severity is left out of the identity (a config that changes it changes no finding); the
    set differences run on whole findings first, so only the few that differ are looked at.
    """
    appeared = new - old
    gone = old - new
    gone_ids = {finding[:3] for finding in gone}
    appeared_ids = {finding[:3] for finding in appeared}
    return (
        [finding for finding in appeared if finding[:3] not in gone_ids],
        [finding for finding in gone if finding[:3] not in appeared_ids],
    )


def _finding_list(findings: list[FindingState]) -> list[FindingChange]:
    """The findings by key in natural order, then code (an item has several findings: each
    key's natural order is computed once)."""
    orders = {key: natural_key(key) for key in {finding.key for finding in findings}}
    ordered = sorted(
        findings, key=lambda finding: (orders[finding.key], finding.code, finding.fingerprint)
    )
    return [
        FindingChange(finding.key, finding.code, finding.severity, finding.fingerprint)
        for finding in ordered
    ]
