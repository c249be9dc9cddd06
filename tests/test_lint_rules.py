"""Each lint rule: a firing case, a non-firing case exactly at its threshold, per-item
suppression, and its options. Cases follow the examples in each rule's docstring."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backlogctl.config import Config
from backlogctl.lint.engine import Selection, lint_backlog
from backlogctl.lint.registry import RULES
from backlogctl.lint.result import LintResult
from backlogctl.models import Backlog, BacklogItem, Objective, SourceLocation, Stakeholder

AS_OF = dt.datetime(2026, 11, 25, 23, 59, 59, tzinfo=dt.UTC)
_DEFAULTS: dict[str, Any] = {
    "title": "Show delivery date on product page",
    "description": "Shoppers want to know when the parcel arrives.",
    "updated": "2026-11-20",
}


def item(key: str = "SHOP-1", **fields: Any) -> BacklogItem:
    """A tidy item (breaks as few rules as possible) with ``fields`` on top."""
    status = fields.get("status", "To Do")
    category = {"in progress": "in_progress", "in review": "in_progress", "done": "done"}
    fields.setdefault("status_category", category.get(status.lower(), "todo"))
    number = int(key.rsplit("-", 1)[1])
    return BacklogItem(
        key=key, source=SourceLocation(file="b.yaml", line=number), **{**_DEFAULTS, **fields}
    )


def run(
    code: str,
    items: list[BacklogItem],
    options: dict[str, Any] | None = None,
    config: dict[str, Any] | None = None,
    objectives: list[Objective] | None = None,
) -> LintResult:
    """Lint ``items`` with only rule ``code`` selected (plus L001 to see unused suppressions)."""
    settings = dict(config or {})
    if options is not None:
        settings.setdefault("lint", {})["rules"] = {code: options}
    return lint_backlog(
        Backlog(items=items, objectives=objectives or [], stakeholders=_stakeholders(code)),
        Config.model_validate(settings),
        as_of=AS_OF,
        selection=Selection(select=(code, "L001")),
    )


def found(result: LintResult) -> list[tuple[str, str]]:
    """(code, key) of each finding."""
    return [(entry.code, entry.key) for entry in result.entries]


def ranked(count: int) -> list[BacklogItem]:
    """``count`` items stored in rank order 1..count that RICE orders exactly the other way."""
    return [
        item(
            f"SHOP-{n}",
            title=f"Ranked item number {n}",
            rank=n,
            rice={"reach": 100 * n, "impact": 1, "confidence": 1, "effort": 1},
        )
        for n in range(1, count + 1)
    ]


RICE_50 = {"reach": 9000, "impact": 2, "confidence": 80, "effort": 1}

# code -> (items with at least one firing on the listed keys, keys that fire)
FIRING: dict[str, tuple[list[BacklogItem], list[str]]] = {
    "S001": ([item(updated="2026-08-01")], ["SHOP-1"]),
    "S002": (
        [item(status="In Progress", assignee="a", status_changed="2026-11-01")],
        ["SHOP-1"],
    ),
    "S003": ([item(due="2026-11-20")], ["SHOP-1"]),
    "S004": ([item(blocked_since="2026-11-10")], ["SHOP-1"]),
    "D001": ([item(description=None)], ["SHOP-1"]),
    "D002": ([item(type="story")], ["SHOP-1"]),
    "D003": (
        [item("SHOP-1"), item("SHOP-2", title="Show delivery date on the product page")],
        ["SHOP-2"],
    ),
    "D004": ([item(title="Fix bug")], ["SHOP-1"]),
    "E001": ([item(status="Ready")], ["SHOP-1"]),
    "E002": ([item(estimate=21)], ["SHOP-1"]),
    "E003": ([item(rice={"reach": 500, "impact": 1})], ["SHOP-1"]),
    "E004": (
        [item(rice={"reach": 1000, "impact": 7, "confidence": 0.8, "effort": 2})],
        ["SHOP-1"],
    ),
    "H001": ([item()], ["SHOP-1"]),
    "H002": ([item(parent="SHOP-999")], ["SHOP-1"]),
    "H003": ([item()], ["SHOP-1"]),
    "H004": (
        [item("SHOP-100", type="epic", status="Done"), item("SHOP-17", parent="SHOP-100")],
        ["SHOP-17"],
    ),
    "H005": ([item(objective="KR-9.9")], ["SHOP-1"]),
    "H006": (
        [item("SHOP-19", parent="SHOP-20"), item("SHOP-20", parent="SHOP-19")],
        ["SHOP-19"],  # one finding per cycle, on its first member in the backlog
    ),
    "H007": ([item("SHOP-31", depends_on=["SHOP-999"])], ["SHOP-31"]),
    "H008": (
        [item("SHOP-40", depends_on=["SHOP-41"]), item("SHOP-41", depends_on=["SHOP-40"])],
        ["SHOP-40"],  # one finding per cycle, on its first member in the backlog
    ),
    "H009": (
        [
            item("SHOP-50", depends_on=["SHOP-51"], rice=RICE_50),
            item("SHOP-51", rice={**RICE_50, "reach": 3000, "impact": 1, "effort": 2}),
        ],
        ["SHOP-50"],
    ),
    "H010": ([item(stakeholders=["Marketing", "Sales"])], ["SHOP-1"]),
    "W001": ([item(status="In Progress")], ["SHOP-1"]),
    "W002": (
        [
            item(f"SHOP-{n}", status="In Progress", assignee="ben", status_changed=f"2026-11-1{n}")
            for n in range(1, 5)
        ],
        ["SHOP-4"],
    ),
    "W003": (ranked(25), ["SHOP-1", "SHOP-2", "SHOP-24", "SHOP-25"]),
    "W004": ([item(status="Parked")], ["SHOP-1"]),
}
DECLARED = [Objective.model_validate({"key": "O-1", "key_results": [{"key": "KR-1.1"}]})]


def _objectives(code: str) -> list[Objective] | None:
    return DECLARED if code == "H005" else None


def _stakeholders(code: str) -> list[Stakeholder]:
    return [Stakeholder(name="Marketing")] if code == "H010" else []


def test_every_rule_with_a_check_has_a_firing_case() -> None:
    assert sorted(FIRING) == sorted(code for code, rule in RULES.items() if rule.check)


@pytest.mark.parametrize("code", sorted(FIRING))
def test_rule_fires(code: str) -> None:
    items, keys = FIRING[code]
    result = run(code, items, objectives=_objectives(code))
    assert found(result) == [(code, key) for key in sorted(keys, key=lambda k: int(k[5:]))]
    assert all(entry.severity == RULES[code].severity for entry in result.entries)


@pytest.mark.parametrize("code", sorted(FIRING))
def test_rule_is_suppressed_per_item_and_the_suppression_counts_as_used(code: str) -> None:
    items, keys = FIRING[code]
    suppression = {"ignore": [code], "reason": "agreed"}
    quiet = [
        BacklogItem.model_validate({**it.model_dump(), "lint": suppression})
        if it.key in keys
        else it
        for it in items
    ]
    result = run(code, quiet, objectives=_objectives(code))
    assert found(result) == []
    assert result.suppressed == len(keys)


@pytest.mark.parametrize(
    ("code", "items", "options"),
    [
        ("S001", [item(updated="2026-08-27")], None),  # exactly 90 days
        ("S001", [item(updated="2026-08-01", status="Done")], None),
        ("S002", [item(status="In Progress", assignee="a", status_changed="2026-11-11")], None),
        ("S003", [item(due="2026-11-25")], None),  # due today
        ("S004", [item(blocked_since="2026-11-20")], None),  # exactly 5 days
        ("D001", [item(description="0123456789")], None),  # exactly 10 characters
        ("D002", [item(type="story", acceptance_criteria=["It works"])], None),
        ("D002", [item(type="bug")], None),
        ("D003", [item("SHOP-1"), item("SHOP-2", title="Show stock level on product page")], None),
        ("D004", [item(title="Fix coupon rounding")], None),  # exactly 3 words
        ("D004", [item(title="Checkout", type="epic")], None),
        ("E001", [item(status="Backlog")], None),
        ("E001", [item(status="Ready", estimate=5)], None),
        ("E002", [item(estimate=13)], None),  # exactly 13
        ("E003", [item(rice={"reach": 5, "impact": 1, "confidence": 0.8, "effort": 2})], None),
        ("E004", [item(rice={"reach": 0, "impact": 0.25, "confidence": 100, "effort": 2})], None),
        ("E004", [item(ice={"impact": 1, "confidence": 10, "ease": 10})], None),
        ("E004", [item(wsjf={"business_value": 20, "job_size": 1})], None),
        ("H001", [item(parent="SHOP-2"), item("SHOP-2", type="epic")], None),
        ("H002", [item(parent="SHOP-2"), item("SHOP-2", type="epic")], None),
        ("H003", [item(parent="SHOP-2"), item("SHOP-2", type="epic", objective="KR-1")], None),
        ("H004", [item(parent="SHOP-2"), item("SHOP-2", type="epic", status="In Progress")], None),
        ("H005", [item(objective="KR-9.9")], None),  # no objectives declared: silent
        ("H006", [item(parent="SHOP-2"), item("SHOP-2", parent="SHOP-3"), item("SHOP-3")], None),
        ("H007", [item("SHOP-31", depends_on=["SHOP-30"]), item("SHOP-30")], None),
        ("H008", [item("SHOP-40", depends_on=["SHOP-41"]), item("SHOP-41")], None),
        (
            "H009",
            [
                item("SHOP-50", depends_on=["SHOP-51"], rice=RICE_50),
                item("SHOP-51", rice={**RICE_50, "reach": 50000, "impact": 1, "effort": 2}),
            ],
            None,
        ),
        (
            "H010",
            [item(stakeholders=["marketing"]), item("SHOP-2", stakeholders=["X"], status="Done")],
            None,
        ),
        ("W001", [item(status="In Progress", assignee="ana")], None),
        ("W002", FIRING["W002"][0][:3], None),  # exactly 3 in progress
        ("W003", ranked(21), None),  # drift of exactly 20 positions
        ("W004", [item(status="backlog")], None),
    ],
)
def test_rule_is_silent_at_its_boundary(
    code: str, items: list[BacklogItem], options: dict[str, Any] | None
) -> None:
    assert found(run(code, items, options)) == []


@pytest.mark.parametrize(
    ("code", "items", "options", "keys"),
    [
        ("S001", [item(updated="2026-08-01")], {"days": 120}, []),
        ("S001", [item(updated="2026-11-20")], {"days": 0}, ["SHOP-1"]),
        (
            "S002",
            [item(status="In Progress", assignee="a", status_changed="2026-11-01")],
            {"days": 30},
            [],
        ),
        ("S003", [item(due="2026-11-20")], {"grace_days": 5}, []),
        ("S003", [item(due="2026-11-19")], {"grace_days": 5}, ["SHOP-1"]),
        ("S004", [item(blocked_since="2026-11-10")], {"days": 20}, []),
        ("D001", [item(description="Short text")], {"min_length": 20}, ["SHOP-1"]),
        ("D002", [item(type="story")], {"types": ["bug"]}, []),
        (
            "D002",
            [item(type="story", acceptance_criteria=["One"])],
            {"min_criteria": 2},
            ["SHOP-1"],
        ),
        ("D003", FIRING["D003"][0], {"threshold": 95}, []),
        ("D003", [item(), item("SHOP-2", status="Done")], {"include_done": True}, ["SHOP-2"]),
        ("D004", [item(title="Fix coupon rounding")], {"min_words": 4}, ["SHOP-1"]),
        ("E001", [item(status="Backlog")], {"statuses": ["backlog"]}, ["SHOP-1"]),
        ("E002", [item(estimate=21)], {"max_points": 21}, []),
        ("E003", [item(type="bug", rice={"reach": 1})], {"exempt_types": ["bug"]}, []),
        (
            "E003",
            [
                item(
                    wsjf={
                        "business_value": 5,
                        "time_criticality": 3,
                        "risk_reduction": 1,
                        "job_size": 2,
                    }
                )
            ],
            {"model": "wsjf"},
            [],
        ),
        (
            "E004",
            [item(rice={"reach": 1, "impact": 7, "confidence": 0.8, "effort": 2})],
            {"rice_impact_scale": [7, 3]},
            [],
        ),
        ("E004", [item(ice={"impact": 12})], {"ice_max": 12}, []),
        ("H001", [item()], {"exempt_types": ["story"]}, []),
        ("H003", [item(type="bug")], {"exempt_types": ["bug"]}, []),
        ("W002", FIRING["W002"][0], {"limit": 4}, []),
        ("W003", ranked(25), {"max_drift": 23}, ["SHOP-1", "SHOP-25"]),
    ],
)
def test_rule_option(
    code: str, items: list[BacklogItem], options: dict[str, Any], keys: list[str]
) -> None:
    assert found(run(code, items, options)) == [(code, key) for key in keys]


def test_s002_counts_from_updated_without_status_changed() -> None:
    result = run("S002", [item(status="In Progress", assignee="a", updated="2026-11-01")])
    assert [entry.message for entry in result.entries] == [
        "in progress (In Progress) for 24 days (limit 14)"
    ]


def test_s004_uses_status_changed_of_a_blocked_status() -> None:
    blocked = item(status="Blocked", status_category="in_progress", status_changed="2026-11-01")
    assert found(run("S004", [blocked])) == [("S004", "SHOP-1")]


def test_d003_reports_exact_duplicates_against_the_first_and_scales_with_repeats() -> None:
    copies = [item(f"SHOP-{n}", title="Gift cards in the mini cart") for n in range(1, 6)]
    result = run("D003", copies)
    assert found(result) == [("D003", f"SHOP-{n}") for n in range(2, 6)]
    assert all("possible duplicate of SHOP-1" in entry.message for entry in result.entries)


def test_d003_finds_near_duplicates_inside_a_large_block() -> None:
    # 600 titles sharing their rarest words form one block larger than a window.
    many = [item(f"SHOP-{n}", title=f"Common words everywhere variant{n:04d}") for n in range(600)]
    many.append(item("SHOP-999", title="Common words everywhere variant0007 "))
    result = run("D003", many, {"threshold": 99})
    assert ("D003", "SHOP-999") in found(result)


def test_e004_reports_each_bad_input_once_with_its_field() -> None:
    bad = item(
        rice={"reach": -1, "impact": 7, "confidence": 130, "effort": 0},
        wsjf={"business_value": 4, "job_size": 20},
        ice={"impact": 0, "confidence": 11},
    )
    messages = [entry.message for entry in run("E004", [bad]).entries]
    assert messages == sorted(messages)
    assert len(messages) == 7
    assert "rice.confidence 130 % is outside 0..1 (0..100 %)" in messages
    assert "wsjf.business_value 4 is not modified Fibonacci (1, 2, 3, 5, 8, 13, 20)" in messages
    assert "ice.confidence 11 is outside 1..10" in messages


def test_h003_follows_parents_without_looping_on_a_cycle() -> None:
    items = [item(parent="SHOP-2"), item("SHOP-2", parent="SHOP-1")]
    assert found(run("H003", items)) == [("H003", "SHOP-1"), ("H003", "SHOP-2")]


def test_h005_accepts_objectives_from_the_config_too() -> None:
    config = {"objectives": [{"key": "O-1", "key_results": [{"key": "KR-1.1"}]}]}
    result = run(
        "H005", [item(objective="KR-1.1"), item("SHOP-2", objective="KR-2")], config=config
    )
    assert found(result) == [("H005", "SHOP-2")]


def test_w002_reports_the_items_started_last() -> None:
    result = run("W002", FIRING["W002"][0], {"limit": 2})
    assert found(result) == [("W002", "SHOP-3"), ("W002", "SHOP-4")]
    assert result.entries[0].message.startswith("ben has 4 items in progress (limit 2)")


def test_w004_accepts_statuses_mapped_in_the_config() -> None:
    config = {"statuses": {"todo": ["Parked"]}}
    assert found(run("W004", [item(status="Parked")], config=config)) == []


def test_w004_skips_jira_items_which_carry_their_own_category() -> None:
    jira = item(status="Parked").model_copy(update={"source": SourceLocation(url="https://x/1")})
    assert found(run("W004", [jira])) == []


def test_unused_and_unknown_suppressions_are_reported() -> None:
    tidy = item(lint={"ignore": ["S001", "Z999"], "reason": "old"}, updated="2026-11-20")
    result = run("S001", [tidy])
    assert [entry.message for entry in result.entries] == [
        "suppression names unknown rule code 'Z999'",
        "suppression of S001 matches no finding: remove it",
    ]
    assert {entry.code for entry in result.entries} == {"L001"}


def test_suppression_of_an_unselected_rule_is_not_reported() -> None:
    tidy = item(lint={"ignore": ["D001"]}, updated="2026-11-20")
    assert found(run("S001", [tidy])) == []


def test_jira_label_suppresses_a_rule() -> None:
    labelled = item(updated="2026-01-01", labels=["backlogctl-ignore-S001", "checkout"])
    result = run("S001", [labelled])
    assert found(result) == []
    assert result.suppressed == 1


def test_suppressing_l001_silences_unused_suppressions() -> None:
    tidy = item(lint={"ignore": ["S001", "L001"]}, updated="2026-11-20")
    assert found(run("S001", [tidy])) == []


def test_h005_matches_declared_keys_case_insensitively_like_okr_and_the_filters() -> None:
    config = {"objectives": [{"key": "O-1", "key_results": [{"key": "KR-1.1"}]}]}
    items = [
        item(objective="kr-1.1"),
        item("SHOP-2", objective="o-1"),
        item("SHOP-3", objective="KR-9"),
    ]
    assert found(run("H005", items, config=config)) == [("H005", "SHOP-3")]


def test_h003_inherits_through_epic_chains_as_okr_does() -> None:
    items = [
        item("SHOP-1", parent="SHOP-2"),
        item("SHOP-2", type="epic", parent="SHOP-3"),
        item("SHOP-3", type="epic", objective="KR-1"),
        item("SHOP-4", parent="SHOP-5"),
        item("SHOP-5", type="epic", parent="SHOP-9"),  # parent outside the backlog
        item("SHOP-6", parent="SHOP-7"),
        item("SHOP-7", type="epic", parent="SHOP-6"),  # a cycle without an objective
        item("SHOP-8", parent="SHOP-3", status="Done"),
    ]
    assert found(run("H003", items)) == [
        ("H003", "SHOP-4"),
        ("H003", "SHOP-5"),
        ("H003", "SHOP-6"),
        ("H003", "SHOP-7"),
    ]


def test_h007_says_which_key_was_meant_for_a_slip_of_case_or_a_comma_joined_list() -> None:
    items = [
        item("SHOP-1", depends_on=["shop-2", "SHOP-2, SHOP-3", "SHOP-9", "SHOP-2, SHOP-9"]),
        item("SHOP-2"),
        item("SHOP-3"),
    ]
    messages = sorted(entry.message for entry in run("H007", items).entries)
    assert messages == [
        "depends on SHOP-2, SHOP-3, which is not in the backlog "
        "(a list of keys is written [SHOP-2, SHOP-3])",
        "depends on SHOP-2, SHOP-9, which is not in the backlog",
        "depends on SHOP-9, which is not in the backlog",
        "depends on shop-2, which is not in the backlog (did you mean SHOP-2?)",
    ]
