"""``backlogctl plan`` end to end: formats, the JSON contract, containers, bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app

runner = CliRunner()
DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden" / "plan"
UPDATE_GOLDEN = os.environ.get("BACKLOGCTL_UPDATE_GOLDEN") == "1"

CONFIG = """\
default_model: value
models:
  value:
    description: the value field
    formula: "fields.value"
"""
BACKLOG = """\
items:
  - {key: P-1, title: Epic one, type: epic}
  - {key: P-2, title: Child A, parent: P-1, estimate: 3, fields: {value: 50}}
  - {key: P-3, title: Child B, parent: P-1, estimate: 2, fields: {value: 5}}
  - {key: P-4, title: Needs the epic, estimate: 2, fields: {value: 90}, depends_on: [P-1]}
  - {key: P-5, title: Running, status: In Progress, estimate: 3, fields: {value: 1}}
  - {key: P-6, title: No estimate, fields: {value: 40}}
  - {key: P-7, title: Unknown dependency, estimate: 1, fields: {value: 30}, depends_on: [NOPE-1]}
  - {key: P-8, title: Too big, estimate: 13, fields: {value: 20}}
  - {key: P-9, title: Done dependency, estimate: 2, fields: {value: 10}, depends_on: [P-10],
     due: 2026-12-10}
  - {key: P-10, title: Shipped, status: Done, estimate: 1, fields: {value: 1}}
  - {key: P-11, title: Left over, estimate: 5, fields: {value: 3}}
  - {key: P-12, title: Unscored, estimate: 1}
  - {key: P-13, title: After the running one, estimate: 1, fields: {value: 7}, depends_on: [P-5]}
"""
# Model order by fields.value: P-4 90, P-2 50, (P-6 40, P-7 30, P-8 20 cannot be planned),
# P-9 10, P-13 7, P-3 5, P-11 3, P-5 1; P-12 unscored; P-1 is a container (not planned).
# rank, 8 points × 2: sprint 1 carries P-5 over (3 points, 5 left); P-4 needs P-1's open
# children P-2 and P-3 first: 3 + 2 + 2 = 7 > 5, so P-2 and P-3 go in and P-4 waits.
# Sprint 2: P-4, P-9, P-13 (5 points); P-11 (5) no longer fits the 3 left.


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "backlogctl.yaml").write_text(CONFIG + "sources: [backlog.yaml]\n")
    (tmp_path / "backlog.yaml").write_text(BACKLOG)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["plan", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def plan_json(*args: str) -> dict[str, Any]:
    code, out, err = run(*args, "--as-of", "2026-12-01", "--format", "json")
    assert code == 0, err
    document: dict[str, Any] = json.loads(out)
    return document


def keys(document: dict[str, Any]) -> list[list[str]]:
    return [[item["key"] for item in sprint["items"]] for sprint in document["sprints"]]


def test_rank_json_contract(workdir: Path) -> None:
    document = plan_json("--capacity", "8", "--sprints", "2", "--start", "2026-12-07")
    assert document["schema_version"] == 1
    assert document["strategy"] == "rank"
    assert document["model"] == "value"
    assert document["exact"] is None and document["method"] is None
    assert document["capacity"] == [8, 8]
    assert keys(document) == [["P-5", "P-2", "P-3"], ["P-4", "P-9", "P-13"]]
    first, second = document["sprints"]
    assert [item["via"] for item in first["items"]] == ["carry_over", "dependency", "dependency"]
    assert first["items"][1] == {
        "key": "P-2",
        "title": "Child A",
        "type": "story",
        "estimate": 3,
        "score": 50,
        "due": None,
        "via": "dependency",
    }
    assert (first["number"], first["points"], first["score"], first["total"]) == (1, 8, 56, 56)
    assert (second["points"], second["score"], second["total"]) == (5, 107, 163)
    assert (first["start"], first["end"]) == ("2026-12-07", "2026-12-20")
    assert (second["start"], second["end"]) == ("2026-12-21", "2027-01-03")
    assert {entry["key"]: entry["reason"] for entry in document["unplanned"]} == {
        "P-6": "no_estimate",
        "P-7": "unknown_dependency",
        "P-8": "larger_than_any_sprint",
        "P-11": "did_not_fit",
        "P-12": "unscored",
    }
    assert document["warnings"] == [
        {
            "key": "P-9",
            "kind": "due_before_sprint_end",
            "message": "P-9 is due 2026-12-10, before sprint 2 ends on 2027-01-03",
        }
    ]
    assert document["cost_of_delay_left_out"] is None
    assert document["excluded_in_progress"] == []


def test_value_takes_the_better_set_and_says_it_was_exact(workdir: Path) -> None:
    document = plan_json("--capacity", "8,8", "--strategy", "value")
    # Sprint 1, 5 points after carry-over: P-2 + P-9 (60) beat rank's P-2 + P-3 (55).
    assert keys(document) == [["P-5", "P-2", "P-9"], ["P-3", "P-4", "P-13"]]
    assert document["exact"] is True
    assert document["method"] == (
        "every sprint: exact 0/1 knapsack (up to 6 options × 9 capacity steps, within 50,000,000)"
    )
    assert [sprint["method"] for sprint in document["sprints"]] == ["exact", "exact"]
    reasons = {entry["key"]: entry["reason"] for entry in document["unplanned"]}
    assert reasons["P-11"] == "better_set"


def test_filters_leave_dependencies_out_with_why(workdir: Path) -> None:
    document = plan_json("--capacity", "8", "--status-category", "todo")
    unplanned = {entry["key"]: entry for entry in document["unplanned"]}
    assert unplanned["P-13"]["reason"] == "dependency_not_planned"
    assert unplanned["P-13"]["detail"] == "depends on P-5, left out by the filters"
    assert "P-5" not in {key for sprint in keys(document) for key in sprint}


def test_exclude_in_progress_counts_it_as_done(workdir: Path) -> None:
    document = plan_json("--capacity", "8", "--sprints", "1", "--exclude-in-progress")
    assert document["excluded_in_progress"] == ["P-5"]
    # P-4's chain (7 points) now fits sprint 1 whole; P-13 waits for nothing.
    assert keys(document) == [["P-2", "P-3", "P-4", "P-13"]]


def test_pins_come_after_carry_over(workdir: Path) -> None:
    document = plan_json("--capacity", "8", "--sprints", "1", "--pin", "P-11")
    assert keys(document)[0][:2] == ["P-5", "P-11"]
    assert document["sprints"][0]["items"][1]["via"] == "pin"


def test_wsjf_reports_the_cost_of_delay_left_out(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(
        "items:\n"
        "  - {key: W-1, title: A, estimate: 3,"
        " wsjf: {business_value: 8, time_criticality: 5, risk_reduction: 3, job_size: 3}}\n"
        "  - {key: W-2, title: B, estimate: 5,"
        " wsjf: {business_value: 5, time_criticality: 2, risk_reduction: 1, job_size: 5}}\n"
    )
    document = plan_json(str(path), "--capacity", "4", "--sprints", "1", "-m", "wsjf")
    assert keys(document) == [["W-1"]]
    # W-2's cost of delay: 5 + 2 + 1 = 8.
    assert document["unplanned"][0]["cost_of_delay"] == 8
    assert document["cost_of_delay_left_out"] == 8
    code, out, _ = run(str(path), "--capacity", "4", "--sprints", "1", "-m", "wsjf")
    assert code == 0 and "Cost of delay left out (WSJF): 8." in out


def test_plain_table(workdir: Path) -> None:
    code, out, err = run("--capacity", "8", "--sprints", "2", "--as-of", "2026-12-01")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Plan by rank (model value): 2 sprints of 8 points"
    assert "Sprint 1: 8 of 8 points, score 56, total 56" in lines
    assert any(line.split()[:4] == ["P-5", "3", "1", "Running"] for line in lines)
    assert any(
        "P-8" in line and "13 points, more than the largest sprint (8)" in line for line in lines
    )
    assert "Left out (5 open items)" in lines


def test_markdown(workdir: Path) -> None:
    code, out, err = run("--capacity", "8", "--strategy", "value", "--format", "markdown")
    assert code == 0, err
    assert out.startswith("## Capacity plan\n")
    assert "| P-2 | Child A | 3 | 50 |  |" in out
    assert "Method: every sprint: exact 0/1 knapsack \\(up to 6 options" in out


@pytest.mark.parametrize("format_", ["table", "markdown", "json"])
def test_hostile_text_stays_inert(format_: str) -> None:
    code, out, err = run(
        str(DATA / "hostile.yaml"), "--capacity", "40", "--format", format_, "-m", "rice"
    )
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())
    if format_ == "markdown":
        assert "<script>" not in out and "[bold]" not in out
    if format_ == "json":
        titles = [
            item["title"] for sprint in json.loads(out)["sprints"] for item in sprint["items"]
        ]
        assert "Red \x1b[31malert\x1b[0m and clear screen \x1b[2J" in titles


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "--capacity is required: estimate points per sprint, e.g. 40 or 40,32,40"),
        (["--capacity", "0"], "--capacity: every sprint needs a capacity above 0, got 0"),
        (["--capacity", "-5"], "--capacity: every sprint needs a capacity above 0, got -5"),
        (["--capacity", "40,x"], "--capacity: expected points like 40 or 40,32,40, got '40,x'"),
        (["--capacity", "nan"], "--capacity: every sprint needs a capacity above 0, got nan"),
        (
            ["--capacity", "40,32", "--sprints", "3"],
            "--capacity lists 2 sprints but --sprints is 3: give one capacity for all sprints, "
            "or one per sprint",
        ),
        (
            ["--capacity", "8", "--sprint-days", "7"],
            "--sprint-days needs --start DATE (the first day of sprint 1)",
        ),
        (
            ["--capacity", "8", "--start", "next monday"],
            "--start: expected a date like 2026-01-31, got 'next monday'",
        ),
        (
            ["--capacity", "8", "--start", "9999-12-01"],
            "--start: the last sprint would end after the year 9999",
        ),
        (["--capacity", "8", "--pin", "p-4"], "--pin p-4: no such item (did you mean P-4?)"),
        (["--capacity", "8", "--pin", "P-10"], "--pin P-10: the item is done"),
        (
            ["--capacity", "8", "--pin", "P-1"],
            "--pin P-1: the item has children in the backlog (a container is planned through "
            "them): pin its open children instead",
        ),
        (
            ["--capacity", "8", "--pin", "P-5", "--status-category", "todo"],
            "--pin P-5: the item is left out by the filters",
        ),
        (
            ["--capacity", "8", "--pin", "P-7"],
            "--pin P-7: cannot be planned: depends on NOPE-1, which is not in the backlog",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(workdir: Path, args: list[str], message: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert err == f"backlogctl: error: {message}\n"


def test_huge_capacity_falls_back_to_greedy(workdir: Path) -> None:
    document = plan_json("--capacity", "1e300", "--sprints", "1", "--strategy", "value")
    assert document["exact"] is False
    assert document["method"].startswith("every sprint: greedy by score per point (a capacity of")
    assert {entry["key"] for entry in document["unplanned"]} == {"P-6", "P-7", "P-12"}


def test_output_file(workdir: Path) -> None:
    code, out, err = run("--capacity", "8", "-f", "json", "-o", "plan.json")
    assert code == 0, err
    assert out == ""
    assert json.loads((workdir / "plan.json").read_text())["schema_version"] == 1


@pytest.mark.parametrize("option", [["--sprints", "0"], ["--sprint-days", "0"]])
def test_out_of_range_counts_are_usage_errors(workdir: Path, option: list[str]) -> None:
    code, _, err = run("--capacity", "8", *option)
    assert code == 2
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("strategy", "format_", "golden"),
    [
        ("rank", "json", "rank.json"),
        ("value", "markdown", "value.md"),
        ("value", "table", "value.txt"),
    ],
)
def test_golden(workdir: Path, strategy: str, format_: str, golden: str) -> None:
    code, out, err = run(
        "--capacity",
        "8,8",
        "--strategy",
        strategy,
        "--start",
        "2026-12-07",
        "--as-of",
        "2026-12-08",
        "--format",
        format_,
    )
    assert code == 0, err
    path = GOLDEN / golden
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


def test_a_left_out_item_names_at_most_ten_of_its_dependencies(tmp_path: Path) -> None:
    chain = "".join(
        f"  - {{key: C-{n}, title: t, estimate: 1, depends_on: [C-{n + 1}],"
        f" rice: {{reach: {100 - n}, impact: 1, confidence: 100, effort: 1}}}}\n"
        for n in range(1, 30)
    )
    last = "  - {key: C-30, title: t, estimate: 1, rice: {reach: 1, impact: 1, effort: 1}}\n"
    (tmp_path / "b.yaml").write_text("items:\n" + chain + last, encoding="utf-8")
    args = ["plan", str(tmp_path / "b.yaml"), "--model", "rice", "--capacity", "1"]
    result = runner.invoke(app, [*args, "--sprints", "1", "-f", "json"])
    assert result.exit_code == 0, result.output
    details = {entry["key"]: entry["detail"] for entry in json.loads(result.stdout)["unplanned"]}
    named = ", ".join(f"C-{n}" for n in range(29, 19, -1))
    assert details["C-1"] == (
        f"did not fit: needs 29 points with its dependencies {named} and 18 more, "
        "at most 0 left in a sprint"
    )


def test_a_capacity_of_one_is_one_point(workdir: Path) -> None:
    code, out, err = run("--capacity", "1", "--sprints", "3", "--exclude-in-progress")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Plan by rank (model value): 3 sprints of 1 point"
    assert "Sprint 1: 1 of 1 point, score 7, total 7" in lines
    assert "Sprint 2: 0 of 1 point, score 0, total 7" in lines
    code, out, err = run("--capacity", "1,2", "--exclude-in-progress")
    assert code == 0, err
    assert out.splitlines()[0] == "Plan by rank (model value): 2 sprints of 1, 2 points"
