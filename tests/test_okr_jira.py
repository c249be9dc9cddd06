"""``okr`` and ``stakeholders`` over a Jira backlog (the emulator, through the real client):
objectives and stakeholders come from the config, items from the JQL result."""

from __future__ import annotations

import json
from pathlib import Path

import yaml_rs
from typer.testing import CliRunner

from backlogctl.cli.app import app
from jira_emulator import JiraEmulator, make_issue
from jira_emulator.testing import STORY_MAPPING, cloud, jira_env, jira_section

__all__ = ["cloud", "jira_env"]  # fixtures used by name

JQL = "project = SHOP"


def _config(workdir: Path, emulator: JiraEmulator) -> None:
    # Jira's labels stand in for a stakeholder field: issues with an even number carry one.
    fields = {**STORY_MAPPING, "stakeholders": "Labels"}
    document = {
        "jira": jira_section(emulator, jql=JQL, fields=fields),
        "objectives": [
            {
                "key": "O2",
                "title": "Findability",
                "key_results": [
                    {"key": "KR-2.1", "title": "Zero results", "start": 9, "target": 4,
                     "current": 8},
                ],
            }
        ],
        "stakeholders": [{"name": "Ada Lovelace", "influence": "high", "interest": "low"}],
    }  # fmt: skip
    (workdir / "backlogctl.yaml").write_text(yaml_rs.dumps(document), encoding="utf-8")


def test_okr_counts_jira_issues_against_the_configs_key_results(
    cloud: JiraEmulator, workdir: Path
) -> None:
    # Every emulated issue serves KR-2.1 (its Objective field); estimates are number % 8 + 1.
    for number in (1, 2, 3):
        cloud.add_issue(make_issue(number))
    cloud.add_issue(make_issue(4, status="Done"))
    _config(workdir, cloud)
    result = CliRunner().invoke(app, ["okr", "--format", "json", "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.stderr
    objective = json.loads(result.stdout)["objectives"][0]
    kr = objective["key_results"][0]
    assert (kr["key"], kr["open_items"], kr["open_points"]) == ("KR-2.1", 3, 2 + 3 + 4)
    assert (kr["done_items"], kr["done_points"]) == (1, 5)
    assert kr["metric_progress"] == (8 - 9) / (4 - 9)


def test_stakeholders_use_the_configs_declarations(cloud: JiraEmulator, workdir: Path) -> None:
    for number in (1, 2):
        cloud.add_issue(make_issue(number))
    _config(workdir, cloud)
    result = CliRunner().invoke(app, ["stakeholders", "--format", "json", "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    found = [(s["name"], s["declared"], s["quadrant"]) for s in document["stakeholders"]]
    assert found == [("Ada Lovelace", True, "keep_satisfied"), ("checkout", False, None)]
    assert [item["key"] for item in document["stakeholders"][1]["open"]] == ["SHOP-2"]
