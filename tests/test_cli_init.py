"""``backlogctl init`` leaves a working setup; ``config check`` reports sources that are missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.cli.starter import STARTER_CONFIG
from terminal import run_on_terminal

runner = CliRunner()


def test_init_in_an_empty_directory_writes_both_files_and_says_what_to_run(
    workdir: Path,
) -> None:
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "wrote backlogctl.yaml\n"
        "wrote backlog.yaml (a starter backlog: edit it or change 'sources:')\n"
        "next:\n"
        "  backlogctl rank    # order the backlog by RICE\n"
        "  backlogctl lint    # check it against the hygiene rules\n"
    )
    assert sorted(path.name for path in workdir.iterdir()) == ["backlog.yaml", "backlogctl.yaml"]


def test_rank_lint_and_config_check_work_on_the_starter(workdir: Path) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    ranked = runner.invoke(app, ["rank", "--format", "json"])
    assert ranked.exit_code == 0, ranked.output
    document = json.loads(ranked.stdout)
    assert [item["key"] for item in document["items"]] == ["DEMO-2", "DEMO-3"]
    assert {item["key"] for item in document["unscored"]} == {"DEMO-1", "DEMO-4"}
    linted = runner.invoke(app, ["lint", "--format", "json"])
    assert linted.exit_code == 0, linted.output
    assert linted.stderr == ""
    checked = runner.invoke(app, ["config", "check"])
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.endswith(
        "backlogctl.yaml: ok (default model: rice; custom: value_per_point)\n"
    )
    custom = runner.invoke(app, ["rank", "--model", "value_per_point", "--format", "json"])
    assert [item["key"] for item in json.loads(custom.stdout)["items"]] == ["DEMO-2", "DEMO-3"]


def test_init_dir_writes_into_that_directory_and_names_the_config_to_use(workdir: Path) -> None:
    result = runner.invoke(app, ["init", "planning/team a"])
    assert result.exit_code == 0, result.output
    target = workdir / "planning" / "team a"
    assert (target / "backlogctl.yaml").is_file() and (target / "backlog.yaml").is_file()
    assert "  backlogctl rank --config 'planning/team a/backlogctl.yaml'" in result.stdout
    ranked = runner.invoke(
        app, ["rank", "--config", "planning/team a/backlogctl.yaml", "--format", "csv"]
    )
    assert ranked.exit_code == 0, ranked.output
    assert "DEMO-2" in ranked.stdout


def test_init_keeps_an_existing_backlog(workdir: Path) -> None:
    mine = "items:\n  - {key: MINE-1, title: Mine}\n"
    (workdir / "backlog.yaml").write_text(mine, encoding="utf-8")
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert "kept backlog.yaml (already there)\n" in result.stdout
    assert (workdir / "backlog.yaml").read_text(encoding="utf-8") == mine


def test_init_refuses_to_overwrite_a_config_without_force(workdir: Path) -> None:
    (workdir / "backlogctl.yaml").write_text("default_model: ice\n", encoding="utf-8")
    refused = runner.invoke(app, ["init"])
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == (
        "backlogctl: error: backlogctl.yaml: already exists (use --force to overwrite)\n"
    )
    assert (workdir / "backlogctl.yaml").read_text(encoding="utf-8") == "default_model: ice\n"
    assert not (workdir / "backlog.yaml").exists()
    forced = runner.invoke(app, ["init", "--force"])
    assert forced.exit_code == 0, forced.output
    assert (workdir / "backlogctl.yaml").read_text(encoding="utf-8") == STARTER_CONFIG


def test_config_check_names_a_missing_source_and_exits_2(workdir: Path) -> None:
    (workdir / "backlogctl.yaml").write_text(
        "default_model: rice\nsources:\n  - backlog.yaml\n  - more/\n", encoding="utf-8"
    )
    (workdir / "backlog.yaml").write_text("items: []\n", encoding="utf-8")
    result = runner.invoke(app, ["config", "check"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"backlogctl: error: {workdir / 'backlogctl.yaml'}:4: sources: 'more' not found\n"
    )


def test_config_check_counts_further_missing_sources(workdir: Path) -> None:
    (workdir / "backlogctl.yaml").write_text("sources: [a.yaml, b.yaml, c]\n", encoding="utf-8")
    result = runner.invoke(app, ["config", "check", "--config", "backlogctl.yaml"])
    assert result.exit_code == 2
    assert result.stderr == (
        "backlogctl: error: backlogctl.yaml:1: sources: 'a.yaml' not found (and 2 more)\n"
    )


def test_init_shows_a_hostile_directory_name_inert(workdir: Path) -> None:
    result = runner.invoke(app, ["init", "x\n::error ::pwned\x1b[2J"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote x\\x0a::error ::pwned\\x1b[2J/backlogctl.yaml\n")
    assert "\x1b" not in result.stdout
    assert not any(line.startswith("::") for line in result.stdout.splitlines())


ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("columns", [60, 80])
def test_config_check_fits_a_narrow_terminal(columns: int) -> None:
    code, text = run_on_terminal(
        ["config", "check", "--config", "examples/shop/backlogctl.yaml"], columns, cwd=ROOT
    )
    assert code == 0, text
    lines = text.splitlines()
    assert [line for line in lines if len(line) > columns] == []
    assert lines[0] == "examples/shop/backlogctl.yaml: ok"
    assert "default model: rice" in text
    assert "cautious_rice, commercial, value_per_point" in " ".join(text.split())


def test_config_check_is_one_line_on_a_wide_terminal_and_when_piped() -> None:
    arguments = ["config", "check", "--config", "examples/shop/backlogctl.yaml"]
    line = (
        "examples/shop/backlogctl.yaml: ok "
        "(default model: rice; custom: cautious_rice, commercial, value_per_point)\n"
    )
    assert run_on_terminal(arguments, 200, cwd=ROOT) == (0, line)
    piped = subprocess.run(
        [shutil.which("backlogctl") or "backlogctl", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        timeout=60,
        check=False,
    )
    assert (piped.returncode, piped.stdout) == (0, line)


def test_the_starter_shows_a_key_result_target_and_stakeholder_declarations(
    workdir: Path,
) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    okr = runner.invoke(app, ["okr", "--format", "json"])
    assert okr.exit_code == 0, okr.output
    result = json.loads(okr.stdout)["objectives"][0]["key_results"][0]
    assert (result["key"], result["metric_progress"]) == ("KR-1.1", pytest.approx(2 / 7))
    config = (workdir / "backlogctl.yaml").read_text(encoding="utf-8")
    uncommented = config.replace("# stakeholders:", "stakeholders:").replace("#   - ", "  - ")
    (workdir / "backlogctl.yaml").write_text(uncommented, encoding="utf-8")
    shown = runner.invoke(app, ["stakeholders", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    quadrants = {
        entry["name"]: entry["quadrant"] for entry in json.loads(shown.stdout)["stakeholders"]
    }
    assert quadrants == {"Marketing": "manage_closely", "Customer service": "keep_informed"}
