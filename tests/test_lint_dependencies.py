"""Lint's dependency rules: H007 unknown dependency, H008 dependency cycle, H009 ranked below."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config
from backlogctl.lint.engine import Selection, lint_backlog
from backlogctl.models import Backlog, BacklogItem, SourceLocation

WriteFile = Callable[[str, str], Path]
AS_OF = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


def item(key: str, *depends_on: str, **fields: Any) -> BacklogItem:
    """An open story depending on ``depends_on``; ``reach`` gives it a RICE score."""
    reach = fields.pop("reach", None)
    if reach is not None:
        fields["rice"] = {"reach": reach, "impact": 1, "confidence": 1, "effort": 1}
    if fields.pop("done", False):
        fields.update(status="Done", status_category="done")
    return BacklogItem(
        key=key,
        title=f"Item {key}",
        depends_on=list(depends_on),
        source=SourceLocation(file="b.yaml", line=1),
        **fields,
    )


def lint(
    code: str,
    items: list[BacklogItem],
    statuses: dict[str, Any] | None = None,
    config: dict[str, Any] | None = None,
) -> list[tuple[str, str]]:
    """(key, message) of each finding of rule ``code``."""
    backlog = Backlog(items=items, dependency_statuses=statuses or {})
    result = lint_backlog(
        backlog,
        Config.model_validate(config or {}),
        as_of=AS_OF,
        selection=Selection(select=(code,)),
    )
    return [(entry.key, entry.message) for entry in result.entries]


# --- H007 ---------------------------------------------------------------------------------------


def test_h007_names_each_unknown_key_once_per_item() -> None:
    items = [item("A", "NOPE-1", "B", "NOPE-2", "X-1", "X-2"), item("B")]
    statuses = {"X-1": "done", "X-2": "todo"}  # outside the backlog, known to the source
    assert lint("H007", items, statuses) == [
        ("A", "depends on NOPE-1, which is not in the backlog"),
        ("A", "depends on NOPE-2, which is not in the backlog"),
    ]


def test_h007_skips_done_items() -> None:
    assert lint("H007", [item("A", "NOPE", done=True)]) == []


# --- H008 ---------------------------------------------------------------------------------------


def test_h008_reports_each_cycle_once_on_its_first_item() -> None:
    items = [
        item("A", "B"),
        item("B", "C"),
        item("C", "A"),
        item("D", "E"),
        item("E", "D"),
        item("SELF", "SELF"),  # only through the API: YAML drops a self-dependency
    ]
    assert lint("H008", items) == [
        ("A", "dependency cycle: A -> B -> C -> A"),
        ("D", "dependency cycle: D -> E -> D"),
        ("SELF", "dependency cycle: SELF depends on itself"),
    ]


def test_h008_through_an_epic_and_a_knot() -> None:
    items = [
        item("EPIC", type="epic"),
        item("S1", "EPIC", parent="EPIC"),
        item("K1", "K2"),
        item("K2", "K1", "K3"),
        item("K3", "K4"),
        item("K4", "K2"),
    ]
    assert lint("H008", items) == [
        ("EPIC", "dependency cycle: EPIC -> S1 -> EPIC"),
        (
            "K1",
            "dependency cycle: K1 -> K2 -> K1; 4 items wait for each other in all (also K3, K4)",
        ),
    ]


def test_h008_names_at_most_20_keys_of_a_long_cycle() -> None:
    keys = [f"K-{n}" for n in range(1, 26)]
    items = [item(key, keys[n % 25]) for n, key in enumerate(keys, start=1)]
    ((key, message),) = lint("H008", items)
    assert key == "K-1"
    listed = " -> ".join(keys[:20])
    assert message == f"dependency cycle of 25 items: {listed} -> … and 5 more"


def test_h008_a_long_path_inside_a_bigger_knot_counts_the_rest() -> None:
    keys = [f"K-{n}" for n in range(1, 23)]
    items = [item(key, keys[n % 22]) for n, key in enumerate(keys, start=1)]
    # A detour K-10 -> X-1 -> K-11 puts X-1 in the knot without a shorter loop through K-1.
    items[9] = item("K-10", "K-11", "X-1")
    items.append(item("X-1", "K-11"))
    ((_, message),) = lint("H008", items)
    assert message.endswith(" -> … and 2 more; 23 items wait for each other in all (also 1 more)")


def test_h008_a_done_item_breaks_the_cycle() -> None:
    assert lint("H008", [item("A", "B"), item("B", "A", done=True)]) == []


# --- H009 ---------------------------------------------------------------------------------------


def test_h009_fires_when_the_item_is_ranked_above_its_dependency() -> None:
    items = [item("A", "B", reach=500), item("B", reach=100), item("C", reach=300)]
    assert lint("H009", items) == [("A", "ranked 1 under rice but depends on B, ranked 3")]


def test_h009_is_silent_when_the_dependency_is_ranked_above() -> None:
    items = [item("A", "B", reach=100), item("B", reach=500)]
    assert lint("H009", items) == []


def test_h009_names_the_lowest_dependency_through_an_epic_and_counts_the_rest() -> None:
    items = [
        item("A", "EPIC", "C", reach=900),
        item("EPIC", type="epic"),
        item("S1", parent="EPIC", reach=100),
        item("S2", parent="EPIC", reach=200),
        item("S3", parent="EPIC", reach=950),  # ranked above A: fine
        item("C", reach=300),
    ]
    message = "ranked 2 under rice but depends on S1 (in EPIC), ranked 5"
    assert lint("H009", items) == [("A", f"{message}, and 2 more of its dependencies too")]


def test_h009_skips_unscored_items_cycle_members_and_done_dependencies() -> None:
    items = [
        item("A", "UNSCORED", reach=900),
        item("UNSCORED"),
        item("B", "C", reach=800),
        item("C", "B", reach=10),
        item("D", "C", reach=700),  # C is in a cycle: H008's business
        item("E", "F", reach=600),
        item("F", reach=1, done=True),
        item("G", "H"),  # G itself unscored
        item("H", reach=5),
    ]
    assert lint("H009", items) == []


def test_h009_follows_the_model_option() -> None:
    items = [
        item("A", "B", reach=500, wsjf={"business_value": 1, "job_size": 1}),
        item("B", reach=100, wsjf={"business_value": 20, "job_size": 1}),
    ]
    rice = {"lint": {"rules": {"H009": {"model": "rice"}}}}
    wsjf = {"lint": {"rules": {"H009": {"model": "wsjf"}}}}
    assert lint("H009", items, config=rice) == [
        ("A", "ranked 1 under rice but depends on B, ranked 2")
    ]
    assert lint("H009", items, config=wsjf) == []
    assert lint("H009", items, config={"default_model": "wsjf"}) == []


# --- through the command line --------------------------------------------------------------------

SHOP = """\
items:
  - key: SHOP-1
    title: One-click reorder
    depends_on: [SHOP-2, SHOP-404]
    rice: {reach: 9000, impact: 2, confidence: 80, effort: 1}
  - key: SHOP-2
    title: Saved payment methods
    rice: {reach: 3000, impact: 1, confidence: 80, effort: 2}
  - key: SHOP-3
    title: Wishlist sharing
    depends_on: SHOP-4
  - key: SHOP-4
    title: Public wishlist pages
    depends_on: SHOP-3
"""


def test_lint_reports_the_three_rules_with_file_and_line(write_file: WriteFile) -> None:
    write_file("b.yaml", SHOP)
    args = ["lint", "b.yaml", "--as-of", "2026-11-25", "--select", "H007,H008,H009"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1  # H008 is an error
    assert result.stdout.splitlines()[:3] == [
        "b.yaml:2: H007 [warning] SHOP-1: depends on SHOP-404, which is not in the backlog",
        "b.yaml:2: H009 [warning] SHOP-1: ranked 1 under rice but depends on SHOP-2, ranked 2",
        "b.yaml:9: H008 [error] SHOP-3: dependency cycle: SHOP-3 -> SHOP-4 -> SHOP-3",
    ]
    data = json.loads(CliRunner().invoke(app, [*args, "--format", "json"]).stdout)
    assert sorted((f["code"], f["key"]) for f in data["findings"]) == [
        ("H007", "SHOP-1"),
        ("H008", "SHOP-3"),
        ("H009", "SHOP-1"),
    ]


@pytest.mark.parametrize("code", ["H007", "H008", "H009"])
def test_rules_documents_each_rule(code: str) -> None:
    result = CliRunner().invoke(app, ["rules", code], terminal_width=100)
    assert result.exit_code == 0
    assert "Failing example" in result.stdout and "Passing example" in result.stdout


def test_hostile_keys_from_a_source_stay_inert_in_every_text_format() -> None:
    """A Jira link may name any key: messages quoting it never start a new annotation."""
    from backlogctl.output.lint_github import render_lint_github
    from backlogctl.output.lint_text import render_lint_text

    hostile = "X-1\n::error file=a.py::pwned\x1b[31m\u202e"
    items = [item("A", hostile, "B"), item("B", "A")]
    result = lint_backlog(
        Backlog(items=items),
        Config(),
        as_of=AS_OF,
        selection=Selection(select=("H007", "H008")),
    )
    for output in (render_lint_text(result), render_lint_github(result)):
        assert "\x1b" not in output and "\u202e" not in output
        assert not any(line.startswith("::error file=a.py") for line in output.splitlines())
        assert "pwned\\x1b[31m\\u202e" in output
