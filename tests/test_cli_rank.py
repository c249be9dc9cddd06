"""``backlogctl rank`` and ``backlogctl models``: every format and option, as a user sees them."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli import rank as rank_cli
from backlogctl.cli.app import app

runner = CliRunner()

BACKLOG = """\
items:
  - key: SHOP-1
    title: Checkout | redesign
    status: In Progress
    labels: [conversion]
    assignee: Ana
    objective: KR-1.1
    rank: 2
    rice: {reach: 2000, impact: 2, confidence: 80, effort: 4}
    wsjf: {business_value: 8, time_criticality: 5, risk_reduction: 3, job_size: 2}
  - key: SHOP-2
    title: Apple Pay in checkout
    type: bug
    labels: [payments]
    assignee: Ben
    rice: {reach: 500, impact: 3, confidence: 1, effort: 0.5}
    wsjf: {business_value: 13, time_criticality: 8, risk_reduction: 5, job_size: 13}
  - key: SHOP-10
    title: A very long title that goes on and on about search relevance and typo tolerance
    rice: {reach: 100, impact: 1, confidence: 0.5, effort: 1}
  - key: SHOP-4
    title: Not estimated yet
    status: Backlog
    rice: {reach: 100, impact: 1, confidence: 0.5}
  - key: SHOP-5
    title: Shipped already
    status: Done
    rice: {reach: 9000, impact: 3, confidence: 1, effort: 1}
"""
# By hand (RICE = reach × impact × confidence / effort):
#   SHOP-2:  500 × 3 × 1 / 0.5 = 3000
#   SHOP-1:  2000 × 2 × 0.8 / 4 = 800      (confidence 80 means 80 %)
#   SHOP-10: 100 × 1 × 0.5 / 1 = 50
#   SHOP-4:  no effort -> unscored;  SHOP-5: done -> left out (27000 with --include-done)
# WSJF = (BV + TC + RR) / size: SHOP-1 (8 + 5 + 3) / 2 = 8;  SHOP-2 (13 + 8 + 5) / 13 = 2.


@pytest.fixture
def backlog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The backlog file in an otherwise empty working directory (no config discovered)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    path = tmp_path / "backlog.yaml"
    path.write_text(BACKLOG, encoding="utf-8")
    return path


def _rank(*args: str) -> tuple[int, str, str]:
    # Wide enough that usage errors are not wrapped inside their box.
    result = runner.invoke(app, ["rank", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_plain_table_when_piped(backlog: Path) -> None:
    code, out, err = _rank(str(backlog))
    assert code == 0, err
    assert out == (
        "Ranking by rice: reach × impact × confidence / effort\n"
        "\n"
        "Rank  Key      Type   Title                                               Score  reach"
        "  impact  confidence  effort  Status\n"
        "   1  SHOP-2   bug    Apple Pay in checkout                               3,000    500"
        "       3           1     0.5  To Do\n"
        "   2  SHOP-1   story  Checkout | redesign                                   800  2,000"
        "       2         0.8       4  In Progress\n"
        "   3  SHOP-10  story  A very long title that goes on and on about searc…     50    100"
        "       1         0.5       1  To Do\n"
        "\n"
        "Unscored (1)\n"
        "Key     Title              Type   Status   Reason\n"
        "SHOP-4  Not estimated yet  story  Backlog  missing rice.effort\n"
    )
    assert "\x1b[" not in out
    assert "│" not in out


def test_table_explain_adds_a_line_per_item(backlog: Path) -> None:
    code, out, _ = _rank(str(backlog), "--model", "wsjf", "--explain")
    assert code == 0
    lines = out.splitlines()
    assert (
        lines[0]
        == "Ranking by wsjf: (business_value + time_criticality + risk_reduction) / job_size"
    )
    assert lines[2].split() == [
        "Rank",
        "Key",
        "Type",
        "Title",
        "Score",
        "BV",
        "TC",
        "RR/OE",
        "size",
        "Status",
    ]
    assert lines[3].split()[:2] == ["1", "SHOP-1"]
    assert lines[4] == (
        "      (business_value 8 + time_criticality 5 + risk_reduction 3) / job_size 2 = 8"
    )
    assert lines[5].split()[:2] == ["2", "SHOP-2"]
    assert lines[6] == (
        "      (business_value 13 + time_criticality 8 + risk_reduction 5) / job_size 13 = 2"
    )
    assert "SHOP-4   Not estimated yet" in out
    assert "no wsjf inputs (business_value, time_criticality, risk_reduction, job_size)" in out


def test_json_shape(backlog: Path) -> None:
    code, out, err = _rank(str(backlog), "--format", "json")
    assert code == 0, err
    rice_inputs = ("rice.reach", "rice.impact", "rice.confidence", "rice.effort")
    assert json.loads(out) == {
        "schema_version": 1,
        "model": "rice",
        "items": [
            {
                "rank": 1,
                "key": "SHOP-2",
                "title": "Apple Pay in checkout",
                "score": 3000.0,
                "inputs": dict(zip(rice_inputs, (500.0, 3.0, 1.0, 0.5), strict=True)),
                "status": "To Do",
                "type": "bug",
            },
            {
                "rank": 2,
                "key": "SHOP-1",
                "title": "Checkout | redesign",
                "score": 800.0,
                "inputs": dict(zip(rice_inputs, (2000.0, 2.0, 0.8, 4.0), strict=True)),
                "status": "In Progress",
                "type": "story",
            },
            {
                "rank": 3,
                "key": "SHOP-10",
                "title": (
                    "A very long title that goes on and on about search relevance and typo "
                    "tolerance"
                ),
                "score": 50.0,
                "inputs": dict(zip(rice_inputs, (100.0, 1.0, 0.5, 1.0), strict=True)),
                "status": "To Do",
                "type": "story",
            },
        ],
        "unscored": [
            {
                "key": "SHOP-4",
                "title": "Not estimated yet",
                "status": "Backlog",
                "reason": "missing rice.effort",
                "type": "story",
            }
        ],
    }


def test_json_explain_adds_explanation(backlog: Path) -> None:
    code, out, _ = _rank(str(backlog), "-f", "json", "--explain", "--top", "1")
    assert code == 0
    document = json.loads(out)
    assert [item["explanation"] for item in document["items"]] == [
        "reach 500 × impact 3 × confidence 1 / effort 0.5 = 3000"
    ]
    assert [item["key"] for item in document["unscored"]] == ["SHOP-4"]


@pytest.mark.parametrize("model", ["rice", "wsjf"])
def test_json_inputs_are_the_same_with_and_without_explain(backlog: Path, model: str) -> None:
    # Without --explain the inputs come from the fast scoring path, with it from the full one.
    code, plain, _ = _rank(str(backlog), "-f", "json", "-m", model)
    assert code == 0
    code, explained, _ = _rank(str(backlog), "-f", "json", "-m", model, "--explain")
    assert code == 0
    with_text = json.loads(explained)
    for item in with_text["items"]:
        assert item.pop("explanation")
    assert json.loads(plain) == with_text


def test_csv_columns_and_unscored_last(backlog: Path) -> None:
    code, out, _ = _rank(str(backlog), "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [
        [
            "rank",
            "key",
            "title",
            "score",
            "rice.reach",
            "rice.impact",
            "rice.confidence",
            "rice.effort",
            "status",
            "unscored_reason",
            "type",
        ],
        [
            "1",
            "SHOP-2",
            "Apple Pay in checkout",
            "3000",
            "500",
            "3",
            "1",
            "0.5",
            "To Do",
            "",
            "bug",
        ],
        [
            "2",
            "SHOP-1",
            "Checkout | redesign",
            "800",
            "2000",
            "2",
            "0.8",
            "4",
            "In Progress",
            "",
            "story",
        ],
        [
            "3",
            "SHOP-10",
            "A very long title that goes on and on about search relevance and typo tolerance",
            "50",
            "100",
            "1",
            "0.5",
            "1",
            "To Do",
            "",
            "story",
        ],
        [
            "",
            "SHOP-4",
            "Not estimated yet",
            "",
            "",
            "",
            "",
            "",
            "Backlog",
            "missing rice.effort",
            "story",
        ],
    ]


def test_csv_explain_column(backlog: Path) -> None:
    code, out, _ = _rank(str(backlog), "--format", "csv", "--explain", "--model", "wsjf")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["explanation"] == (
        "(business_value 8 + time_criticality 5 + risk_reduction 3) / job_size 2 = 8"
    )
    assert rows[0]["wsjf.job_size"] == "2"
    assert [row["rank"] for row in rows] == ["1", "2", "", ""]
    assert rows[-1]["explanation"] == ""


def test_csv_text_never_runs_as_a_spreadsheet_formula(tmp_path: Path) -> None:
    source = tmp_path / "formulas.yaml"
    source.write_text(
        "items:\n"
        "  - key: X-1\n"
        '    title: \'=HYPERLINK("http://evil.example", "click")\'\n'
        "    status: '@risk'\n"
        "    rice: {reach: 10, impact: 1, confidence: 1, effort: 1}\n"
        "  - key: X-2\n"
        "    title: '-1 day: plain text after all'\n"
        "    rice: {reach: 10, impact: 1, confidence: 1}\n",
        encoding="utf-8",
    )
    code, out, _ = _rank(str(source), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example", "click")'
    assert rows[0]["status"] == "'@risk"
    assert rows[0]["score"] == "10"  # numbers stay numbers
    assert rows[1]["title"] == "'-1 day: plain text after all"
    assert rows[1]["unscored_reason"] == "missing rice.effort"


def test_markdown_escapes_pipes(backlog: Path) -> None:
    code, out, _ = _rank(str(backlog), "--format", "markdown", "--top", "2")
    assert code == 0
    assert out == (
        "## Ranking by rice\n"
        "\n"
        "`reach × impact × confidence / effort`\n"
        "\n"
        "| Rank | Key | Type | Title | Score | reach | impact | confidence | effort | Status |\n"
        "|---:|---|---|---|---:|---:|---:|---:|---:|---|\n"
        "| 1 | SHOP-2 | bug | Apple Pay in checkout | 3,000 | 500 | 3 | 1 | 0.5 | To Do |\n"
        "| 2 | SHOP-1 | story | Checkout \\| redesign | 800 | 2,000 | 2 | 0.8 | 4 | In Progress |\n"
        "\n"
        "### Unscored (1)\n"
        "\n"
        "| Key | Title | Type | Status | Reason |\n"
        "|---|---|---|---|---|\n"
        "| SHOP-4 | Not estimated yet | story | Backlog | missing rice.effort |\n"
    )


def test_markdown_explain_column(backlog: Path) -> None:
    code, out, _ = _rank(str(backlog), "--format", "markdown", "--explain", "--top", "1")
    assert code == 0
    assert "| Status | Explanation |" in out
    # Numbers as the table writes them (JSON keeps ``= 3000``).
    assert "| To Do | reach 500 × impact 3 × confidence 1 / effort 0.5 = 3,000 |" in out


def test_top_trims_ranked_only(backlog: Path) -> None:
    code, out, _ = _rank(str(backlog), "--top", "1", "-f", "json")
    assert code == 0
    document = json.loads(out)
    assert [item["key"] for item in document["items"]] == ["SHOP-2"]
    assert [item["key"] for item in document["unscored"]] == ["SHOP-4"]


@pytest.mark.parametrize("value", ["0", "-3", "x"])
def test_top_must_be_at_least_one(backlog: Path, value: str) -> None:
    code, out, err = _rank(str(backlog), "--top", value)
    assert code == 2
    assert out == ""
    assert "--top" in err


def test_unknown_format_is_a_usage_error(backlog: Path) -> None:
    code, _, err = _rank(str(backlog), "--format", "xml")
    assert code == 2
    assert "'xml' is not one of 'table', 'json', 'csv', 'markdown'" in err


def test_unknown_model_exit_2_with_choices(backlog: Path) -> None:
    code, out, err = _rank(str(backlog), "--model", "wsfj")
    assert code == 2
    assert out == ""
    assert err == (
        "backlogctl: error: unknown model 'wsfj' (did you mean wsjf?); available: rice, wsjf, ice\n"
    )


def test_include_done(backlog: Path) -> None:
    code, out, _ = _rank(str(backlog), "--include-done", "-f", "json")
    assert code == 0
    items = json.loads(out)["items"]
    # SHOP-5: 9000 × 3 × 1 / 1 = 27000, first.
    assert (items[0]["key"], items[0]["score"]) == ("SHOP-5", 27000.0)


@pytest.mark.parametrize(
    ("options", "ranked", "unscored"),
    [
        (["--label", "CONVERSION"], ["SHOP-1"], []),
        (["--label", "conversion", "--label", "payments"], ["SHOP-2", "SHOP-1"], []),
        (["--type", "Bug"], ["SHOP-2"], []),
        (["--type", "story", "--label", "payments"], [], []),
        (["--assignee", "ana"], ["SHOP-1"], []),
        (["--objective", "kr-1.1"], ["SHOP-1"], []),
        (["--status-category", "todo"], ["SHOP-2", "SHOP-10"], ["SHOP-4"]),
        (["--status-category", "IN_PROGRESS"], ["SHOP-1"], []),
        (["--status-category", "done"], ["SHOP-5"], []),
        (["--type", "story", "--status-category", "todo"], ["SHOP-10"], ["SHOP-4"]),
    ],
)
def test_filters(backlog: Path, options: list[str], ranked: list[str], unscored: list[str]) -> None:
    code, out, err = _rank(str(backlog), "-f", "json", *options)
    assert code == 0, err
    document = json.loads(out)
    assert [item["key"] for item in document["items"]] == ranked
    assert [item["key"] for item in document["unscored"]] == unscored


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (
            "table",
            "Ranking by ice: impact × confidence × ease\n\nNo scored items.\n\nUnscored (1)\n"
            "Key     Title                  Type  Status  Reason\n"
            "SHOP-2  Apple Pay in checkout  bug   To Do   "
            "no ice inputs (impact, confidence, ease)\n",
        ),
        ("markdown", "## Ranking by ice\n\n`impact × confidence × ease`\n\nNo scored items.\n"),
    ],
)
def test_nothing_scored(backlog: Path, fmt: str, expected: str) -> None:
    code, out, _ = _rank(str(backlog), "-m", "ice", "-f", fmt, "--label", "payments")
    assert code == 0
    assert out.startswith(expected)


def test_bad_status_category_is_a_usage_error(backlog: Path) -> None:
    code, _, err = _rank(str(backlog), "--status-category", "later")
    assert code == 2
    assert "'later' is not one of 'todo', 'in_progress', 'done'" in err


def test_help_lists_formats_and_filters() -> None:
    result = runner.invoke(app, ["rank", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for text in ("table | json | csv | markdown", "--status-category", "--label", "--type"):
        assert text in result.stdout
    for text in ("--assignee", "--objective", "--include-done", "--explain", "--top"):
        assert text in result.stdout


def test_output_file(backlog: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "ranking.csv"
    target.parent.mkdir()
    code, out, _ = _rank(str(backlog), "-f", "csv", "--output", str(target))
    assert code == 0
    assert out == ""
    assert target.read_text(encoding="utf-8").splitlines()[1].startswith("1,SHOP-2,")


def test_default_model_and_custom_model_from_config(backlog: Path, tmp_path: Path) -> None:
    (tmp_path / "backlogctl.yaml").write_text(
        "default_model: wsjf\n"
        "models:\n"
        "  reach_per_effort:\n"
        "    formula: rice.reach / rice.effort\n"
        "    description: raw reach per person-month\n",
        encoding="utf-8",
    )
    code, out, _ = _rank(str(backlog), "-f", "json")
    assert code == 0
    assert json.loads(out)["model"] == "wsjf"
    code, out, _ = _rank(str(backlog), "-f", "json", "-m", "reach_per_effort", "--explain")
    assert code == 0
    document = json.loads(out)
    # SHOP-1: 2000 / 4 = 500; SHOP-2: 500 / 0.5 = 1000; SHOP-10: 100 / 1 = 100.
    assert [(i["key"], i["score"]) for i in document["items"]] == [
        ("SHOP-2", 1000.0),
        ("SHOP-1", 500.0),
        ("SHOP-10", 100.0),
    ]
    assert document["items"][0]["explanation"] == "rice.reach 500 / rice.effort 0.5 = 1000"
    assert document["items"][0]["inputs"] == {"rice.reach": 500.0, "rice.effort": 0.5}
    assert document["unscored"][0]["reason"] == "missing rice.effort"


def test_bad_formula_in_config_exit_2_one_line(backlog: Path, tmp_path: Path) -> None:
    config = tmp_path / "team.yaml"
    config.write_text("models:\n  broken:\n    formula: rice.reach ** (2\n", encoding="utf-8")
    code, out, err = _rank(str(backlog), "--config", str(config))
    assert code == 2
    assert out == ""
    assert err == (
        f"backlogctl: error: {config}:3: models.broken.formula: '(' is never closed at column 15"
        " in 'rice.reach ** (2'\n"
    )


def test_no_source_is_exit_2(backlog: Path) -> None:
    code, _, err = _rank()
    assert code == 2
    assert err.startswith("backlogctl: error: no backlog source")


def test_rich_table_on_a_terminal(backlog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rank_cli, "stdout_is_terminal", lambda: True)
    monkeypatch.setattr(rank_cli, "color_enabled", lambda: False)
    code, out, _ = _rank(str(backlog), "--explain")
    assert code == 0
    assert "┃ Rank ┃ Key     ┃ Type  ┃" in out
    assert "SHOP-10" in out
    assert "reach 500 × impact 3 × confidence 1" in out  # may wrap inside the title column
    assert "Unscored (1)" in out
    assert "\x1b[" not in out


def test_rich_table_in_colour(backlog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rank_cli, "stdout_is_terminal", lambda: True)
    monkeypatch.setattr(rank_cli, "color_enabled", lambda: True)
    code, out, _ = _rank(str(backlog))
    assert code == 0
    assert "\x1b[" in out


def test_no_color_env_on_a_terminal(backlog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # color_enabled() itself decides here: NO_COLOR wins even on a terminal.
    monkeypatch.setattr("backlogctl.cli.common.stdout_is_terminal", lambda: True)
    monkeypatch.setattr(rank_cli, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, _ = _rank(str(backlog))
    assert code == 0
    assert "┃" in out
    assert "\x1b[" not in out


# --- models ----------------------------------------------------------------------------------


def test_models_plain_lists_builtins_and_custom(tmp_path: Path) -> None:
    config = tmp_path / "backlogctl.yaml"
    config.write_text(
        "models:\n  weighted:\n    weights: {rice.reach: 0.001, fields.revenue_impact: 1}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["models", "--config", str(config)])
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("rice (built-in): reach × impact × confidence / effort\n")
    assert "wsjf (built-in): (business_value + time_criticality + risk_reduction) / job_size" in out
    assert "ice (built-in): impact × confidence × ease" in out
    assert out.endswith(
        "weighted (custom): 0.001 × rice.reach + 1 × fields.revenue_impact\n"
        "  custom weighted sum\n"
        "  rice.reach             people or events per period (>= 0)\n"
        "  fields.revenue_impact  number (team-defined field)\n"
    )
    assert "  rice.confidence  0..1, or a percentage above 1 (100 high, 80 medium, 50 low)" in out


def test_models_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["models", "--format", "json"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1
    assert [model["name"] for model in document["models"]] == ["rice", "wsjf", "ice"]
    assert document["models"][2] == {
        "name": "ice",
        "builtin": True,
        "formula": "impact × confidence × ease",
        "description": (
            "ICE: a quick product of impact, confidence and ease; ties go to higher confidence"
        ),
        "inputs": {"ice.impact": "1..10", "ice.confidence": "1..10", "ice.ease": "1..10"},
    }


# --- the installed console script ------------------------------------------------------------


def _script() -> str:
    found = shutil.which("backlogctl")
    if found is None:
        pytest.fail("the backlogctl console script is not installed")
    return found


def test_console_script_json(backlog: Path) -> None:
    completed = subprocess.run(
        [_script(), "rank", str(backlog), "--format", "json", "--model", "wsjf"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    document = json.loads(completed.stdout)
    assert [(i["key"], i["score"]) for i in document["items"]] == [
        ("SHOP-1", 8.0),
        ("SHOP-2", 2.0),
    ]


def test_console_script_piped_table_is_plain(backlog: Path) -> None:
    completed = subprocess.run(
        [_script(), "rank", str(backlog), "--explain"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": str(Path(_script()).parent), "COLUMNS": "40"},
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    # Piped output does not wrap at the terminal width, and carries no ANSI codes.
    assert lines[3].split()[:5] == ["1", "SHOP-2", "bug", "Apple", "Pay"]
    assert max(len(line) for line in lines) > 40
    assert "\x1b[" not in completed.stdout


def test_console_script_errors_are_one_line(tmp_path: Path) -> None:
    config = tmp_path / "backlogctl.yaml"
    config.write_text("models:\n  bad:\n    formula: \"__import__('os')\"\n", encoding="utf-8")
    completed = subprocess.run(
        [_script(), "rank", "--config", str(config), "-m", "bad", str(tmp_path / "none.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr == (
        f"backlogctl: error: {config}:3: models.bad.formula: names cannot start with '_' "
        "('__import__') at column 1 in \"__import__('os')\"\n"
    )


def test_plain_table_keeps_columns_aligned_with_wide_characters(tmp_path: Path) -> None:
    from rich.cells import cell_len

    path = tmp_path / "wide.yaml"
    path.write_text(
        "- key: A-1\n  title: Plain ascii title\n"
        "  rice: {reach: 10, impact: 1, confidence: 1, effort: 1}\n"
        "- key: A-2\n  title: 日本語のタイトル 🚀 emoji\n"
        "  rice: {reach: 20, impact: 1, confidence: 1, effort: 1}\n"
        f"- key: A-3\n  title: {'日本' * 40}\n"
        "  rice: {reach: 5, impact: 1, confidence: 1, effort: 1}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rank", str(path)])
    assert result.exit_code == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.endswith("To Do")]
    assert len(rows) == 3
    # Where the status column starts, in terminal columns, is the same on every row.
    assert len({cell_len(row) for row in rows}) == 1
    long_title = next(row for row in rows if "A-3" in row)
    assert "…" in long_title


def test_markdown_shows_emphasis_code_and_html_characters_as_written(tmp_path: Path) -> None:
    path = tmp_path / "md.yaml"
    path.write_text(
        "- key: A-1\n  title: 'Fix __init__ and *stars* in `code` <b>bold</b>'\n"
        "  rice: {reach: 10, impact: 1, confidence: 1, effort: 1}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rank", str(path), "--format", "markdown"])
    assert result.exit_code == 0, result.stderr
    assert (
        "| 1 | A-1 | story | Fix \\_\\_init\\_\\_ and \\*stars\\* in \\`code\\` "
        "\\<b\\>bold\\</b\\> | 10 |"
    ) in result.stdout


# --- --normalize, unscored epics, help ---------------------------------------------------------

# By hand: RICE 3000, 800, 50 -> 100, 800 / 3000 × 100 = 26.7, 50 / 3000 × 100 = 1.7.


def test_normalize_json_adds_only_new_fields(backlog: Path) -> None:
    code, plain, _ = _rank(str(backlog), "-f", "json")
    assert code == 0
    code, out, _ = _rank(str(backlog), "-f", "json", "--normalize")
    assert code == 0
    document = json.loads(out)
    assert [item.pop("normalized_score") for item in document["items"]] == [100.0, 26.7, 1.7]
    assert document.pop("normalization") == "of_top"
    assert document == json.loads(plain)


def test_normalize_is_over_every_ranked_item_not_only_the_top(backlog: Path) -> None:
    code, out, _ = _rank(str(backlog), "-f", "json", "--normalize", "--top", "2")
    assert code == 0
    assert [item["normalized_score"] for item in json.loads(out)["items"]] == [100.0, 26.7]


def test_normalize_table_markdown_and_csv(backlog: Path) -> None:
    code, out, _ = _rank(str(backlog), "--normalize")
    assert code == 0
    lines = out.splitlines()
    assert lines[2].split()[4:6] == ["Score", "0-100"]
    assert lines[3].endswith("checkout                                     100.0    500       3"
                             "           1     0.5  To Do")  # fmt: skip
    assert lines[4].split()[6] == "26.7"
    assert "Score 0-100: score / top score × 100." in lines
    code, out, _ = _rank(str(backlog), "--normalize", "-f", "markdown")
    assert "| 2 | SHOP-1 | story | Checkout \\| redesign | 26.7 | 2,000 |" in out
    assert "Score 0-100: score / top score × 100." in out
    code, out, _ = _rank(str(backlog), "--normalize", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[-1] == "normalized_score"
    assert [row["normalized_score"] for row in rows] == ["100", "26.7", "1.7", ""]
    assert rows[0]["score"] == "3000"


def test_normalize_min_max_with_negative_scores_is_said(tmp_path: Path) -> None:
    config = tmp_path / "team.yaml"
    config.write_text("models:\n  net:\n    formula: fields.gain - 5\n", encoding="utf-8")
    source = tmp_path / "net.yaml"
    source.write_text(
        "- {key: N-1, title: Up, fields: {gain: 15}}\n"
        "- {key: N-2, title: Flat, fields: {gain: 5}}\n"
        "- {key: N-3, title: Down, fields: {gain: 0}}\n",
        encoding="utf-8",
    )
    # Scores 10, 0, -5: (s + 5) / 15 × 100 = 100, 33.3, 0.
    code, out, err = _rank(str(source), "-c", str(config), "-m", "net", "-f", "json", "--normalize")
    assert code == 0, err
    document = json.loads(out)
    assert [item["normalized_score"] for item in document["items"]] == [100.0, 33.3, 0.0]
    assert document["normalization"] == "min_max"
    code, out, err = _rank(str(source), "-c", str(config), "-m", "net", "--normalize")
    assert "min-max scaled (lowest 0, highest 100)" in out
    code, out, err = _rank(str(source), "-c", str(config), "-m", "net", "-f", "csv", "--normalize")
    assert "min-max scaled" in err


EPICS = """\
- {key: E-1, title: First epic, type: epic}
- {key: E-2, title: Second epic, type: Epic}
- {key: S-1, title: A story without effort, rice: {reach: 1, impact: 1, confidence: 1}}
- {key: S-2, title: Scored, rice: {reach: 10, impact: 1, confidence: 1, effort: 1}}
"""


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_top_summarises_unscored_epics(tmp_path: Path, fmt: str) -> None:
    source = tmp_path / "epics.yaml"
    source.write_text(EPICS, encoding="utf-8")
    code, out, _ = _rank(str(source), "--top", "1", "-f", fmt)
    assert code == 0
    assert "2 unscored epics not listed: E-1, E-2 (--show-unscored lists them)." in out
    assert "First epic" not in out
    assert "A story without effort" in out  # other unscored items keep their row
    code, out, _ = _rank(str(source), "--top", "1", "-f", fmt, "--show-unscored")
    assert "First epic" in out
    assert "not listed" not in out
    code, out, _ = _rank(str(source), "-f", fmt)  # without --top: everything
    assert "First epic" in out


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_machine_formats_list_every_unscored_item(tmp_path: Path, fmt: str) -> None:
    source = tmp_path / "epics.yaml"
    source.write_text(EPICS, encoding="utf-8")
    code, out, _ = _rank(str(source), "--top", "1", "-f", fmt)
    assert code == 0
    assert "First epic" in out
    assert "Second epic" in out


def test_wsjf_table_has_a_legend(backlog: Path) -> None:
    code, out, _ = _rank(str(backlog), "-m", "wsjf")
    assert code == 0
    assert (
        "Inputs: BV business value, TC time criticality, RR/OE risk reduction / opportunity "
        "enablement, size job size."
    ) in out.splitlines()


@pytest.mark.parametrize("command", ["rank", "models", "compare", "explain"])
def test_help_ends_with_examples(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    examples = lines.index("Examples:")
    commands = lines[examples + 1 :]
    assert 2 <= len(commands) <= 3
    assert all(line.startswith(f"$ backlogctl {command}") for line in commands)


def test_explain_top_help_is_its_own() -> None:
    result = runner.invoke(app, ["explain", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Size of the top N that is compared" not in result.stdout
    assert "What-if target" in result.stdout
