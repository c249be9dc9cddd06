"""``insights.stakeholders``: open requests, waiting, delivery and the grid, computed by hand.

tests/data/goals.yaml: RICE ranks S-1 (1), S-4 (2), S-6 (3), S-5 (4), S-7 (5), S-3 (6);
E-1 and S-8 are unscored. As of 2026-11-25, ``--since`` defaults to 2026-10-26.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from backlogctl.config import Config
from backlogctl.insights.stakeholders import (
    StakeholderResult,
    quadrant,
    summarize_stakeholders,
    unknown_names,
)
from backlogctl.loader import load_backlog
from backlogctl.models import Backlog
from backlogctl.scoring.ranking import rank_items
from backlogctl.scoring.registry import get_model

GOALS = str(Path(__file__).parent / "data" / "goals.yaml")
AS_OF = dt.datetime(2026, 11, 25, 23, 59, 59, tzinfo=dt.UTC)


@pytest.fixture
def goals() -> Backlog:
    return load_backlog([GOALS], Config())


def _summary(backlog: Backlog, **options: Any) -> StakeholderResult:
    ranking = rank_items(options.get("items", backlog.items), get_model("rice", Config()))
    return summarize_stakeholders(backlog, ranking, as_of=AS_OF, top=3, **options)


def _by_name(result: StakeholderResult) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in result.model_dump(mode="json")["stakeholders"]}


def test_open_items_in_rank_order_with_top_n_and_the_oldest_wait(goals: Backlog) -> None:
    marketing = _by_name(_summary(goals))["Marketing"]
    # S-1 (Marketing) and S-4 ("marketing": names match case-insensitively).
    assert [(entry["key"], entry["rank"]) for entry in marketing["open"]] == [
        ("S-1", 1),
        ("S-4", 2),
    ]
    assert marketing["in_top_n"] == 2
    # S-4 was created 2026-10-26: 30 days before 2026-11-25 (S-1: 24 days).
    assert (marketing["oldest_waiting_days"], marketing["oldest_waiting"]) == (30, "S-4")
    assert (marketing["influence"], marketing["interest"], marketing["quadrant"]) == (
        "high",
        "high",
        "manage_closely",
    )
    assert marketing["contact"] == "marketing@example.com"


def test_delivered_since_the_default_thirty_days(goals: Backlog) -> None:
    bi = _by_name(_summary(goals))["BI"]
    # S-2 resolved 2026-11-20 (within 30 days); S-9 resolved 2026-09-01 (too old).
    assert bi["delivered"] == [{"key": "S-2", "resolved": "2026-11-20", "title": "Guest checkout"}]
    assert [entry["key"] for entry in bi["open"]] == ["S-6"]
    assert bi["quadrant"] == "keep_informed"  # influence Low, interest HIGH
    since = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
    older = _by_name(_summary(goals, since=since))["BI"]
    assert [entry["key"] for entry in older["delivered"]] == ["S-9", "S-2"]


def test_in_progress_items_do_not_wait_and_unknown_levels_have_no_quadrant(
    goals: Backlog,
) -> None:
    found = _by_name(_summary(goals))
    service = found["Customer Service"]
    assert [(e["key"], e["rank"]) for e in service["open"]] == [("S-3", 6)]
    assert service["oldest_waiting_days"] is None  # S-3 is in progress, not waiting
    assert service["quadrant"] == "keep_satisfied"
    assert (found["CFO"]["declared"], found["CFO"]["quadrant"], found["CFO"]["open"]) == (
        True,
        None,
        [],
    )


def test_undeclared_names_are_listed_after_the_declared_ones(goals: Backlog) -> None:
    result = _summary(goals)
    names = [(entry.name, entry.declared) for entry in result.stakeholders]
    assert names == [
        ("Marketing", True),
        ("BI", True),
        ("Customer Service", True),
        ("CFO", True),
        ("Sales", False),
        ("Web Shop Team", False),
    ]
    assert result.undeclared == ["Sales", "Web Shop Team"]
    web_shop = _by_name(result)["Web Shop Team"]
    assert web_shop["open"] == [
        {"key": "E-1", "rank": None, "title": "Checkout epic", "status": "In Progress"}
    ]


def test_names_narrow_the_output_and_filters_never_hide_deliveries(goals: Backlog) -> None:
    only_s6 = [item for item in goals.items if item.key == "S-6"]
    result = _summary(goals, items=only_s6, names=["bi", "MARKETING"])
    found = _by_name(result)
    assert list(found) == ["Marketing", "BI"]
    assert found["Marketing"]["open"] == []
    assert [entry["key"] for entry in found["BI"]["delivered"]] == ["S-2"]


def test_unknown_names_get_close_matches(goals: Backlog) -> None:
    assert unknown_names(["Marketting", "bi", "Nobody"], goals) == [
        "no stakeholder named 'Marketting' (did you mean 'Marketing'?)",
        "no stakeholder named 'Nobody'",
    ]


@pytest.mark.parametrize(
    ("influence", "interest", "expected"),
    [
        ("high", "high", "manage_closely"),
        ("high", "medium", "keep_satisfied"),
        ("high", "low", "keep_satisfied"),
        ("medium", "high", "keep_informed"),
        ("low", "high", "keep_informed"),
        ("medium", "medium", "monitor"),
        ("low", "low", "monitor"),
        (None, "high", None),
        ("high", None, None),
    ],
)
def test_the_grid(influence: Any, interest: Any, expected: str | None) -> None:
    assert quadrant(influence, interest) == expected
