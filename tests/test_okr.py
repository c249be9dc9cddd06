"""``insights.okr``: figures and progress per objective and key result, computed by hand.

tests/data/goals.yaml holds the backlog; its RICE scores rank S-1 (1000), S-4 (500),
S-6 (400), S-5 (300), S-7 (200), S-3 (100); E-1 and S-8 are unscored. E-1 is a container.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from backlogctl.config import Config
from backlogctl.insights.okr import OkrResult, summarize_okrs
from backlogctl.loader import load_backlog
from backlogctl.models import Backlog
from backlogctl.scoring.ranking import rank_items
from backlogctl.scoring.registry import get_model

GOALS = str(Path(__file__).parent / "data" / "goals.yaml")
AS_OF = dt.datetime(2026, 11, 25, 23, 59, 59, tzinfo=dt.UTC)


def _okr(backlog: Backlog, *, top: int = 3, **options: Any) -> OkrResult:
    config = Config()
    ranking = rank_items(options.get("items", backlog.items), get_model("rice", config))
    return summarize_okrs(backlog, ranking, as_of=AS_OF, top=top, **options)


@pytest.fixture
def goals() -> Backlog:
    return load_backlog([GOALS], Config())


def _by_key(result: OkrResult) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for objective in result.model_dump(mode="json")["objectives"]:
        found[objective["key"]] = objective
        for key_result in objective["key_results"]:
            found[key_result["key"]] = key_result
    return found


def test_a_rising_metric_inherited_through_the_epic_without_counting_the_epic(
    goals: Backlog,
) -> None:
    kr = _by_key(_okr(goals))["KR-1"]
    # S-1 (5 points) and S-3 (no estimate) are open; S-2 (3 points) is done; E-1's own
    # 100 points are not counted: it is their container.
    assert (kr["open_items"], kr["done_items"]) == (2, 1)
    assert (kr["open_points"], kr["done_points"], kr["unestimated_open_items"]) == (5, 3, 1)
    assert kr["delivery_progress"] == pytest.approx(3 / 8)
    assert kr["metric_progress"] == pytest.approx((2.25 - 2.0) / (3.0 - 2.0))
    # S-1 is ranked first; the top 3 are S-1 (KR-1), S-4 (KR-2), S-6 (unlinked).
    assert (kr["best_rank"], kr["top_share"]) == (1, pytest.approx(1 / 3))
    assert (kr["metric"], kr["unit"], kr["due"], kr["owner"]) == (
        "conversion",
        "%",
        "2026-12-31",
        "Marketing",
    )


def test_a_falling_metric_progresses_as_it_drops(goals: Backlog) -> None:
    kr = _by_key(_okr(goals))["KR-2"]
    assert kr["metric_progress"] == pytest.approx((7 - 10) / (4 - 10))  # 0.5
    assert (kr["open_items"], kr["open_points"], kr["delivery_progress"]) == (1, 2, 0.0)
    assert kr["best_rank"] == 2


def test_thresholds_are_met_or_not_and_have_no_metric_progress(goals: Backlog) -> None:
    found = _by_key(_okr(goals))
    assert (found["KR-3"]["met"], found["KR-3"]["metric_progress"]) == (True, None)  # 1.2 < 1.5
    assert (found["KR-4"]["met"], found["KR-4"]["metric_progress"]) == (False, None)  # 99.1
    # No items at all: no points to measure delivery, nothing ranked, none of the top 3.
    assert (found["KR-3"]["delivery_progress"], found["KR-3"]["best_rank"]) == (None, None)
    assert found["KR-3"]["top_share"] == 0.0


def test_an_objective_adds_up_its_key_results_and_its_direct_items(goals: Backlog) -> None:
    objective = _by_key(_okr(goals))["O1"]
    # KR-1 (2 open, 5 points, 1 done, 3 points) + KR-2 (1 open, 2 points) + S-5 linked to O1
    # directly (1 open, 1 point, rank 4).
    assert (objective["open_items"], objective["done_items"]) == (4, 1)
    assert (objective["open_points"], objective["done_points"]) == (8, 3)
    assert objective["delivery_progress"] == pytest.approx(3 / 11)
    assert (objective["best_rank"], objective["top_share"]) == (1, pytest.approx(2 / 3))
    assert [kr["key"] for kr in objective["key_results"]] == ["KR-1", "KR-2", "KR-3", "KR-4"]


def test_warnings_unlinked_points_and_unknown_key_results(goals: Backlog) -> None:
    document = _okr(goals).model_dump(mode="json")
    assert [(w["key"], w["kind"]) for w in document["warnings"]] == [
        ("KR-4", "no_open_items"),  # threshold not met, nothing open for it
        ("KR-5", "overdue"),  # due 2026-06-30, 40% of the way
        ("KR-5", "unestimated"),  # its one open item, S-8, has no estimate
    ]
    messages = {w["kind"]: w["message"] for w in document["warnings"]}
    assert messages["overdue"] == (
        "due 2026-06-30 has passed; target 10 not reached (4, 40% of the way)"
    )
    assert messages["no_open_items"] == "no open items and 99.1 is not above 99.5"
    # S-6 (8 points, no objective) and S-7 (4 points, KR-9 is not declared).
    assert (document["unlinked_open_points"], document["unlinked_open_items"]) == (12, 2)
    assert document["unknown_key_results"] == [{"key": "KR-9", "item": "S-7"}]
    assert document["schema_version"] == 1


def test_key_results_match_case_insensitively_and_done_points_count(goals: Backlog) -> None:
    kr = _by_key(_okr(goals))["KR-5"]
    # S-8 names "kr-5"; S-9 is done with 2 points: delivery 2 / (0 + 2).
    assert (kr["open_items"], kr["done_items"], kr["delivery_progress"]) == (1, 1, 1.0)
    assert kr["best_rank"] is None  # S-8 is unscored


def test_filters_narrow_open_work_but_never_done_figures(goals: Backlog) -> None:
    open_s4 = [item for item in goals.items if item.key in ("S-4", "E-1")]
    found = _by_key(_okr(goals, items=open_s4))
    # Only S-4 is open work now; S-2 (KR-1) and S-9 (KR-5) still count as done.
    assert (found["KR-1"]["open_items"], found["KR-1"]["done_items"]) == (0, 1)
    assert (found["KR-5"]["open_items"], found["KR-5"]["done_items"]) == (0, 1)
    assert found["KR-2"]["best_rank"] == 1
    assert found["KR-2"]["top_share"] == 1.0


def test_the_objective_option_narrows_what_is_shown(goals: Backlog) -> None:
    assert list(_by_key(_okr(goals, objectives=["kr-5"]))) == ["O2", "KR-5"]
    assert list(_by_key(_okr(goals, objectives=["O1"]))) == ["O1", "KR-1", "KR-2", "KR-3", "KR-4"]


def test_nested_key_results_of_a_backlog_built_in_code_count_too() -> None:
    backlog = Backlog.model_validate(
        {"objectives": [{"key": "O", "key_results": [{"key": "KR", "title": "x"}]}]}
    )
    result = summarize_okrs(backlog, rank_items([], get_model("rice", Config())), as_of=AS_OF)
    assert [kr.key for kr in result.objectives[0].key_results] == ["KR"]
    assert [(w.key, w.kind, w.message) for w in result.warnings] == [
        ("KR", "no_open_items", "no open items and no target to tell whether it is reached")
    ]


def test_a_deep_parent_chain_inherits_in_one_pass_and_cycles_are_cut() -> None:
    from backlogctl.hierarchy import inherited_objectives
    from backlogctl.models import BacklogItem

    depth = 20_000  # quadratic walking would take minutes here
    chain = [BacklogItem(key="I-0", title="root", objective="KR-1")] + [
        BacklogItem(key=f"I-{n}", title="t", parent=f"I-{n - 1}") for n in range(1, depth)
    ]
    cycle = [
        BacklogItem(key="C-1", title="t", parent="C-2"),
        BacklogItem(key="C-2", title="t", parent="C-1"),
    ]
    found = inherited_objectives(list(reversed(chain)) + cycle)
    assert found[f"I-{depth - 1}"] == "KR-1"
    assert set(found.values()) == {"KR-1", None}
    assert (found["C-1"], found["C-2"]) == (None, None)
