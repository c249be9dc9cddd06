"""Ranking order and tie-breaks (docs/architecture.md), done items, --top, the shared filters."""

from __future__ import annotations

from typing import Any

import pytest

from backlogctl.filters import ItemFilter
from backlogctl.models import BacklogItem
from backlogctl.scoring.ranking import natural_key, rank_items
from backlogctl.scoring.registry import BUILTIN_MODELS

RICE = BUILTIN_MODELS["rice"]
WSJF = BUILTIN_MODELS["wsjf"]
ICE = BUILTIN_MODELS["ice"]


def _item(key: str, **fields: Any) -> BacklogItem:
    data: dict[str, Any] = {"key": key, "title": f"Title of {key}"}
    data.update(fields)
    return BacklogItem.model_validate(data)


def _rice(key: str, reach: float, confidence: float = 1, **fields: Any) -> BacklogItem:
    rice = {"reach": reach, "impact": 1, "confidence": confidence, "effort": 1}
    return _item(key, rice=rice, **fields)


def _keys(items: list[BacklogItem], **options: Any) -> list[str]:
    return [scored.key for scored in rank_items(items, RICE, **options).ranked]


def test_score_descending_with_positions() -> None:
    items = [_rice("SHOP-1", 10), _rice("SHOP-2", 30), _rice("SHOP-3", 20)]
    ranking = rank_items(items, RICE)
    assert [(s.rank, s.key, s.score) for s in ranking.ranked] == [
        (1, "SHOP-2", 30.0),
        (2, "SHOP-3", 20.0),
        (3, "SHOP-1", 10.0),
    ]
    assert ranking.positions() == {"SHOP-2": 1, "SHOP-3": 2, "SHOP-1": 3}
    assert ranking.model is RICE


def test_scored_item_carries_inputs_status_and_explanation() -> None:
    ranking = rank_items([_rice("SHOP-1", 10, status="In Progress")], RICE)
    scored = ranking.ranked[0]
    assert scored.status == "In Progress"
    assert scored.title == "Title of SHOP-1"
    assert scored.inputs["rice.reach"] == 10.0
    assert scored.explanation == "reach 10 × impact 1 × confidence 1 / effort 1 = 10"


def test_scores_within_relative_tolerance_are_tied() -> None:
    # 0.1 + 0.2 != 0.3 in floating point, but within 1e-9 relative they tie, so the key
    # (natural order) decides: SHOP-1 before SHOP-2 although SHOP-2's float is larger.
    items = [_rice("SHOP-2", 0.1 + 0.2), _rice("SHOP-1", 0.3)]
    assert (0.1 + 0.2) > 0.3
    assert _keys(items) == ["SHOP-1", "SHOP-2"]


def test_scores_beyond_tolerance_are_not_tied() -> None:
    items = [_rice("SHOP-1", 1.0), _rice("SHOP-2", 1.0 + 1e-6)]
    assert _keys(items) == ["SHOP-2", "SHOP-1"]


def test_wsjf_ties_break_on_cost_of_delay() -> None:
    # SHOP-1: CoD 1 + 2 + 1 = 4, size 2 -> 2.   SHOP-2: CoD 5 + 3 + 2 = 10, size 5 -> 2.
    # Equal WSJF: the higher cost of delay (SHOP-2) goes first, even against key and rank.
    small = _item(
        "SHOP-1",
        rank=1,
        wsjf={"business_value": 1, "time_criticality": 2, "risk_reduction": 1, "job_size": 2},
    )
    large = _item(
        "SHOP-2",
        rank=2,
        wsjf={"business_value": 5, "time_criticality": 3, "risk_reduction": 2, "job_size": 5},
    )
    ranking = rank_items([small, large], WSJF)
    assert [s.key for s in ranking.ranked] == ["SHOP-2", "SHOP-1"]
    assert ranking.ranked[0].score == ranking.ranked[1].score == 2.0


def test_rice_ties_break_on_confidence() -> None:
    # SHOP-1: 20 × 1 × 0.5 / 1 = 10.  SHOP-2: 10 × 1 × 1 / 1 = 10.  Surer bet first.
    items = [_rice("SHOP-1", 20, confidence=0.5), _rice("SHOP-2", 10, confidence=1)]
    assert _keys(items) == ["SHOP-2", "SHOP-1"]


def test_ice_ties_break_on_confidence() -> None:
    # 4 × 5 × 2 = 40 and 2 × 10 × 2 = 40: confidence 10 beats 5.
    items = [
        _item("SHOP-1", ice={"impact": 4, "confidence": 5, "ease": 2}),
        _item("SHOP-2", ice={"impact": 2, "confidence": 10, "ease": 2}),
    ]
    assert [s.key for s in rank_items(items, ICE).ranked] == ["SHOP-2", "SHOP-1"]


def test_full_ties_break_on_stored_rank_then_unranked_last() -> None:
    items = [
        _rice("SHOP-1", 10),
        _rice("SHOP-2", 10, rank=5),
        _rice("SHOP-3", 10, rank=2),
    ]
    assert _keys(items) == ["SHOP-3", "SHOP-2", "SHOP-1"]


def test_last_tie_break_is_natural_key_order() -> None:
    items = [_rice("SHOP-10", 10), _rice("SHOP-9", 10), _rice("SHOP-100", 10), _rice("ABC-2", 10)]
    assert _keys(items) == ["ABC-2", "SHOP-9", "SHOP-10", "SHOP-100"]


def test_equal_stored_ranks_fall_back_to_key_order_and_unranked_come_last() -> None:
    items = [
        _rice("SHOP-10", 10),
        _rice("SHOP-20", 10, rank=3),
        _rice("SHOP-9", 10),
        _rice("SHOP-11", 10, rank=1),
        _rice("SHOP-2", 10, rank=3),
        _rice("SHOP-1", 10, rank=7),
    ]
    assert _keys(items) == ["SHOP-11", "SHOP-2", "SHOP-20", "SHOP-1", "SHOP-9", "SHOP-10"]


def test_natural_key() -> None:
    keys = ["SHOP-10", "shop-9", "SHOP-9a", "SHOP-9", "A-1"]
    assert sorted(keys, key=natural_key) == ["A-1", "shop-9", "SHOP-9", "SHOP-9a", "SHOP-10"]


def test_done_items_are_left_out_unless_included() -> None:
    items = [
        _rice("SHOP-1", 10),
        _rice("SHOP-2", 20, status="Done", status_category="done"),
        _item("SHOP-3", status="Done", status_category="done"),
    ]
    default = rank_items(items, RICE)
    assert [s.key for s in default.ranked] == ["SHOP-1"]
    assert default.unscored == []
    included = rank_items(items, RICE, include_done=True)
    assert [s.key for s in included.ranked] == ["SHOP-2", "SHOP-1"]
    assert [u.key for u in included.unscored] == ["SHOP-3"]


def test_unscored_items_keep_backlog_order_with_reasons() -> None:
    items = [
        _item("SHOP-5", status="Backlog"),
        _rice("SHOP-1", 10),
        _item("SHOP-2", rice={"reach": 1, "impact": 1, "confidence": 1, "effort": 0}),
    ]
    ranking = rank_items(items, RICE)
    assert [(u.key, u.status, u.reason) for u in ranking.unscored] == [
        ("SHOP-5", "Backlog", "no rice inputs (reach, impact, confidence, effort)"),
        ("SHOP-2", "To Do", "rice.effort must be > 0 (got 0)"),
    ]


def test_top_trims_ranked_only() -> None:
    items = [_rice("SHOP-1", 10), _rice("SHOP-2", 20), _rice("SHOP-3", 30), _item("SHOP-4")]
    ranking = rank_items(items, RICE).top(2)
    assert [s.key for s in ranking.ranked] == ["SHOP-3", "SHOP-2"]
    assert [u.key for u in ranking.unscored] == ["SHOP-4"]
    assert rank_items(items, RICE).top(None) == rank_items(items, RICE)


# --- filters ---------------------------------------------------------------------------------


_BACKLOG = [
    _item(
        "SHOP-1",
        type="story",
        labels=["conversion", "mobile"],
        assignee="Ana",
        objective="KR-1.1",
    ),
    _item("SHOP-2", type="Bug", labels=["Checkout"], assignee="Ben", status_category="in_progress"),
    _item("SHOP-3", type="task", objective="kr-2.1", status_category="done"),
]


@pytest.mark.parametrize(
    ("options", "keys"),
    [
        ({}, ["SHOP-1", "SHOP-2", "SHOP-3"]),
        ({"labels": ["MOBILE"]}, ["SHOP-1"]),
        ({"labels": ["mobile", "checkout"]}, ["SHOP-1", "SHOP-2"]),  # OR within an option
        ({"types": ["bug"]}, ["SHOP-2"]),
        ({"types": ["story", "task"]}, ["SHOP-1", "SHOP-3"]),
        ({"assignees": ["ana"]}, ["SHOP-1"]),
        ({"objectives": ["KR-2.1"]}, ["SHOP-3"]),
        ({"status_categories": ["in-progress"]}, ["SHOP-2"]),
        ({"status_categories": ["todo", "done"]}, ["SHOP-1", "SHOP-3"]),
        ({"types": ["story", "bug"], "labels": ["checkout"]}, ["SHOP-2"]),  # AND across
        ({"types": ["task"], "labels": ["checkout"]}, []),
    ],
)
def test_item_filter(options: dict[str, list[str]], keys: list[str]) -> None:
    item_filter = ItemFilter(**options)
    assert [item.key for item in item_filter.apply(_BACKLOG)] == keys
    assert [item.key for item in _BACKLOG if item_filter.matches(item)] == keys


def test_filter_selecting_done() -> None:
    assert ItemFilter(status_categories=["Done"]).selects_done
    assert not ItemFilter(labels=["done"]).selects_done


def test_objective_filter_follows_parents_but_an_own_objective_wins() -> None:
    backlog = [
        _item("SHOP-10", type="epic", objective="KR-2.1"),
        _item("SHOP-11", parent="SHOP-10"),  # serves KR-2.1 through its epic
        _item("SHOP-12", parent="SHOP-11"),  # ... and through its grandparent
        _item("SHOP-13", parent="SHOP-10", objective="KR-3.1"),  # its own link wins
        _item("SHOP-14", parent="SHOP-15"),  # a parent cycle ends the walk
        _item("SHOP-15", parent="SHOP-14"),
    ]
    kept = ItemFilter(objectives=["kr-2.1"]).apply(backlog)
    assert [item.key for item in kept] == ["SHOP-10", "SHOP-11", "SHOP-12"]
    assert [item.key for item in ItemFilter(objectives=["KR-3.1"]).apply(backlog)] == ["SHOP-13"]
