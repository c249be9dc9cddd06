"""``compare --stability``: seeded perturbation of inputs and top-N retention per model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config, CustomModelSettings
from backlogctl.errors import InputError
from backlogctl.models import BacklogItem
from backlogctl.scoring.compare import resolve_models
from backlogctl.scoring.stability import rank_stability


def _item(key: str, *, reach: float, confidence: float, wsjf: float, rank: int) -> BacklogItem:
    return BacklogItem(
        key=key,
        title=f"Item {key}",
        rank=rank,
        rice={"reach": reach, "impact": 1, "confidence": confidence, "effort": 1},
        wsjf={"business_value": wsjf, "time_criticality": 1, "risk_reduction": 1, "job_size": 1},
        fields={"revenue": reach},
    )


@pytest.fixture
def items() -> list[BacklogItem]:
    # WSJF: W-1 out of reach (20 vs 2), W-2 and W-3 tied (2) and W-4 just behind (1).
    return [
        _item("W-1", reach=1000, confidence=1.0, wsjf=20, rank=1),
        _item("W-2", reach=500, confidence=1.0, wsjf=2, rank=2),
        _item("W-3", reach=480, confidence=1.0, wsjf=2, rank=3),
        _item("W-4", reach=100, confidence=1.0, wsjf=1, rank=4),
    ]


def test_full_confidence_leaves_rice_untouched(items: list[BacklogItem]) -> None:
    models = resolve_models(["rice", "wsjf"], Config())
    report = rank_stability(items, models, top=2, trials=50, seed=1)
    rice = report.models["rice"]
    assert [(item.key, item.rank, item.stayed) for item in rice.items] == [
        ("W-1", 1, 1.0),
        ("W-2", 2, 1.0),
    ]
    assert rice.robustness == 1.0
    assert set(rice.perturbed) == {"rice.reach", "rice.impact"}


def test_wsjf_clear_leader_is_robust_and_a_tie_is_not(items: list[BacklogItem]) -> None:
    models = resolve_models(["rice", "wsjf"], Config())
    report = rank_stability(items, models, top=2, trials=200, seed=1)
    stayed = {item.key: item.stayed for item in report.models["wsjf"].items}
    assert stayed["W-1"] == 1.0
    assert 0.2 < stayed["W-2"] < 0.9
    assert report.models["wsjf"].perturbed["wsjf.job_size"] == "one Fibonacci step down, none or up"


def test_low_confidence_makes_rice_top_fragile() -> None:
    items = [
        _item("C-1", reach=1000, confidence=0.1, wsjf=1, rank=1),
        _item("C-2", reach=900, confidence=0.1, wsjf=1, rank=2),
    ]
    models = resolve_models(["rice", "current"], Config())
    report = rank_stability(items, models, top=1, trials=200, seed=3)
    assert 0.3 < report.models["rice"].items[0].stayed < 0.9
    assert report.skipped == {"current": "no input with a stated uncertainty"}


def test_same_seed_same_report(items: list[BacklogItem]) -> None:
    models = resolve_models(["rice", "wsjf"], Config())
    first = rank_stability(items, models, top=2, trials=30, seed=42)
    second = rank_stability(items, models, top=2, trials=30, seed=42)
    assert first == second


def test_custom_model_wobbles_its_own_fields(items: list[BacklogItem]) -> None:
    config = Config(models={"revenue": CustomModelSettings(weights={"fields.revenue": 1})})
    models = resolve_models(["revenue", "rice"], config)
    report = rank_stability(items, models, top=1, trials=20, seed=0)
    assert report.models["revenue"].perturbed == {"fields.revenue": "x uniform [0.8, 1.2]"}
    assert report.models["revenue"].items[0].key == "W-1"


def test_trials_must_be_positive(items: list[BacklogItem]) -> None:
    with pytest.raises(InputError, match="--trials must be at least 1"):
        rank_stability(items, resolve_models(["rice", "wsjf"], Config()), trials=0)


def test_cli_stability_in_json_and_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    backlog = tmp_path / "backlog.yaml"
    backlog.write_text(
        "items:\n"
        + "".join(
            f"  - {{key: S-{n}, title: Item {n}, rank: {n}, "
            f"wsjf: {{business_value: {v}, time_criticality: 1, risk_reduction: 1, job_size: 1}}, "
            f"rice: {{reach: {100 * v}, impact: 1, confidence: 0.5, effort: 1}}}}\n"
            for n, v in ((1, 20), (2, 8), (3, 5), (4, 3))
        ),
        encoding="utf-8",
    )
    (tmp_path / "backlogctl.yaml").write_text("default_model: rice\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["compare", "backlog.yaml", "-m", "rice,wsjf,current", "--top", "2", "--stability"]
    result = CliRunner().invoke(app, [*args, "--trials", "20", "--seed", "3", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    stability = json.loads(result.stdout)["stability"]
    assert (stability["trials"], stability["seed"], stability["top"]) == (20, 3, 2)
    assert list(stability["models"]) == ["rice", "wsjf"]
    assert stability["models"]["wsjf"]["items"][0] == {
        "key": "S-1",
        "title": "Item 1",
        "rank": 1,
        "stayed": 1.0,
    }
    assert stability["skipped"] == {"current": "no input with a stated uncertainty"}

    table = CliRunner().invoke(app, [*args, "--trials", "20", "--seed", "3"])
    assert table.exit_code == 0, table.stderr
    assert "Rank stability (20 trials, seed 3)" in table.stdout
    assert "current: not assessed (no input with a stated uncertainty)" in table.stdout
