"""``backlogctl compare``: agreement statistics, consensus, movers, formats and bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config
from backlogctl.errors import InputError
from backlogctl.models import BacklogItem
from backlogctl.scoring.compare import compare_models, parse_model_names, resolve_models
from backlogctl.scoring.statistics import numpy_statistics

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "compare"
UPDATE_GOLDEN = os.environ.get("BACKLOGCTL_UPDATE_GOLDEN") == "1"

# RICE and WSJF agree (1 > 2 > 3 > 4); the manual order is exactly reversed; T-5 has RICE only.
BACKLOG_YAML = """\
items:
  - {key: T-1, title: First, rank: 4, rice: {reach: 400, impact: 1, confidence: 1, effort: 1},
     wsjf: {business_value: 5, time_criticality: 0, risk_reduction: 0, job_size: 1}}
  - {key: T-2, title: Second, rank: 3, rice: {reach: 300, impact: 1, confidence: 1, effort: 1},
     wsjf: {business_value: 4, time_criticality: 0, risk_reduction: 0, job_size: 1}}
  - {key: T-3, title: Third, rank: 2, rice: {reach: 200, impact: 1, confidence: 1, effort: 1},
     wsjf: {business_value: 3, time_criticality: 0, risk_reduction: 0, job_size: 1}}
  - {key: T-4, title: Fourth, rank: 1, rice: {reach: 100, impact: 1, confidence: 1, effort: 1},
     wsjf: {business_value: 2, time_criticality: 0, risk_reduction: 0, job_size: 1}}
  - {key: T-5, title: Fifth, rice: {reach: 50, impact: 1, confidence: 1, effort: 1}}
"""


def _item(key: str, *, reach: float, rank: int | None = None, **extra: Any) -> BacklogItem:
    rice = {"reach": reach, "impact": 1, "confidence": 1, "effort": 1}
    return BacklogItem(key=key, title=f"Item {key}", rank=rank, rice=rice, **extra)


def _wsjf(value: float) -> dict[str, float]:
    return {"business_value": value, "time_criticality": 0, "risk_reduction": 0, "job_size": 1}


@pytest.fixture
def items() -> list[BacklogItem]:
    return [
        _item("T-1", reach=400, rank=4, wsjf=_wsjf(5)),
        _item("T-2", reach=300, rank=3, wsjf=_wsjf(4)),
        _item("T-3", reach=200, rank=2, wsjf=_wsjf(3)),
        _item("T-4", reach=100, rank=1, wsjf=_wsjf(2)),
        _item("T-5", reach=50),
    ]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory with the small backlog and an empty config (no config discovery)."""
    (tmp_path / "backlog.yaml").write_text(BACKLOG_YAML, encoding="utf-8")
    (tmp_path / "backlogctl.yaml").write_text("default_model: rice\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_models_in_the_same_order_agree_fully(items: list[BacklogItem]) -> None:
    models = resolve_models(["rice", "wsjf"], Config())
    result = compare_models(items, models, top=2)

    pair = result.correlation["rice:wsjf"]
    assert (pair.kendall_tau, pair.spearman, pair.n, pair.excluded) == (1.0, 1.0, 4, 1)
    assert result.top_overlap["rice:wsjf"].count == 2
    assert result.top_overlap["rice:wsjf"].jaccard == 1.0
    assert result.consensus == ["T-1", "T-2"]
    assert result.contested == []
    assert [(e.key, e.reason) for e in result.unscored["wsjf"]] == [
        ("T-5", "no wsjf inputs (business_value, time_criticality, risk_reduction, job_size)")
    ]
    assert result.unscored["rice"] == []


def test_reversed_manual_order_is_minus_one_and_contested(items: list[BacklogItem]) -> None:
    models = resolve_models(["rice", "current"], Config())
    result = compare_models(items, models, top=2)

    pair = result.correlation["rice:current"]
    assert (pair.kendall_tau, pair.spearman, pair.n, pair.excluded) == (-1.0, -1.0, 4, 1)
    assert result.top_overlap["rice:current"].count == 0
    assert result.top_overlap["rice:current"].jaccard == 0.0
    assert result.consensus == []
    contested = {item.key: (item.in_top, item.outside_top) for item in result.contested}
    assert contested == {
        "T-1": (["rice"], {"current": 4}),
        "T-2": (["rice"], {"current": 3}),
        "T-3": (["current"], {"rice": 3}),
        "T-4": (["current"], {"rice": 4}),
    }
    assert [(m.key, m.from_model, m.from_rank, m.to_model, m.to_rank, m.delta) for m in
            result.movers] == [
        ("T-1", "rice", 1, "current", 4, 3),
        ("T-4", "current", 1, "rice", 4, 3),
    ]  # fmt: skip
    assert [(item.key, item.ranks, item.spread) for item in result.items] == [
        ("T-1", {"rice": 1, "current": 4}, 3),
        ("T-2", {"rice": 2, "current": 3}, 1),
        ("T-3", {"rice": 3, "current": 2}, 1),
        ("T-4", {"rice": 4, "current": 1}, 3),
    ]


def test_equal_scores_count_as_ties() -> None:
    # RICE scores 400, 300, 300, 100 against manual ranks 1..4: the known tie case,
    # tau-b = 5 / sqrt(5 * 6) and rho = 4.5 / sqrt(4.5 * 5).
    items = [
        _item("T-1", reach=400, rank=1),
        _item("T-2", reach=300, rank=2),
        _item("T-3", reach=300, rank=3),
        _item("T-4", reach=100, rank=4),
    ]
    result = compare_models(items, resolve_models(["rice", "current"], Config()), top=2)
    pair = result.correlation["rice:current"]
    assert pair.kendall_tau == pytest.approx(5 / 30**0.5, abs=1e-6)
    assert pair.spearman == pytest.approx(4.5 / (4.5 * 5) ** 0.5, abs=1e-6)


def test_done_items_are_left_out(items: list[BacklogItem]) -> None:
    done = _item("T-9", reach=9999, rank=9, status="Done", status_category="done")
    result = compare_models([*items, done], resolve_models(["rice", "current"], Config()))
    assert result.items_total == 5
    assert "T-9" not in {item.key for item in result.items}


def test_a_model_that_scores_nothing_is_an_input_error(items: list[BacklogItem]) -> None:
    with pytest.raises(InputError, match=r"model 'ice' cannot score any item \(e\.g\. T-1: "):
        compare_models(items, resolve_models(["rice", "ice"], Config()))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rice", "at least two models (got rice)"),
        (" , ", "at least two models (got none)"),
        ("rice,wsjf,rice", "'rice' is listed twice"),
    ],
)
def test_model_list_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_model_names(text)


def test_cli_json_follows_the_design_shape(workdir: Path) -> None:
    result = _run("compare", "backlog.yaml", "--models", "rice,wsjf,current", "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert data["models"] == ["rice", "wsjf", "current"]
    assert data["correlation"]["rice:wsjf"] == {
        "kendall_tau": 1.0,
        "spearman": 1.0,
        "n": 4,
        "excluded": 1,
    }
    assert data["correlation"]["wsjf:current"]["kendall_tau"] == -1.0
    # wsjf scores only 4 items: at most 4 of the top 10 can be shared.
    assert data["top_overlap"]["rice:wsjf"] == {"count": 4, "jaccard": 0.8, "possible": 4}
    first = data["items"][0]
    assert (first["key"], first["ranks"]) == ("T-1", {"rice": 1, "wsjf": 1, "current": 4})
    assert data["items"][-1]["unscored"] == {
        "wsjf": "no wsjf inputs (business_value, time_criticality, risk_reduction, job_size)",
        "current": "no stored manual rank",
    }


def test_cli_table_is_plain_text_when_piped(workdir: Path) -> None:
    result = _run("compare", "backlog.yaml", "--models", "rice,current", "--top", "2")
    assert result.exit_code == 0, result.stderr
    assert "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == "Comparing rice, current on 5 items (top 2)"
    assert any(line.split() == ["rice", "vs", "current", "-1.000", "-1.000", "4", "1", "0/2",
                                "0.00", "mostly", "disagree"] for line in lines)  # fmt: skip
    assert "Consensus (in every model's top 2): none" in lines
    assert any(line.startswith("T-1") and line.endswith("3 *") for line in lines)


def test_top_overlap_counts_against_what_can_be_shared(workdir: Path) -> None:
    # Top 10 of 5 items, wsjf scoring only 4: "4/4" shared, not "4/10".
    result = _run("compare", "backlog.yaml", "--models", "rice,wsjf", "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "| rice vs wsjf | 1.000 | 1.000 | 4 | 1 | 4/4 | 0.80 |" in result.stdout


def test_cli_markdown_highlights_movers(workdir: Path) -> None:
    result = _run("compare", "backlog.yaml", "--models", "rice,current", "--top", "2", "-f",
                  "markdown")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "| rice vs current | -1.000 | -1.000 | 4 | 1 | 0/2 | 0.00 | mostly disagree |" in (
        result.stdout
    )
    # The mover's key is bold in the ranks table; the movers table (all movers) is not bold.
    assert "| **T-1** | First | 1 | 4 | 3 \\* |" in result.stdout
    assert "| T-1 | First | rice 1 | current 4 | 3 |" in result.stdout
    assert "**First**" not in result.stdout


@pytest.mark.parametrize(
    ("models", "message"),
    [
        ("rice,nope", "--models: unknown model 'nope' (available: rice, wsjf, ice, current)\n"),
        (
            "rice,wsjd",
            "unknown model 'wsjd' (available: rice, wsjf, ice, current); did you mean wsjf?",
        ),
        ("rice", "--models: compare needs at least two models (got rice)"),
        ("rice,ice", "model 'ice' cannot score any item (e.g. T-1: no ice inputs"),
    ],
)
def test_cli_bad_models_exit_2_with_one_line(workdir: Path, models: str, message: str) -> None:
    result = _run("compare", "backlog.yaml", "--models", models)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_models_option_is_required(workdir: Path) -> None:
    result = _run("compare", "backlog.yaml")
    assert result.exit_code == 2
    assert "--models" in result.stderr


def test_cli_trials_need_stability(workdir: Path) -> None:
    result = _run("compare", "backlog.yaml", "--models", "rice,wsjf", "--trials", "5")
    assert result.exit_code == 2
    assert "--trials and --seed only apply with --stability" in result.stderr


def test_cli_writes_output_file(workdir: Path) -> None:
    result = _run("compare", "backlog.yaml", "-m", "rice,wsjf", "-f", "json", "-o", "out.json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert json.loads((workdir / "out.json").read_text())["models"] == ["rice", "wsjf"]


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("fmt", "golden"), [("markdown", "shop.md"), ("json", "shop.json")])
def test_example_backlog_golden(fmt: str, golden: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = _run(
        "compare",
        "--config",
        "examples/shop/backlogctl.yaml",
        "--models",
        "rice,wsjf,ice,value_per_point,commercial,current",
        "--format",
        fmt,
    )
    assert result.exit_code == 0, result.stderr
    _check_golden(golden, result.stdout)


def test_console_script_end_to_end(workdir: Path) -> None:
    script = shutil.which("backlogctl")
    assert script is not None
    ok = subprocess.run(
        [script, "compare", "backlog.yaml", "--models", "rice,wsjf", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["correlation"]["rice:wsjf"]["n"] == 4
    bad = subprocess.run(
        [script, "compare", "backlog.yaml", "--models", "rice,bogus"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("backlogctl: error: --models: unknown model 'bogus'")
    assert "Traceback" not in bad.stderr


def test_rich_table_highlights_movers_and_respects_no_color(items: list[BacklogItem]) -> None:
    from backlogctl.output.compare_table import render_compare_table

    comparison = compare_models(items, resolve_models(["rice", "current"], Config()), top=2)
    colored = render_compare_table(comparison, rich=True, color=True, width=140)
    # T-1 is a mover: its row in the ranks table ("3 *") and in the movers table ("rice 1").
    mover_lines = [
        line
        for line in colored.splitlines()
        if "T-1" in line and ("3 *" in line or "rice 1" in line)
    ]
    assert len(mover_lines) == 2
    assert all("\x1b[1;33mT-1" in line for line in mover_lines)
    plain = render_compare_table(comparison, rich=True, color=False, width=140)
    assert "\x1b[" not in plain
    assert "Biggest movers between two models" in plain


def test_example_correlations_match_scipy_on_the_scores() -> None:
    from scipy import stats

    from backlogctl.config import load_config
    from backlogctl.loader import load_backlog
    from backlogctl.scoring.ranking import rank_items

    config = load_config(ROOT / "examples" / "shop" / "backlogctl.yaml")
    items = load_backlog([], config).items
    models = resolve_models(["rice", "wsjf", "commercial", "current"], config)
    result = compare_models(items, models)
    scores = {
        name: {entry.key: entry.score for entry in rank_items(items, model).ranked}
        for name, model in models.items()
    }
    for pair, agreement in result.correlation.items():
        first, second = (scores[name] for name in pair.split(":"))
        common = [key for key in first if key in second]
        x = [first[key] for key in common]
        y = [second[key] for key in common]
        assert agreement.n == len(common)
        assert agreement.kendall_tau == pytest.approx(stats.kendalltau(x, y).statistic, abs=1e-6)
        assert agreement.spearman == pytest.approx(stats.spearmanr(x, y).statistic, abs=1e-6)


def test_model_names_match_case_insensitively_as_in_rank(workdir: Path) -> None:
    result = _run("compare", "backlog.yaml", "--models", "RICE,Wsjf", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["models"] == ["rice", "wsjf"]
    twice = _run("compare", "backlog.yaml", "--models", "rice,RICE")
    assert twice.exit_code == 2
    assert twice.stderr == "backlogctl: error: --models: 'rice' is listed twice\n"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("table", "top 4): T-1, T-2, T-3, T-4\n(no contested items)\n"),
        ("markdown", "top 4): T-1, T-2, T-3, T-4\n\nNo contested items.\n"),
    ],
)
def test_no_contested_items_is_said_as_such(workdir: Path, fmt: str, expected: str) -> None:
    # A bare "(none)" under the consensus line read as "no consensus".
    result = _run("compare", "backlog.yaml", "--models", "rice,wsjf", "--top", "4", "-f", fmt)
    assert result.exit_code == 0, result.stderr
    assert expected in result.stdout


def test_help_shows_the_stability_defaults_plainly() -> None:
    result = _run("compare", "--help")
    assert result.exit_code == 0
    assert "(200)" not in result.stdout
    flat = " ".join(result.stdout.replace("│", " ").split())
    assert "Stability trials (with --stability; default 200)." in flat
    assert "Random seed of the stability trials (default 0)." in flat


@pytest.fixture
def without_numpy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The statistics as on an install without numpy: the accelerator cannot be imported."""
    numpy_statistics.cache_clear()
    monkeypatch.setitem(sys.modules, "backlogctl.scoring.statistics_numpy", None)
    yield
    numpy_statistics.cache_clear()


@pytest.mark.usefixtures("without_numpy")
def test_compare_without_numpy_gives_the_same_json_as_the_golden(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert numpy_statistics() is None
    monkeypatch.chdir(ROOT)
    result = _run(
        "compare",
        "--config",
        "examples/shop/backlogctl.yaml",
        "--models",
        "rice,wsjf,ice,value_per_point,commercial,current",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (GOLDEN / "shop.json").read_text(encoding="utf-8")
