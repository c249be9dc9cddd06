"""``backlogctl diff`` as a user sees it: every format, --since/--to/--model, hostile text,
terminal widths and bad input."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner, Result

from backlogctl.cli import common
from backlogctl.cli import history_cmd as history_cli
from backlogctl.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "data" / "hostile.yaml"

BEFORE = """\
items:
  - key: S-1
    title: Checkout redesign
    rice: {reach: 100, impact: 1, confidence: 1, effort: 1}
  - key: S-2
    title: Apple Pay
    rice: {reach: 90, impact: 1, confidence: 1, effort: 1}
  - key: S-3
    title: Search synonyms
    rice: {reach: 80, impact: 0.25, confidence: 1, effort: 1}
  - key: S-4
    title: Newsletter
    rice: {reach: 70, impact: 1, confidence: 1, effort: 1}
  - key: S-5
    title: Old idea
    rice: {reach: 60, impact: 1, confidence: 1, effort: 1}
  - key: S-7
    title: Loses its effort
    status: Ready
    estimate: 3
    rice: {reach: 10, impact: 1, confidence: 1, effort: 1}
"""
AFTER = """\
items:
  - key: S-1
    title: Checkout redesign
    rice: {reach: 100, impact: 1, confidence: 1, effort: 1}
  - key: S-2
    title: Apple Pay
    status: Done
    rice: {reach: 90, impact: 1, confidence: 1, effort: 1}
  - key: S-3
    title: Search synonyms
    rice: {reach: 80, impact: 3, confidence: 1, effort: 1}
  - key: S-4
    title: Newsletter
    rice: {reach: 70, impact: 1, confidence: 1, effort: 1}
  - key: S-6
    title: Gift cards
    rice: {reach: 95, impact: 1, confidence: 1, effort: 1}
  - key: S-7
    title: Loses its effort
    status: Ready
    rice: {reach: 10, impact: 1, confidence: 1}
"""
# Before (RICE): S-1 100, S-2 90, S-4 70, S-5 60, S-3 20, S-7 10.
# After: S-3 240, S-1 100, S-6 95, S-4 70; S-2 done, S-5 removed, S-7 unscored (no effort).


def invoke(*arguments: str, terminal: bool = False, width: int = 200) -> Result:
    with pytest.MonkeyPatch.context() as patch:
        for module in (common, history_cli):
            patch.setattr(module, "stdout_is_terminal", lambda: terminal)
            patch.setattr(module, "color_enabled", lambda: False)
        return CliRunner().invoke(app, list(arguments), env={"COLUMNS": str(width)})


@pytest.fixture
def history(workdir: Path) -> Path:
    """Snapshot 1 of BEFORE (2026-11-20); backlog.yaml then holds AFTER."""
    backlog = workdir / "backlog.yaml"
    backlog.write_text(BEFORE, encoding="utf-8")
    # One rule keeps the expected findings short; the history file is named on each call.
    (workdir / "backlogctl.yaml").write_text("lint:\n  select: [E001]\n", encoding="utf-8")
    result = invoke(
        "snapshot", str(backlog), "--history", "h.sqlite", "--as-of", "2026-11-20",
        "--note", "refinement", "-m", "rice,wsjf",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    backlog.write_text(AFTER, encoding="utf-8")
    return workdir / "h.sqlite"


def diff_json(*arguments: str) -> dict[str, Any]:
    result = invoke("diff", "backlog.yaml", "--history", "h.sqlite", "-f", "json", *arguments)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_json_contract(history: Path) -> None:
    document = diff_json("--as-of", "2026-11-27")
    fingerprint = document["new_findings"][0]["fingerprint"]
    assert re.fullmatch("[0-9a-f]{16}", fingerprint)
    assert document == {
        "schema_version": 1,
        "from": {"id": 1, "taken": "2026-11-20T23:59:59Z", "note": "refinement"},
        "to": {"id": None, "taken": "2026-11-27T23:59:59Z", "note": ""},
        "model": "rice",
        "added": [{"key": "S-6", "title": "Gift cards", "to_rank": 3}],
        "removed": [{"key": "S-5", "title": "Old idea", "from_rank": 4}],
        "done": [{"key": "S-2", "title": "Apple Pay", "from_rank": 2}],
        "moves": [
            {
                "key": "S-3",
                "title": "Search synonyms",
                "from_rank": 5,
                "to_rank": 1,
                "changes": [{"field": "rice.impact", "old": 0.25, "new": 3.0}],
            },
            {
                "key": "S-1",
                "title": "Checkout redesign",
                "from_rank": 1,
                "to_rank": 2,
                "changes": [],
            },
            {"key": "S-4", "title": "Newsletter", "from_rank": 3, "to_rank": 4, "changes": []},
        ],
        "now_ranked": [],
        "now_unscored": [
            {
                "key": "S-7",
                "title": "Loses its effort",
                "from_rank": 6,
                "reason": document["now_unscored"][0]["reason"],
                "changes": [{"field": "rice.effort", "old": 1.0, "new": None}],
            }
        ],
        "new_findings": [
            {"key": "S-7", "code": "E001", "severity": "warning", "fingerprint": fingerprint}
        ],
        "fixed_findings": [],
    }
    assert "effort" in document["now_unscored"][0]["reason"]


def test_table(history: Path) -> None:
    result = invoke("diff", "backlog.yaml", "--history", "h.sqlite", "--as-of", "2026-11-27")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:12] == [
        'Changes from snapshot 1 (2026-11-20 23:59 UTC, "refinement") to the current backlog '
        "(2026-11-27 23:59 UTC), ranked by rice",
        "",
        "Moves (3, largest first)",
        "Key   Rank  Title              Own input changes",
        "S-3  5 → 1  Search synonyms    rice.impact 0.25 → 3",
        "S-1  1 → 2  Checkout redesign  (others moved)",
        "S-4  3 → 4  Newsletter         (others moved)",
        "",
        "Added (1)",
        "Key  Rank  Title",
        "S-6     3  Gift cards",
        "",
    ]
    assert "Now unscored (1)" in result.stdout
    assert "S-7  E001  missing-estimate  warning" in result.stdout
    assert "│" not in result.stdout


def test_markdown(history: Path) -> None:
    result = invoke("diff", "backlog.yaml", "--history", "h.sqlite", "-f", "markdown", "-n", "1")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("## Backlog changes\n")
    assert "| S-3 | 5 → 1 | Search synonyms | rice.impact 0.25 → 3 |" in text
    assert "S-1" not in text.split("### Added")[0]  # cut to one move by -n 1
    assert "... and 2 more \\(raise --top, or see --format json)" in text


def test_since_date_id_and_to(history: Path) -> None:
    backlog = Path("backlog.yaml")
    for as_of, note in (("2026-11-25", "second"), ("2026-11-30", "third")):
        taken = invoke(
            "snapshot", str(backlog), "--history", "h.sqlite", "--as-of", as_of, "--note", note
        )
        assert taken.exit_code == 0, taken.stderr
    assert diff_json()["from"]["note"] == "third"  # --since last by default
    assert diff_json("--since", "2026-11-26")["from"]["note"] == "second"
    assert diff_json("--since", "1")["from"]["id"] == 1
    between = invoke("diff", "--history", "h.sqlite", "--since", "1", "--to", "2", "-f", "json")
    assert between.exit_code == 0, between.stderr
    document = json.loads(between.stdout)
    assert document["to"] == {"id": 2, "taken": "2026-11-25T23:59:59Z", "note": "second"}
    assert [move["key"] for move in document["moves"]] == ["S-3", "S-1", "S-4"]
    same = invoke("diff", "--history", "h.sqlite", "--since", "2", "--to", "3")
    assert same.exit_code == 0
    assert "No changes under rice" in same.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["-m", "ice"],
            "h.sqlite: snapshot 1 has no ranking under model 'ice'; it has: rice, wsjf",
        ),
        (["--since", "2026-01-01"], "no snapshot taken on or before 2026-01-01"),
        (["--since", "7"], "no snapshot 7"),
        (["--since", "soon"], "expected a snapshot id, 'last' or a date like 2026-01-31"),
        (["--to", "1"], "--to compares two snapshots: leave out SOURCE and --jql"),
        (["--history", "missing.sqlite"], "missing.sqlite: no history file"),
        (["--as-of", "2026-13-01"], "--as-of: expected a date"),
    ],
)
def test_bad_input_is_one_line(history: Path, arguments: list[str], message: str) -> None:
    result = invoke("diff", "backlog.yaml", "--history", "h.sqlite", *arguments)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1


_RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def test_hostile_titles_are_inert_and_json_exact(workdir: Path) -> None:
    backlog = workdir / "hostile.yaml"
    shutil.copy(HOSTILE, backlog)
    assert invoke("snapshot", str(backlog), "--history", "h.sqlite").exit_code == 0
    text = HOSTILE.read_text(encoding="utf-8")
    backlog.write_text(text.replace("reach: 500,", "reach: 900000,"), encoding="utf-8")
    for fmt in ("table", "markdown"):
        for terminal in (False, True) if fmt == "table" else (False,):
            result = invoke(
                "diff", str(backlog), "--history", "h.sqlite", "-f", fmt, terminal=terminal
            )
            assert result.exit_code == 0, result.stderr
            assert _RAW.findall(result.stdout) == []
            assert [
                line for line in result.stdout.splitlines() if line.lstrip().startswith("::")
            ] == []
            assert "rice.reach 500 → 900,000" in result.stdout
    document = json.loads(
        invoke("diff", str(backlog), "--history", "h.sqlite", "-f", "json").stdout
    )
    (move,) = [move for move in document["moves"] if move["changes"]]
    assert move["title"].startswith("Window title \x1b]0;pwned\x07")


@pytest.mark.parametrize("width", [60, 80, 120])
def test_tables_fit_the_terminal(history: Path, width: int) -> None:
    result = invoke("diff", "backlog.yaml", "--history", "h.sqlite", terminal=True, width=width)
    assert result.exit_code == 0, result.stderr
    assert "│" in result.stdout
    assert [line for line in result.stdout.splitlines() if cell_len(line) > width] == []
    assert "5 → 1" in result.stdout and "S-3" in result.stdout
    listed = invoke("snapshot", "--list", "--history", "h.sqlite", terminal=True, width=width)
    assert [line for line in listed.stdout.splitlines() if cell_len(line) > width] == []


def example_history(folder: Path) -> Path:
    """A history of the bundled example as it was before a refinement (some RICE impacts
    lower, one item not yet filed): ``diff --config examples/shop/backlogctl.yaml`` against
    it shows moves with their own changes, an added item and long titles."""
    backlog = folder / "backlog"
    shutil.copytree(ROOT / "examples" / "shop" / "backlog", backlog)
    for path in backlog.glob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace("impact: 2,", "impact: 0.5,", 3)
        path.write_text(text, encoding="utf-8")
    history = folder / "history.sqlite"
    result = CliRunner().invoke(
        app,
        [
            "snapshot", str(backlog), "--config", str(ROOT / "examples/shop/backlogctl.yaml"),
            "--history", str(history), "--as-of", "2026-11-18", "--note", "before refinement",
            "-m", "rice,wsjf",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return history


def test_the_example_diff_explains_its_moves(tmp_path: Path) -> None:
    history = example_history(tmp_path)
    result = invoke(
        "diff", "--config", str(ROOT / "examples/shop/backlogctl.yaml"), "--history",
        str(history), "-f", "json", "--as-of", "2026-11-25",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    moves = json.loads(result.stdout)["moves"]
    explained = [move for move in moves if move["changes"]]
    assert explained and all(
        change == {"field": "rice.impact", "old": 0.5, "new": 2.0}
        for move in explained
        for change in move["changes"]
    )
    assert all(move["to_rank"] < move["from_rank"] for move in explained)
