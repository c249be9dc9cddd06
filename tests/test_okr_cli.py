"""``backlogctl okr``: what a product owner sees in each format, filters, bad input, hostile text.

Figures come from tests/data/goals.yaml (computed by hand in tests/test_okr.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli import common, okr_cmd
from backlogctl.cli.app import app
from conftest import WriteFile
from terminal import run_on_terminal

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data"
GOALS = str(DATA / "goals.yaml")
HOSTILE = str(DATA / "hostile.yaml")
AS_OF = ["--as-of", "2026-11-25"]
_RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)

EXPECTED_TABLE = """\
Objectives and key results: ranked by rice, as of 2026-11-25

Key     Title             Open  Done  No est.  Open pts  Done pts  Delivery   Metric    Now  Target  Due         Best  Top 3
O1      Checkout             4     1        1         8         3       27%                                         1    67%
  KR-1  Conversion up        2     1        1         5         3       38%      25%  2.25%  2 → 3%  2026-12-31     1    33%
  KR-2  Returns down         1     0        0         2         0        0%      50%      7  10 → 4  -              2    33%
  KR-3  Payment failures     0     0        0         0         0         -      met    1.2  < 1.5   -              -     0%
  KR-4  Uptime               0     0        0         0         0         -  not met   99.1  > 99.5  -              -     0%
O2      Search               1     1        1         0         2      100%                                         -     0%
  KR-5  Zero results         1     1        1         0         2      100%      40%      4  0 → 10  2026-06-30     -     0%

Warnings:
KR-4  no open items  no open items and 99.1 is not above 99.5
KR-5  overdue        due 2026-06-30 has passed; target 10 not reached (4, 40% of the way)
KR-5  unestimated    its open item has no estimate

Open work serving no objective or key result: 12 points in 2 items.
Items naming an undeclared objective or key result: S-7 (KR-9).
"""  # noqa: E501


def _okr(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["okr", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_piped_table_is_plain_and_complete(workdir: Path) -> None:
    code, stdout, stderr = _okr(GOALS, *AS_OF, "--top", "3")
    assert (code, stderr) == (0, "")
    assert stdout == EXPECTED_TABLE


def test_json_is_the_documented_contract(workdir: Path) -> None:
    code, stdout, _ = _okr(GOALS, *AS_OF, "--top", "3", "--format", "json")
    assert code == 0
    document = json.loads(stdout)
    assert document["schema_version"] == 1
    assert {"objectives", "warnings", "unlinked_open_points", "unknown_key_results"} <= set(
        document
    )
    kr = document["objectives"][0]["key_results"][0]
    assert set(kr) >= {
        "key",
        "title",
        "open_items",
        "done_items",
        "open_points",
        "done_points",
        "delivery_progress",
        "metric_progress",
        "best_rank",
        "top_share",
    }
    assert (kr["key"], kr["metric_progress"], kr["delivery_progress"]) == ("KR-1", 0.25, 0.375)


def test_markdown_has_a_table_per_objective_and_the_warnings(workdir: Path) -> None:
    code, stdout, _ = _okr(GOALS, *AS_OF, "--top", "3", "-f", "markdown")
    assert code == 0
    assert "### O1: Checkout" in stdout
    assert "| **O1** | Checkout | 4 | 1 | 1 | 8 | 3 | 27% |" in stdout
    assert "| KR-3 | Payment failures | 0 | 0 | 0 | 0 | 0 | - | met | 1.2 | \\< 1.5 |" in stdout
    assert "| KR-5 | overdue | due 2026-06-30 has passed;" in stdout


def test_the_model_changes_ranks_and_filters_narrow_open_work_only(workdir: Path) -> None:
    code, stdout, stderr = _okr(GOALS, *AS_OF, "--label", "nothing", "-f", "json")
    assert code == 0
    assert stderr == "backlogctl: note: no item has label 'nothing'\n"
    objectives = json.loads(stdout)["objectives"]
    assert [o["open_items"] for o in objectives] == [0, 0]
    assert [o["done_items"] for o in objectives] == [1, 1]  # done figures stay


def test_the_objective_option_shows_only_what_it_covers(workdir: Path) -> None:
    code, stdout, _ = _okr(GOALS, *AS_OF, "--objective", "kr-2", "-f", "json")
    assert code == 0
    objectives = json.loads(stdout)["objectives"]
    assert [(o["key"], [kr["key"] for kr in o["key_results"]]) for o in objectives] == [
        ("O1", ["KR-2"])
    ]


def test_no_objectives_declared_says_so(write_file: WriteFile) -> None:
    write_file("b.yaml", "items:\n  - {key: A-1, title: Something, estimate: 3}\n")
    code, stdout, _ = _okr("b.yaml", *AS_OF)
    assert code == 0
    assert "No objectives declared" in stdout
    assert "Open work serving no objective or key result: 3 points in 1 item." in stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "25.11.2026"], "--as-of: expected a date like 2026-01-31, got '25.11.2026'"),
        (["--model", "nope"], "unknown model"),
        (["--top", "0"], "Invalid value for '--top'"),
    ],
)
def test_bad_options_are_one_line_exit_2(workdir: Path, args: list[str], message: str) -> None:
    code, stdout, stderr = _okr(GOALS, *args)
    assert code == 2
    assert stdout == ""
    assert message in stderr


def test_a_key_result_whose_target_equals_its_start_is_one_line(write_file: WriteFile) -> None:
    write_file(
        "b.yaml",
        "objectives:\n  - key: O1\n    key_results:\n"
        "      - {key: KR-1, start: 4, target: 4, current: 4}\nitems: []\n",
    )
    code, stdout, stderr = _okr("b.yaml")
    assert (code, stdout) == (2, "")
    assert stderr == (
        "backlogctl: error: b.yaml:4: key result KR-1: target equals start (4): progress "
        "toward it cannot be measured\n"
    )


HOSTILE_GOALS = """\
objectives:
  - key: O-X
    title: "[bold]Objective[/bold] \\e[31m"
    key_results:
      - {key: "KR-@admin", title: "<img src=x> [x](http://e.example)", unit: "\\e[2J%",
         start: 0, target: 2, current: 1}
items:
  - {key: "::error::X-1", title: "\\e]0;pwned\\a", objective: "KR-@admin", estimate: 1}
  - {key: X-2, title: t, objective: "KR-<b>[x](y)", estimate: 1}
"""


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_hostile_text_is_inert(write_file: WriteFile, fmt: str) -> None:
    write_file("h.yaml", HOSTILE_GOALS)
    code, stdout, _ = _okr("h.yaml", HOSTILE, "-f", fmt)
    assert code == 0
    assert _RAW.findall(stdout) == []
    assert [line for line in stdout.splitlines() if line.lstrip().startswith("::")] == []
    if fmt == "json":
        document = json.loads(stdout)
        assert document["objectives"][0]["key_results"][0]["unit"] == "\x1b[2J%"
        assert {"key": "KR-<b>[x](y)", "item": "X-2"} in document["unknown_key_results"]
    elif fmt == "markdown":
        active = re.sub(r"\\.", "", stdout)
        for token in ("](", "<img", "@admin", "@everyone"):
            assert token not in active, token
    else:
        assert "\\x1b[2J%" in stdout


def test_the_rich_table_on_a_real_terminal_fits_and_shows_bars(workdir: Path) -> None:
    code, out = run_on_terminal(["okr", GOALS, *AS_OF, "--top", "3"], 80, cwd=workdir)
    assert code == 0, out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "███░░░░░ 38%" in out  # KR-1's delivery, 3 of 8 points


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_rich_table_fits_every_width(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    for module in (common, okr_cmd):
        monkeypatch.setattr(module, "stdout_is_terminal", lambda: True)
        monkeypatch.setattr(module, "color_enabled", lambda: False)
    for source in (GOALS, HOSTILE):
        result = runner.invoke(app, ["okr", source, *AS_OF], env={"COLUMNS": str(width)})
        assert result.exit_code == 0, result.stderr
        assert [line for line in result.stdout.splitlines() if len(line) > width] == []
        assert _RAW.findall(result.stdout) == []
        assert "│" in result.stdout


def test_the_example_tells_its_story(monkeypatch: pytest.MonkeyPatch) -> None:
    """examples/shop as the README's "Before refinement" walks through it."""
    monkeypatch.chdir(DATA.parents[1])
    config = ["--config", "examples/shop/backlogctl.yaml", *AS_OF, "-f", "json"]
    code, stdout, _ = _okr(*config)
    assert code == 0
    document = json.loads(stdout)
    krs = {kr["key"]: kr for o in document["objectives"] for kr in o["key_results"]}
    assert krs["KR-2.1"]["metric_progress"] == pytest.approx((9 - 7.4) / (9 - 4))  # falling
    assert krs["KR-3.2"]["metric_progress"] == pytest.approx((211_500 - 180_000) / 50_000)
    assert (krs["KR-1.3"]["met"], krs["KR-4.3"]["met"]) == (True, True)
    assert [(w["key"], w["kind"]) for w in document["warnings"]] == [("KR-3.3", "overdue")]
    result = runner.invoke(app, ["stakeholders", *config])
    assert result.exit_code == 0
    grid = {s["name"]: s["quadrant"] for s in json.loads(result.stdout)["stakeholders"]}
    assert grid == {
        "Head of E-commerce": "manage_closely",
        "Head of Marketing": "manage_closely",
        "CFO": "keep_satisfied",
        "CS Lead": "keep_informed",
        "BI Team": "keep_informed",
        "Web Shop Team": "keep_informed",
        "Logistics Manager": "monitor",
        "Legal & Compliance": "keep_satisfied",
        "SEO Agency": None,
    }


def test_the_unlinked_line_groups_thousands_in_its_item_count_as_in_its_points(
    write_file: WriteFile,
) -> None:
    items = "".join(f"  - {{key: A-{n}, title: t, estimate: 1}}\n" for n in range(1, 1201))
    write_file("b.yaml", "items:\n" + items)
    result = runner.invoke(app, ["okr", "b.yaml"])
    assert result.exit_code == 0, result.output
    assert "Open work serving no objective or key result: 1,200 points in 1,200 items." in (
        result.stdout
    )
