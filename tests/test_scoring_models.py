"""RICE, WSJF, ICE and custom models against hand-computed values, and every unscored reason."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config, CustomModelSettings, load_config
from backlogctl.errors import ConfigError, InputError
from backlogctl.models import BacklogItem
from backlogctl.scoring.base import Score, ScoreOutcome, Unscorable
from backlogctl.scoring.registry import BUILTIN_MODELS, available_models, get_model


def _item(**fields: Any) -> BacklogItem:
    data: dict[str, Any] = {"key": "SHOP-1", "title": "An item"}
    data.update(fields)
    return BacklogItem.model_validate(data)


def _score(outcome: ScoreOutcome) -> Score:
    assert isinstance(outcome, Score), outcome
    return outcome


def _reason(outcome: ScoreOutcome) -> str:
    assert isinstance(outcome, Unscorable), outcome
    return outcome.reason


RICE = BUILTIN_MODELS["rice"]
WSJF = BUILTIN_MODELS["wsjf"]
ICE = BUILTIN_MODELS["ice"]


# --- RICE ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rice", "expected", "explanation"),
    [
        # Intercom's worked example, project 1: 500 customers a month reach the step, 30 %
        # choose the option, 3 months -> reach 450 a quarter; impact 2 (high); confidence
        # 100 %; effort 2 person-months.  450 × 2 × 1 / 2 = 450.
        (
            {"reach": 450, "impact": 2, "confidence": 1, "effort": 2},
            450.0,
            "reach 450 × impact 2 × confidence 1 / effort 2 = 450",
        ),
        # Project 2: reach 2,000 a quarter; impact 1 (medium); confidence 80 %; effort 4.
        # 2000 × 1 × 0.8 / 4 = 400.
        (
            {"reach": 2000, "impact": 1, "confidence": 80, "effort": 4},
            400.0,
            "reach 2000 × impact 1 × confidence 0.8 / effort 4 = 400",
        ),
        # Project 3: reach 800; impact 3 (massive); confidence 50 %; effort 1.5.
        # 800 × 3 × 0.5 / 1.5 = 1200 / 1.5 = 800.
        (
            {"reach": 800, "impact": 3, "confidence": 0.5, "effort": 1.5},
            800.0,
            "reach 800 × impact 3 × confidence 0.5 / effort 1.5 = 800",
        ),
        # A worked example: 2000 × 2 × 0.8 / 4 = 800.
        (
            {"reach": 2000, "impact": 2, "confidence": 0.8, "effort": 4},
            800.0,
            "reach 2000 × impact 2 × confidence 0.8 / effort 4 = 800",
        ),
        # Non-round result: 1000 × 0.25 × 0.5 / 3 = 125 / 3 = 41.666...
        (
            {"reach": 1000, "impact": 0.25, "confidence": 0.5, "effort": 3},
            125 / 3,
            "reach 1000 × impact 0.25 × confidence 0.5 / effort 3 = 41.667",
        ),
    ],
)
def test_rice_scores(rice: dict[str, float], expected: float, explanation: str) -> None:
    score = _score(RICE.score(_item(rice=rice)))
    assert score.value == pytest.approx(expected)
    assert score.explanation == explanation


def test_rice_percent_confidence_is_normalized_in_inputs() -> None:
    percent = _score(
        RICE.score(_item(rice={"reach": 10, "impact": 1, "confidence": 80, "effort": 1}))
    )
    fraction = _score(
        RICE.score(_item(rice={"reach": 10, "impact": 1, "confidence": 0.8, "effort": 1}))
    )
    assert percent.value == fraction.value == pytest.approx(8.0)
    assert percent.inputs == {
        "rice.reach": 10.0,
        "rice.impact": 1.0,
        "rice.confidence": 0.8,
        "rice.effort": 1.0,
    }


def test_rice_confidence_of_one_means_100_percent() -> None:
    score = _score(RICE.score(_item(rice={"reach": 10, "impact": 1, "confidence": 1, "effort": 1})))
    assert score.value == 10.0


def test_rice_tie_breaker_is_confidence() -> None:
    score = _score(
        RICE.score(_item(rice={"reach": 10, "impact": 1, "confidence": 0.5, "effort": 1}))
    )
    assert score.tie_breaker == 0.5


def test_rice_off_scale_impact_is_still_scored() -> None:
    # Impact 7 is not on Intercom's scale, but possible: 100 × 7 × 1 / 1 = 700 (lint flags it).
    score = _score(
        RICE.score(_item(rice={"reach": 100, "impact": 7, "confidence": 1, "effort": 1}))
    )
    assert score.value == 700.0


def test_rice_zero_reach_scores_zero_rather_than_unscored() -> None:
    score = _score(RICE.score(_item(rice={"reach": 0, "impact": 1, "confidence": 1, "effort": 1})))
    assert score.value == 0.0


@pytest.mark.parametrize(
    ("rice", "reason"),
    [
        (None, "no rice inputs (reach, impact, confidence, effort)"),
        ({"reach": 1, "impact": 1, "confidence": 1}, "missing rice.effort"),
        ({"impact": 1, "confidence": 1}, "missing rice.reach, rice.effort"),
        ({}, "missing rice.reach, rice.impact, rice.confidence, rice.effort"),
        (
            {"reach": 1, "impact": 1, "confidence": 1, "effort": 0},
            "rice.effort must be > 0 (got 0)",
        ),
        (
            {"reach": 1, "impact": 1, "confidence": 1, "effort": -2},
            "rice.effort must be > 0 (got -2)",
        ),
        (
            {"reach": -5, "impact": 1, "confidence": 1, "effort": 1},
            "rice.reach must be >= 0 (got -5)",
        ),
        (
            {"reach": 5, "impact": -1, "confidence": 1, "effort": 1},
            "rice.impact must be >= 0 (got -1)",
        ),
        (
            {"reach": 5, "impact": 1, "confidence": 150, "effort": 1},
            "rice.confidence must be between 0 and 100 % (got 150 %)",
        ),
        (
            {"reach": 5, "impact": 1, "confidence": -0.2, "effort": 1},
            "rice.confidence must be between 0 and 100 % (got -20 %)",
        ),
        (
            {"reach": -1, "impact": 1, "confidence": 1},
            "missing rice.effort; rice.reach must be >= 0 (got -1)",
        ),
    ],
)
def test_rice_unscored_reasons(rice: dict[str, float] | None, reason: str) -> None:
    assert _reason(RICE.score(_item(rice=rice))) == reason


def test_rice_overflow_is_unscored() -> None:
    item = _item(rice={"reach": 1e308, "impact": 3, "confidence": 1, "effort": 0.5})
    assert _reason(RICE.score(item)) == "score is not a finite number (an input is too large)"


# --- WSJF ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wsjf", "expected", "cost_of_delay"),
    [
        # SAFe-style Fibonacci inputs: CoD = 8 + 13 + 5 = 26; WSJF = 26 / 8 = 3.25.
        (
            {"business_value": 8, "time_criticality": 13, "risk_reduction": 5, "job_size": 8},
            3.25,
            26,
        ),
        # CoD = 20 + 8 + 2 = 30; WSJF = 30 / 3 = 10.
        ({"business_value": 20, "time_criticality": 8, "risk_reduction": 2, "job_size": 3}, 10, 30),
        # CoD = 1 + 1 + 1 = 3; WSJF = 3 / 20 = 0.15.
        (
            {"business_value": 1, "time_criticality": 1, "risk_reduction": 1, "job_size": 20},
            0.15,
            3,
        ),
        # Off-scale job size 4 is possible: CoD = 3 + 5 + 8 = 16; 16 / 4 = 4.
        ({"business_value": 3, "time_criticality": 5, "risk_reduction": 8, "job_size": 4}, 4, 16),
    ],
)
def test_wsjf_scores_and_cost_of_delay(
    wsjf: dict[str, float], expected: float, cost_of_delay: float
) -> None:
    score = _score(WSJF.score(_item(wsjf=wsjf)))
    assert score.value == pytest.approx(expected)
    assert score.tie_breaker == cost_of_delay


def test_wsjf_explanation() -> None:
    item = _item(
        wsjf={"business_value": 8, "time_criticality": 13, "risk_reduction": 5, "job_size": 8}
    )
    assert _score(WSJF.score(item)).explanation == (
        "(business_value 8 + time_criticality 13 + risk_reduction 5) / job_size 8 = 3.25"
    )


@pytest.mark.parametrize(
    ("wsjf", "reason"),
    [
        (None, "no wsjf inputs (business_value, time_criticality, risk_reduction, job_size)"),
        (
            {"business_value": 8, "time_criticality": 13, "risk_reduction": 5},
            "missing wsjf.job_size",
        ),
        (
            {"business_value": 8, "time_criticality": 13, "risk_reduction": 5, "job_size": 0},
            "wsjf.job_size must be > 0 (got 0)",
        ),
        (
            {"business_value": -1, "time_criticality": 13, "risk_reduction": 5, "job_size": 3},
            "wsjf.business_value must be >= 0 (got -1)",
        ),
        (
            {"business_value": 1, "time_criticality": -3, "risk_reduction": 5, "job_size": 3},
            "wsjf.time_criticality must be >= 0 (got -3)",
        ),
        (
            {"business_value": 1, "time_criticality": 3, "risk_reduction": -5, "job_size": 3},
            "wsjf.risk_reduction must be >= 0 (got -5)",
        ),
    ],
)
def test_wsjf_unscored_reasons(wsjf: dict[str, float] | None, reason: str) -> None:
    assert _reason(WSJF.score(_item(wsjf=wsjf))) == reason


# --- ICE -------------------------------------------------------------------------------------


def test_ice_score_explanation_and_tie_breaker() -> None:
    # 8 × 7 × 5 = 280
    score = _score(ICE.score(_item(ice={"impact": 8, "confidence": 7, "ease": 5})))
    assert score.value == 280.0
    assert score.explanation == "impact 8 × confidence 7 × ease 5 = 280"
    assert score.tie_breaker == 7.0


def test_ice_off_scale_value_is_scored() -> None:
    # 12 is above the 1..10 scale but possible: 12 × 2 × 3 = 72.
    assert _score(ICE.score(_item(ice={"impact": 12, "confidence": 2, "ease": 3}))).value == 72.0


@pytest.mark.parametrize(
    ("ice", "reason"),
    [
        (None, "no ice inputs (impact, confidence, ease)"),
        ({"impact": 8, "confidence": 7}, "missing ice.ease"),
        ({"impact": 8, "confidence": -7, "ease": 2}, "ice.confidence must be >= 0 (got -7)"),
    ],
)
def test_ice_unscored_reasons(ice: dict[str, float] | None, reason: str) -> None:
    assert _reason(ICE.score(_item(ice=ice))) == reason


# --- custom models ---------------------------------------------------------------------------


def _config(**models: CustomModelSettings) -> Config:
    return Config(models=models)


def test_formula_model_scores_with_explanation() -> None:
    config = _config(
        value_per_point=CustomModelSettings(
            formula="(wsjf.business_value + wsjf.time_criticality) / estimate"
        )
    )
    model = get_model("value_per_point", config)
    item = _item(
        estimate=3,
        wsjf={"business_value": 8, "time_criticality": 5, "risk_reduction": 1, "job_size": 2},
    )
    # (8 + 5) / 3 = 4.333...
    score = _score(model.score(item))
    assert score.value == pytest.approx(13 / 3)
    assert score.explanation == (
        "(wsjf.business_value 8 + wsjf.time_criticality 5) / estimate 3 = 4.333"
    )
    assert model.main_inputs == ("wsjf.business_value", "wsjf.time_criticality", "estimate")
    assert model.formula == "(wsjf.business_value + wsjf.time_criticality) / estimate"


def test_formula_model_uses_normalized_confidence() -> None:
    model = get_model("conf", _config(conf=CustomModelSettings(formula="rice.confidence * 10")))
    assert _score(model.score(_item(rice={"confidence": 80}))).value == pytest.approx(8.0)


@pytest.mark.parametrize(
    ("item_fields", "reason"),
    [
        ({"estimate": 2}, "missing fields.revenue"),
        ({"fields": {"revenue": 5}}, "missing estimate"),
        ({}, "missing fields.revenue, estimate"),
        (
            {"estimate": 2, "fields": {"revenue": "high"}},
            "fields.revenue must be a number (got 'high')",
        ),
        ({"estimate": 0, "fields": {"revenue": 5}}, "formula: division by zero at column 16"),
    ],
)
def test_formula_model_unscored_reasons(item_fields: dict[str, Any], reason: str) -> None:
    model = get_model("rev", _config(rev=CustomModelSettings(formula="fields.revenue / estimate")))
    assert _reason(model.score(_item(**item_fields))) == reason


def test_formula_model_allows_negative_team_fields() -> None:
    model = get_model("net", _config(net=CustomModelSettings(formula="fields.net - 1")))
    assert _score(model.score(_item(fields={"net": -4}))).value == -5.0


def test_weighted_model_scores_with_explanation() -> None:
    config = _config(
        weighted=CustomModelSettings(
            weights={"rice.reach": 0.001, "ice.impact": 2, "fields.revenue_impact": 1}
        )
    )
    model = get_model("weighted", config)
    item = _item(rice={"reach": 2000}, ice={"impact": 7}, fields={"revenue_impact": 5})
    # 0.001 × 2000 + 2 × 7 + 1 × 5 = 2 + 14 + 5 = 21
    score = _score(model.score(item))
    assert score.value == pytest.approx(21.0)
    assert score.explanation == (
        "0.001 × rice.reach 2000 + 2 × ice.impact 7 + 1 × fields.revenue_impact 5 = 21"
    )
    assert model.formula == "0.001 × rice.reach + 2 × ice.impact + 1 × fields.revenue_impact"
    assert model.main_inputs == ("rice.reach", "ice.impact", "fields.revenue_impact")


@pytest.mark.parametrize(
    ("item_fields", "reason"),
    [
        ({"rice": {"reach": 2000}, "ice": {"impact": 7}}, "missing fields.revenue_impact"),
        ({"ice": {"impact": 7}, "fields": {"revenue_impact": 5}}, "missing rice.reach"),
        (
            {"rice": {"reach": 2000}, "ice": {"impact": 7}, "fields": {"revenue_impact": "n/a"}},
            "fields.revenue_impact must be a number (got 'n/a')",
        ),
    ],
)
def test_weighted_model_unscored_reasons(item_fields: dict[str, Any], reason: str) -> None:
    config = _config(
        weighted=CustomModelSettings(
            weights={"rice.reach": 0.001, "ice.impact": 2, "fields.revenue_impact": 1}
        )
    )
    assert _reason(get_model("weighted", config).score(_item(**item_fields))) == reason


def test_custom_tie_breaker_field() -> None:
    config = _config(
        by_estimate=CustomModelSettings(formula="fields.x", tie_breaker="fields.priority")
    )
    model = get_model("by_estimate", config)
    with_priority = _score(model.score(_item(fields={"x": 1, "priority": 3})))
    without = _score(model.score(_item(fields={"x": 1})))
    assert with_priority.tie_breaker == 3.0
    assert without.tie_breaker == float("-inf")


def test_unknown_custom_tie_breaker_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "backlogctl.yaml"
    path.write_text(
        "models:\n  mine:\n    formula: estimate * 2\n    tie_breaker: rice.reech\n",
        encoding="utf-8",
    )
    config = load_config(path)
    with pytest.raises(ConfigError) as caught:
        available_models(config)
    assert caught.value.render() == (
        f"{path}:4: models.mine.tie_breaker: unknown field 'rice.reech'"
    )


# --- numbers too large for a float -----------------------------------------------------------

#: ``rank:`` 1 followed by 400 zeros: a YAML integer that no float can hold.
_HUGE_RANK = "1" + "0" * 400
_HUGE_BACKLOG = f"""\
items:
  - key: B-1
    title: Huge rank
    rank: {_HUGE_RANK}
    rice: {{reach: 100, impact: 1, confidence: 1, effort: 1}}
    fields: {{revenue: 1.0e308, cost: 1.0e308}}
  - key: B-2
    title: Normal item
    rank: 2
    rice: {{reach: 50, impact: 1, confidence: 1, effort: 1}}
    fields: {{revenue: 5, cost: 1}}
"""
_HUGE_CONFIG = """\
default_model: by_rank
sources: [backlog.yaml]
models:
  by_rank: {formula: "rank * 2"}
  rank_weight: {weights: {rank: 1}}
  sum_overflows: {weights: {fields.revenue: 1, fields.cost: 1}}
  inf_minus_inf: {weights: {fields.revenue: 10, fields.cost: -10}}
  formula_sum: {formula: "fields.revenue + fields.cost"}
"""
_HUGE_REASONS = {
    "by_rank": "rank is too large to compute with",
    "rank_weight": "rank is too large to compute with",
    "sum_overflows": "score is not a finite number (an input is too large)",
    "inf_minus_inf": "score is not a finite number (an input is too large)",
    "formula_sum": "formula: result too large at column 16",
}


@pytest.fixture
def huge_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "backlog.yaml").write_text(_HUGE_BACKLOG, encoding="utf-8")
    (tmp_path / "backlogctl.yaml").write_text(_HUGE_CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.usefixtures("huge_numbers")
@pytest.mark.parametrize(("model", "reason"), list(_HUGE_REASONS.items()))
def test_values_too_large_for_a_float_leave_the_item_unscored(model: str, reason: str) -> None:
    result = CliRunner().invoke(app, ["rank", "--model", model, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [item["key"] for item in data["items"]] == ["B-2"]
    assert data["unscored"] == [
        {"key": "B-1", "title": "Huge rank", "status": "To Do", "reason": reason, "type": "story"}
    ]


@pytest.mark.usefixtures("huge_numbers")
@pytest.mark.parametrize(
    "command",
    [
        ["compare", "--models", "rice,current", "--format", "json"],
        ["compare", "--models", "rice,by_rank,rank_weight,sum_overflows", "--format", "json"],
        ["compare", "--models", "rice,current", "--stability", "--trials", "5"],
        ["explain", "B-1", "--format", "json"],
        ["explain", "B-1"],
        ["explain", "B-1", "--model", "rice"],
        ["explain", "B-2", "--model", "sum_overflows"],
        ["lint", "--format", "json", "--fail-on", "never"],
    ],
)
def test_values_too_large_for_a_float_never_crash_a_command(command: list[str]) -> None:
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    assert result.stdout


@pytest.mark.usefixtures("huge_numbers")
def test_compare_says_why_the_huge_rank_is_left_out() -> None:
    result = CliRunner().invoke(app, ["compare", "--models", "rice,current", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["unscored"]["current"][0]["reason"] == "rank is too large to compute with"
    assert data["correlation"]["rice:current"]["n"] == 1


@pytest.mark.usefixtures("huge_numbers")
def test_explain_reports_the_huge_rank_per_model() -> None:
    result = CliRunner().invoke(app, ["explain", "B-1", "--format", "json"])
    assert result.exit_code == 0, result.output
    placements = {p["model"]: p for p in json.loads(result.stdout)["placements"]}
    assert placements["rice"]["rank"] == 1
    for model, reason in _HUGE_REASONS.items():
        assert placements[model]["reason"] == reason


# --- registry --------------------------------------------------------------------------------


def test_builtin_registry_names_match_models() -> None:
    assert list(BUILTIN_MODELS) == ["rice", "wsjf", "ice"]
    assert all(name == model.name for name, model in BUILTIN_MODELS.items())


def test_available_models_lists_builtins_then_custom() -> None:
    config = _config(mine=CustomModelSettings(formula="estimate"))
    assert list(available_models(config)) == ["rice", "wsjf", "ice", "mine"]


def test_get_model_is_case_insensitive() -> None:
    assert get_model("WSJF", Config()).name == "wsjf"


def test_unknown_model_lists_choices_and_close_matches() -> None:
    config = _config(value_per_point=CustomModelSettings(formula="estimate"))
    with pytest.raises(InputError) as caught:
        get_model("ricee", config)
    assert caught.value.exit_code == 2
    assert caught.value.message == (
        "unknown model 'ricee' (did you mean rice, ice?); "
        "available: rice, wsjf, ice, value_per_point"
    )


def test_unknown_model_without_close_match() -> None:
    with pytest.raises(InputError, match=r"^unknown model 'zzz'; available: rice, wsjf, ice$"):
        get_model("zzz", Config())


def test_every_builtin_documents_its_inputs() -> None:
    for model in BUILTIN_MODELS.values():
        assert set(model.main_inputs) == set(model.input_scales)
        assert model.formula and model.description


def test_fast_path_agrees_with_score_on_every_kind_of_input() -> None:
    """Ranking trusts ``fast_score``; it must give the same number, or None where
    ``score`` finds the item unscorable (then ``score`` supplies the reason)."""
    rng = random.Random(20261125)
    choices = [None, -1.0, 0.0, 0.25, 0.5, 1.0, 3.0, 13.0, 80.0, 150.0, 1e308]
    groups = {
        "rice": ("reach", "impact", "confidence", "effort"),
        "wsjf": ("business_value", "time_criticality", "risk_reduction", "job_size"),
        "ice": ("impact", "confidence", "ease"),
    }
    checked = 0
    for number in range(3000):
        data: dict[str, Any] = {"key": f"SHOP-{number}", "title": "t"}
        for group, names in groups.items():
            if rng.random() < 0.9:
                values = {name: rng.choice(choices) for name in names}
                data[group] = {name: value for name, value in values.items() if value is not None}
        item = BacklogItem.model_validate(data)
        for model in BUILTIN_MODELS.values():
            fast = model.fast_score(item)
            full = model.score(item)
            if isinstance(full, Score):
                assert fast is not None, (item, model.name)
                assert (fast.value, fast.tie_breaker) == (full.value, full.tie_breaker)
                assert dict(zip(model.main_inputs, fast.inputs, strict=True)) == full.inputs
                checked += 1
            else:
                assert fast is None, (item, model.name, full.reason)
    assert checked > 500  # both outcomes were exercised
