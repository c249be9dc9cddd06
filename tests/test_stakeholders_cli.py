"""``backlogctl stakeholders``: each format as a user sees it, --stakeholder, --since, bad
input, hostile names. Figures come from tests/data/goals.yaml (see test_stakeholders.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli import common, stakeholders_cmd
from backlogctl.cli.app import app
from conftest import WriteFile

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data"
GOALS = str(DATA / "goals.yaml")
AS_OF = ["--as-of", "2026-11-25", "--top", "3"]
_RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)

EXPECTED_TABLE = """\
Stakeholders: ranked by rice, as of 2026-11-25, delivered since 2026-10-26

Stakeholder       Grid            Influence  Interest  Open  Top 3  Oldest wait    Delivered  Next up
Marketing         manage closely  high       high         2      2  30 days (S-4)          0  S-1 #1, S-4 #2
BI                keep informed   low        high         1      1  5 days (S-6)           1  S-6 #3
Customer Service  keep satisfied  high       medium       1      0  -                      0  S-3 #6
CFO               -               -          -            0      0  -                      0  -
Sales             undeclared      -          -            1      1  30 days (S-4)          0  S-4 #2
Web Shop Team     undeclared      -          -            1      0  -                      0  E-1

Named by items but not declared: Sales, Web Shop Team.
"""  # noqa: E501

EXPECTED_DETAILS = """\
BI: open items in rank order
Rank  Key  Title          Status
   3  S-6  Report export  To Do

BI: delivered since 2026-09-01
Key  Resolved    Title
S-9  2026-09-01  Old export
S-2  2026-11-20  Guest checkout
"""


def _stakeholders(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["stakeholders", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_piped_table(workdir: Path) -> None:
    code, stdout, stderr = _stakeholders(GOALS, *AS_OF)
    assert (code, stderr) == (0, "")
    assert stdout == EXPECTED_TABLE


def test_one_stakeholder_in_full_with_an_earlier_since(workdir: Path) -> None:
    code, stdout, _ = _stakeholders(GOALS, *AS_OF, "--stakeholder", "bi", "--since", "2026-09-01")
    assert code == 0
    assert stdout.endswith("\n\n" + EXPECTED_DETAILS)
    assert "Marketing" not in stdout


def test_json_is_the_documented_contract(workdir: Path) -> None:
    code, stdout, _ = _stakeholders(GOALS, *AS_OF, "-f", "json")
    assert code == 0
    document = json.loads(stdout)
    assert document["schema_version"] == 1
    marketing = document["stakeholders"][0]
    assert set(marketing) >= {
        "name",
        "declared",
        "influence",
        "interest",
        "quadrant",
        "open",
        "in_top_n",
        "oldest_waiting_days",
        "delivered",
    }
    assert marketing["open"][0] == {
        "key": "S-1",
        "rank": 1,
        "title": "One-page checkout",
        "status": "To Do",
    }
    assert [(s["name"], s["quadrant"]) for s in document["stakeholders"]][-2:] == [
        ("Sales", None),
        ("Web Shop Team", None),
    ]


def test_markdown_avoids_issue_references(workdir: Path) -> None:
    code, stdout, _ = _stakeholders(GOALS, *AS_OF, "-f", "markdown", "-s", "Marketing")
    assert code == 0
    assert (
        "| Marketing | manage closely | high | high | 2 | 2 | 30 days (S-4) | 0 | "
        "S-1 (rank 1), S-4 (rank 2) |"
    ) in stdout
    assert "#1" not in stdout
    assert "| 1 | S-1 | One-page checkout | To Do |" in stdout


def test_filters_narrow_open_items_but_not_deliveries(workdir: Path) -> None:
    code, stdout, _ = _stakeholders(GOALS, *AS_OF, "--status-category", "in_progress", "-f", "json")
    assert code == 0
    found = {s["name"]: s for s in json.loads(stdout)["stakeholders"]}
    assert found["Marketing"]["open"] == []
    assert [item["key"] for item in found["Customer Service"]["open"]] == ["S-3"]
    assert [item["key"] for item in found["BI"]["delivered"]] == ["S-2"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--stakeholder", "Marketting"],
            "--stakeholder: no stakeholder named 'Marketting' (did you mean 'Marketing'?)",
        ),
        (
            ["-s", "bi", "-s", "Nobody", "-s", "Slaes"],
            "--stakeholder: no stakeholder named 'Nobody'; no stakeholder named 'Slaes' "
            "(did you mean 'Sales'?)",
        ),
        (["--since", "last week"], "--since: expected a date like 2026-01-31, got 'last week'"),
        (["--since", "2026-12-01"], "--since 2026-12-01 is after the as-of day 2026-11-25"),
    ],
)
def test_bad_input_is_one_line_exit_2(workdir: Path, args: list[str], message: str) -> None:
    code, stdout, stderr = _stakeholders(GOALS, *AS_OF, *args)
    assert (code, stdout) == (2, "")
    assert stderr == f"backlogctl: error: {message}\n"


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        (
            "{name: BI, interest: keen}",
            "stakeholder BI: interest: must be 'high', 'medium' or 'low', got 'keen'",
        ),
        (
            '{name: "CFO \\e[2J"}',
            "stakeholder: name: control characters are not allowed in names, got 'CFO \\x1b[2J'",
        ),
    ],
)
def test_a_bad_declaration_is_one_line_exit_2(
    write_file: WriteFile, declaration: str, message: str
) -> None:
    write_file("b.yaml", f"stakeholders:\n  - {declaration}\nitems: []\n")
    code, stdout, stderr = _stakeholders("b.yaml")
    assert (code, stdout) == (2, "")
    assert stderr == f"backlogctl: error: b.yaml:2: {message}\n"


def test_without_any_declaration_nobody_is_called_undeclared(write_file: WriteFile) -> None:
    write_file("b.yaml", "items:\n  - {key: A-1, title: t, stakeholders: [CFO]}\n")
    code, stdout, _ = _stakeholders("b.yaml", "--as-of", "2026-11-25")
    assert code == 0
    assert "undeclared" not in stdout
    assert "CFO" in stdout


HOSTILE = """\
stakeholders:
  - {name: "@everyone <b>", influence: high, interest: high}
items:
  - {key: "::error::A-1", title: "<script>x</script>", stakeholders: ["@everyone <b>",
     "[bold]x[/bold] <img src=x>"]}
"""


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
@pytest.mark.parametrize("terminal", [False, True])
def test_hostile_names_are_inert(
    write_file: WriteFile, monkeypatch: pytest.MonkeyPatch, fmt: str, terminal: bool
) -> None:
    for module in (common, stakeholders_cmd):
        monkeypatch.setattr(module, "stdout_is_terminal", lambda: terminal)
        monkeypatch.setattr(module, "color_enabled", lambda: False)
    write_file("h.yaml", HOSTILE)
    args = ["h.yaml", "-f", fmt, "-s", "[BOLD]x[/bold] <img src=x>"]
    result = runner.invoke(app, ["stakeholders", *args], env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.stderr
    stdout = result.stdout
    assert _RAW.findall(stdout) == []
    assert [line for line in stdout.splitlines() if line.lstrip().startswith("::")] == []
    if fmt == "json":
        names = [s["name"] for s in json.loads(stdout)["stakeholders"]]
        assert names == ["[bold]x[/bold] <img src=x>"]
    elif fmt == "markdown":
        active = re.sub(r"\\.", "", stdout)
        for token in ("<img", "<script", "@everyone"):
            assert token not in active, token
    else:
        assert "[bold]x[/bold]" in stdout
        if terminal:
            assert [line for line in stdout.splitlines() if len(line) > 60] == []


def test_stakeholder_names_complete_in_the_shell(write_file: WriteFile) -> None:
    write_file("backlogctl.yaml", "sources: [b.yaml]\nstakeholders: [Marketing]\n")
    write_file(
        "b.yaml",
        "stakeholders: [{name: BI Team, influence: low}]\n"
        "items:\n  - {key: A-1, title: t, stakeholders: [Marketing, Sales]}\n",
    )
    environment = dict(os.environ)
    environment.update(
        _BACKLOGCTL_COMPLETE="complete_bash",
        COMP_WORDS="backlogctl stakeholders --stakeholder ",
        COMP_CWORD="3",
    )
    script = str(Path(sys.executable).with_name("backlogctl"))
    completed = subprocess.run(
        [sys.executable, script], capture_output=True, text=True, env=environment, timeout=60
    )
    assert completed.stdout.splitlines() == ["BI Team", "Marketing", "Sales"]


def test_an_as_of_day_in_the_first_month_of_year_one_starts_deliveries_there() -> None:
    code, stdout, stderr = _stakeholders(GOALS, "--as-of", "0001-01-05", "-f", "json")
    assert (code, stderr) == (0, "")
    assert json.loads(stdout)["since"] == "0001-01-01"
