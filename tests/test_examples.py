"""The bundled example (examples/shop): it loads, it is coherent, and it shows what it claims.

The example is documentation that users run first, so these tests load it through the real
config loader and connector, and check that its deliberate hygiene problems are exactly the
ones lint reports and that its rankings read as the README describes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config, load_config
from backlogctl.lint.engine import lint_backlog
from backlogctl.loader import load_backlog
from backlogctl.models import Backlog, BacklogItem
from backlogctl.scoring.ranking import rank_items
from backlogctl.scoring.registry import get_model

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "shop"
CONFIG = EXAMPLE / "backlogctl.yaml"
README = ROOT / "examples" / "README.md"
AS_OF = dt.datetime(2026, 11, 25, 23, 59, 59, tzinfo=dt.UTC)

#: The one parent link that points nowhere on purpose (an epic deleted in a clean-up).
UNKNOWN_PARENT = ("SHOP-227", "SHOP-150")
#: Open items linked to neither an epic nor a key result, on purpose.
ORPHANS = {"SHOP-130", "SHOP-157", "SHOP-171", "SHOP-186", "SHOP-197"}


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(CONFIG)


@pytest.fixture(scope="module")
def backlog(config: Config) -> Backlog:
    warnings: list[str] = []
    loaded = load_backlog([], config, warn=warnings.append)
    assert warnings == []
    return loaded


@pytest.fixture(scope="module")
def items(backlog: Backlog) -> dict[str, BacklogItem]:
    return {item.key: item for item in backlog.items}


def test_config_reads_the_backlog_directory_next_to_it(config: Config) -> None:
    assert config.sources == ["backlog"]
    assert Path(config.resolve_source("backlog")).resolve() == EXAMPLE / "backlog"
    assert config.default_model == "rice"


def test_backlog_size_and_unique_keys(backlog: Backlog) -> None:
    keys = [item.key for item in backlog.items]
    assert 60 <= len(keys) <= 100
    assert [key for key, count in Counter(keys).items() if count > 1] == []


def test_every_item_records_its_file_and_line(backlog: Backlog) -> None:
    files = {Path(item.source.file or "").name for item in backlog.items}
    assert files == {
        "checkout.yaml",
        "customer-service.yaml",
        "data-and-bi.yaml",
        "marketing.yaml",
        "platform.yaml",
        "search.yaml",
    }
    assert all(item.source.line for item in backlog.items)


def test_parents_resolve_except_the_deliberate_one(items: dict[str, BacklogItem]) -> None:
    dangling = [
        (key, item.parent) for key, item in items.items() if item.parent not in (None, *items)
    ]
    assert dangling == [UNKNOWN_PARENT]
    assert all(items[item.parent].type == "epic" for item in items.values() if item.parent in items)


def test_objective_links_resolve_to_declared_key_results(
    backlog: Backlog, items: dict[str, BacklogItem]
) -> None:
    objectives = {objective.key for objective in backlog.objectives if objective.parent is None}
    key_results = {objective.key for objective in backlog.objectives if objective.parent}
    assert 3 <= len(objectives) <= 4
    assert len(key_results) >= 2 * len(objectives)
    assert {item.objective for item in items.values() if item.objective} <= key_results
    orphans = {
        key
        for key, item in items.items()
        if not item.is_done and item.parent is None and item.objective is None
    }
    assert orphans == ORPHANS


def test_statuses_span_every_category(items: dict[str, BacklogItem]) -> None:
    statuses: dict[str, set[str]] = {}
    for item in items.values():
        statuses.setdefault(item.status_category, set()).add(item.status)
    assert statuses == {
        "todo": {"Backlog", "Refined", "Selected for Development"},
        "in_progress": {"In Progress", "In Review", "In QA", "Blocked"},
        "done": {"Done"},
    }
    per_category = Counter(item.status_category for item in items.values())
    assert per_category["todo"] > per_category["in_progress"] > per_category["done"] >= 5


def test_percentage_confidence_is_read_as_a_fraction(items: dict[str, BacklogItem]) -> None:
    rice = items["SHOP-376"].rice
    assert rice is not None
    assert rice.confidence == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("name", "expected_top"),
    [
        ("value_per_point", "SHOP-398"),
        ("cautious_rice", "SHOP-398"),
        ("commercial", "SHOP-345"),
    ],
)
def test_custom_models_load_and_score_the_backlog(
    name: str, expected_top: str, config: Config, backlog: Backlog
) -> None:
    ranking = rank_items(backlog.items, get_model(name, config))
    assert ranking.ranked[0].key == expected_top
    assert len(ranking.ranked) >= 55


def test_value_per_point_lists_items_without_estimate_as_unscored(
    config: Config, backlog: Backlog
) -> None:
    ranking = rank_items(backlog.items, get_model("value_per_point", config))
    reasons = {item.key: item.reason for item in ranking.unscored}
    assert "estimate" in reasons["SHOP-338"]
    assert "SHOP-338" not in ranking.positions()


def _lint_keys(config: Config, backlog: Backlog) -> dict[str, set[str]]:
    result = lint_backlog(backlog, config, as_of=AS_OF)
    keys: dict[str, set[str]] = {}
    for finding in result.findings:
        keys.setdefault(finding.code, set()).add(finding.key)
    return keys


def test_lint_finds_exactly_the_planted_problems(config: Config, backlog: Backlog) -> None:
    found = _lint_keys(config, backlog)
    assert found.pop("W003")  # rank drift: the team's manual order differs from RICE's
    assert found == {
        "S001": {
            "SHOP-157",
            "SHOP-171",
            "SHOP-186",
            "SHOP-197",
            "SHOP-206",
            "SHOP-210",
            "SHOP-227",
        },
        "S002": {"SHOP-337", "SHOP-352"},
        "S003": {"SHOP-345"},
        "S004": {"SHOP-337"},
        "D002": {"SHOP-171", "SHOP-339", "SHOP-344", "SHOP-360", "SHOP-365", "SHOP-378"},
        "D003": {"SHOP-372", "SHOP-384", "SHOP-406"},
        "E001": {"SHOP-336", "SHOP-338", "SHOP-354", "SHOP-371", "SHOP-385", "SHOP-389"},
        "E002": {"SHOP-206", "SHOP-274", "SHOP-357", "SHOP-365"},
        "E003": {"SHOP-381", "SHOP-406"},
        "E004": {"SHOP-394"},
        "H002": {"SHOP-227"},
        "H003": ORPHANS | {"SHOP-227"},
        "H004": {"SHOP-388"},
        "H009": {"SHOP-333"},  # ranked above SHOP-271, which it depends on
        "H010": {"SHOP-310"},  # names the SEO agency, whom objectives.yaml does not declare
        "W001": {"SHOP-361"},
    }


def test_lint_suppression_on_the_parked_item_is_used(config: Config, backlog: Backlog) -> None:
    result = lint_backlog(backlog, config, as_of=AS_OF)
    assert result.suppressed == 1
    assert "SHOP-202" not in {finding.key for finding in result.findings if finding.code == "S001"}


def test_rank_json_through_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        app, ["rank", "--config", "examples/shop/backlogctl.yaml", "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    top = [item["key"] for item in document["items"][:3]]
    assert top == ["SHOP-398", "SHOP-345", "SHOP-394"]
    unscored = {item["key"]: item["reason"] for item in document["unscored"]}
    assert "effort" in unscored["SHOP-406"]
    assert "SHOP-381" in unscored
    assert not {"SHOP-139", "SHOP-148"} & {item["key"] for item in document["items"]}


def test_rank_through_the_console_script_from_another_directory(tmp_path: Path) -> None:
    """``sources:`` resolve against the config file, not the current directory."""
    script = shutil.which("backlogctl")
    assert script is not None
    environment = {**os.environ, "COLUMNS": "160", "NO_COLOR": "1"}
    completed = subprocess.run(
        [script, "rank", "--config", str(CONFIG), "--top", "5"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    lines = completed.stdout.splitlines()
    assert lines[0].startswith("Ranking by rice")
    assert "SHOP-398" in completed.stdout
    assert "Unscored" in completed.stdout


def _readme_commands() -> list[list[str]]:
    """The ``$ backlogctl ...`` lines of the README, without a trailing ``| jq ...``."""
    commands = []
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("$ backlogctl "):
            command = line.removeprefix("$ ").split(" | ")[0]
            commands.append(shlex.split(command)[1:])
    return commands


@pytest.mark.parametrize("arguments", _readme_commands(), ids=" ".join)
def test_readme_commands_run(arguments: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, arguments)
    # lint exits 1 because the example has an error-level finding (H002) on purpose.
    expected = 1 if arguments[0] == "lint" and "--select" not in arguments else 0
    assert result.exit_code == expected, result.stderr
    assert result.stdout.strip()
    assert result.stderr == ""


def test_readme_mover_claim(config: Config, backlog: Backlog) -> None:
    """The README: "the CFO's daily revenue report is 7th by WSJF and 57th by RICE"."""
    rice = rank_items(backlog.items, get_model("rice", config)).positions()
    wsjf = rank_items(backlog.items, get_model("wsjf", config)).positions()
    assert (wsjf["SHOP-338"], rice["SHOP-338"]) == (7, 57)
