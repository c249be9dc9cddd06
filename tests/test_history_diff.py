"""diff_states: added, removed, done, moves with the inputs that explain them, items entering
or leaving the ranking, new and fixed findings."""

from __future__ import annotations

import datetime as dt

from backlogctl.history.diff import Change, Endpoint, diff_states
from test_history_store import DAY, make_item, state_of

OLD = Endpoint(1, DAY)
NOW = Endpoint(None, DAY + dt.timedelta(days=7))


def rice(reach: float, impact: float = 1, effort: float = 1) -> dict[str, float]:
    return {"reach": reach, "impact": impact, "confidence": 1, "effort": effort}


def test_added_removed_done_and_moves_with_their_inputs() -> None:
    before = state_of(
        [
            make_item("S-1", rice=rice(100)),
            make_item("S-2", rice=rice(90)),
            make_item("S-3", rice=rice(80, impact=0.25)),
            make_item("S-4", rice=rice(70)),
            make_item("S-5", rice=rice(60)),
        ]
    )
    after = state_of(
        [
            make_item("S-1", rice=rice(100)),
            make_item("S-2", rice=rice(90), status="Done", status_category="done"),
            make_item("S-3", rice=rice(80, impact=3)),
            make_item("S-4", rice=rice(70)),
            make_item("S-6", rice=rice(95)),
        ]
    )
    diff = diff_states(before, after, "rice", source=OLD, target=NOW)
    # Before: S-1 100, S-2 90, S-4 70, S-5 60, S-3 20. Now: S-3 240, S-1 100, S-6 95, S-4 70.
    assert [(c.key, c.to_rank) for c in diff.added] == [("S-6", 3)]
    assert [(c.key, c.from_rank) for c in diff.removed] == [("S-5", 4)]
    assert [(c.key, c.from_rank) for c in diff.done] == [("S-2", 2)]
    # S-3 rose by its own impact; S-1 and S-4 moved only because others did (ties of one
    # place each are listed by their new rank).
    assert [(c.key, c.from_rank, c.to_rank) for c in diff.moves] == [
        ("S-3", 5, 1),
        ("S-1", 1, 2),
        ("S-4", 3, 4),
    ]
    assert diff.moves[0].changes == (Change("rice.impact", 0.25, 3),)
    assert diff.moves[1].changes == () and diff.moves[2].changes == ()
    assert diff.moves[0].moved_by == 4 and diff.moves[1].moved_by == -1
    assert not diff.is_empty


def test_items_entering_and_leaving_the_ranking() -> None:
    before = state_of([make_item("S-1", rice=rice(5)), make_item("S-2", rice={"reach": 1})])
    after = state_of([make_item("S-1", rice={"reach": 5}), make_item("S-2", rice=rice(9))])
    diff = diff_states(before, after, "rice", source=OLD, target=NOW)
    assert [(c.key, c.from_rank, c.to_rank) for c in diff.now_ranked] == [("S-2", None, 1)]
    (left,) = diff.now_unscored
    assert (left.key, left.from_rank, left.to_rank) == ("S-1", 1, None)
    assert left.reason is not None and "missing" in left.reason
    assert Change("rice.effort", 1, None) in left.changes
    assert diff.moves == []


def test_new_and_fixed_findings_by_identity() -> None:
    ready = {"status": "Ready", "estimate": None}
    before = state_of([make_item("S-1", **ready), make_item("S-2", **ready)])
    after = state_of([make_item("S-1", status="Ready"), make_item("S-3", **ready)])
    diff = diff_states(before, after, "rice", source=OLD, target=NOW)
    new = {(f.key, f.code) for f in diff.new_findings}
    fixed = {(f.key, f.code) for f in diff.fixed_findings}
    assert ("S-3", "E001") in new
    assert ("S-1", "E001") in fixed
    # S-2's findings left with S-2, which "removed" lists.
    assert all(key != "S-2" for key, _ in fixed)
    assert not new & fixed


def test_an_unchanged_backlog_is_an_empty_diff() -> None:
    items = [make_item(f"S-{n}", rice=rice(n)) for n in range(1, 30)]
    diff = diff_states(state_of(items), state_of(items), "rice", source=OLD, target=NOW)
    assert diff.is_empty


def test_a_finding_whose_severity_changed_is_neither_new_nor_fixed() -> None:
    from dataclasses import replace

    from backlogctl.history.state import FindingState

    state = state_of([make_item("S-1", status="Ready", estimate=None)])
    (finding,) = [f for f in state.findings if f.code == "E001"]
    louder = FindingState(finding.key, finding.code, finding.fingerprint, "error")
    other = replace(state, findings=(state.findings - {finding}) | {louder})
    diff = diff_states(state, other, "rice", source=OLD, target=NOW)
    assert (diff.new_findings, diff.fixed_findings) == ([], [])
