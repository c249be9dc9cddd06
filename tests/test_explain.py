"""``backlogctl explain``: placements, neighbours, verified what-ifs, lint findings, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config, CustomModelSettings
from backlogctl.explain import explain_item, ordinal
from backlogctl.models import BacklogItem
from backlogctl.scoring.fields import with_value
from backlogctl.scoring.ranking import rank_items
from backlogctl.scoring.registry import available_models

# RICE scores (reach x impact x confidence / effort): A 90, B 80, C 70, D 60, X 50, M unscored.
BACKLOG_YAML = """\
items:
  - {key: A-1, title: Alpha, rice: {reach: 90, impact: 1, confidence: 1, effort: 1}}
  - {key: B-1, title: Bravo, rice: {reach: 80, impact: 1, confidence: 1, effort: 1}}
  - {key: C-1, title: Charlie, rice: {reach: 70, impact: 1, confidence: 1, effort: 1}}
  - {key: D-1, title: Delta, rice: {reach: 60, impact: 1, confidence: 1, effort: 1}}
  - key: X-1
    title: X-ray
    status: Refined
    rank: 1
    rice: {reach: 100, impact: 1, confidence: 50, effort: 1}
    ice: {impact: 5, confidence: 5, ease: 5}
  - {key: M-1, title: Mike, rice: {reach: 100, impact: 1, effort: 1}}
"""


def _rice(key: str, reach: float, confidence: float | None = 1.0) -> BacklogItem:
    inputs = {"reach": reach, "impact": 1, "confidence": confidence, "effort": 1}
    return BacklogItem(key=key, title=f"Item {key}", rice=inputs)


@pytest.fixture
def items() -> list[BacklogItem]:
    return [
        _rice("A-1", 90),
        _rice("B-1", 80),
        _rice("C-1", 70),
        _rice("D-1", 60),
        _rice("X-1", 100, confidence=0.5),
        _rice("M-1", 100, confidence=None),
    ]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "backlog.yaml").write_text(BACKLOG_YAML, encoding="utf-8")
    (tmp_path / "backlogctl.yaml").write_text("default_model: rice\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _models() -> dict[str, Any]:
    return dict(available_models(Config()))


def test_what_ifs_are_the_smallest_changes_and_hold_when_re_ranked(
    items: list[BacklogItem],
) -> None:
    result = explain_item(items, "X-1", _models(), model="rice", top=2)

    assert (result.rank, result.score, result.in_top) == (5, 50.0, False)
    assert [answer.summary for answer in result.what_if] == [
        "rice.impact 1 -> 2 would rank it 1st",
        "rice.effort 1 -> 0.5 would rank it 1st",
        # 80% would tie with B-1 (score 80), which wins on confidence: 90% is the first step.
        "rice.confidence 50% -> 90% would rank it 2nd",
        "rice.reach 100 -> 200 would rank it 1st",
    ]
    item = next(i for i in items if i.key == "X-1")
    for answer in result.what_if:
        changed = with_value(item, answer.input, answer.proposed)
        backlog = [changed if other.key == "X-1" else other for other in items]
        assert rank_items(backlog, _models()["rice"]).positions()["X-1"] == answer.new_rank
    one_step_less = with_value(item, "rice.confidence", 0.8)
    backlog = [one_step_less if other.key == "X-1" else other for other in items]
    assert rank_items(backlog, _models()["rice"]).positions()["X-1"] == 3


def test_a_missing_input_is_filled_by_the_what_if(items: list[BacklogItem]) -> None:
    result = explain_item(items, "M-1", _models(), model="rice", top=2)
    rice = next(p for p in result.placements if p.model == "rice")
    assert (rice.rank, rice.reason) == (None, "missing rice.confidence")
    assert result.above == [] and result.below == []
    assert [(a.summary, a.steps) for a in result.what_if] == [
        ("rice.confidence missing -> 90% would rank it 2nd", 0)
    ]


def test_placements_and_neighbours(items: list[BacklogItem]) -> None:
    config = Config(models={"reach_only": CustomModelSettings(formula="rice.reach")})
    models = dict(available_models(config))
    result = explain_item(items, "C-1", models, model="rice", top=1)

    assert [(p.model, p.rank, p.score) for p in result.placements] == [
        ("rice", 3, 70.0),
        ("wsjf", None, None),
        ("ice", None, None),
        ("reach_only", 5, 70.0),
    ]
    rice = result.placements[0]
    assert rice.explanation == "reach 70 × impact 1 × confidence 1 / effort 1 = 70"
    assert rice.ranked == 5
    assert [n.key for n in result.above] == ["A-1", "B-1"]
    assert [n.key for n in result.below] == ["D-1", "X-1"]


def test_already_in_the_top(items: list[BacklogItem]) -> None:
    result = explain_item(items, "A-1", _models(), model="rice", top=3)
    assert result.in_top
    assert result.what_if == []


def test_done_item_gets_no_what_if(items: list[BacklogItem]) -> None:
    done = _rice("Z-1", 10).model_copy(update={"status": "Done", "status_category": "done"})
    result = explain_item([*items, done], "Z-1", _models(), model="rice", top=2)
    rice = result.placements[0]
    assert (rice.rank, rice.score, rice.reason) == (None, 10.0, "done items are not ranked")
    assert (result.done, result.what_if) == (True, [])


def test_cli_text_output(workdir: Path) -> None:
    result = _run("explain", "X-1", "backlog.yaml", "--top", "2", "--as-of", "2026-11-25")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("X-1: X-ray\n  source: backlog.yaml:")
    assert "  rice: reach 100, impact 1, confidence 0.5, effort 1\n" in out
    assert "reach 100 × impact 1 × confidence 0.5 / effort 1 = 50" in out
    assert "What would move it into the top 2 (rice)\n  rice.impact 1 -> 2 would rank it 1st" in out
    assert "W004 warning: unknown status 'Refined'" in out
    assert "\x1b[" not in out


def test_cli_json_output(workdir: Path) -> None:
    result = _run(
        "explain", "X-1", "backlog.yaml", "--top", "2", "-f", "json", "-m", "ice",
        "--as-of", "2026-11-25",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert (data["key"], data["model"], data["rank"], data["in_top"]) == ("X-1", "ice", 1, True)
    assert [p["model"] for p in data["placements"]] == ["rice", "wsjf", "ice"]
    assert data["what_if"] == []
    assert "W004" in [f["code"] for f in data["findings"]]
    assert {f["key"] for f in data["findings"]} == {"X-1"}


def test_cli_unknown_key_suggests_close_ones(workdir: Path) -> None:
    result = _run("explain", "x-2", "backlog.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "backlogctl: error: no item with key 'x-2' in the backlog (6 items); did you mean X-1?"
    )


def test_cli_unknown_model_exits_2(workdir: Path) -> None:
    result = _run("explain", "X-1", "backlog.yaml", "--model", "rise")
    assert result.exit_code == 2
    assert "unknown model 'rise'" in result.stderr
    assert "available: rice, wsjf, ice" in result.stderr


@pytest.mark.parametrize(
    ("number", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (111, "111th"), (123, "123rd")],
)  # fmt: skip
def test_ordinal(number: int, text: str) -> None:
    assert ordinal(number) == text


def test_console_script_explain(workdir: Path) -> None:
    script = shutil.which("backlogctl")
    assert script is not None
    done = subprocess.run(
        [script, "explain", "X-1", "backlog.yaml", "--top", "2", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["what_if"][0]["new_rank"] == 1


def test_cli_unscored_item_is_told_to_fill_in_its_inputs(workdir: Path) -> None:
    # A missing input, not a value on its scale, keeps it out of the ranking.
    result = _run("explain", "A-1", "backlog.yaml", "--model", "ice", "--as-of", "2026-11-25")
    assert result.exit_code == 0, result.stderr
    assert (
        "What would move it into the top 10 (ice)\n"
        "  not scored under ice: no ice inputs (impact, confidence, ease); "
        "fill in its inputs first\n"
    ) in result.stdout
