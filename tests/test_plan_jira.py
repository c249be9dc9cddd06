"""``backlogctl plan --jql`` over real HTTP to the Jira emulator: "is blocked by" links as
dependencies, a done issue outside the query met, an open one and a deleted one explained."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from jira_emulator import JiraEmulator, link, make_issue
from jira_emulator.testing import cloud, jira_env, write_config

__all__ = ["cloud", "jira_env"]  # fixtures used by name


def test_plan_from_jira_resolves_links_outside_the_query(
    cloud: JiraEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Estimates (Story point estimate = number % 8 + 1): SHOP-1 2, SHOP-2 3, SHOP-3 4, SHOP-4 5.
    issues = {f"SHOP-{n}": make_issue(n, lean=True) for n in range(1, 6)}
    issues["OPS-7"] = make_issue(7, project="OPS", status="Done", lean=True)
    issues["OPS-8"] = make_issue(8, project="OPS", status="In Progress", lean=True)
    issues["OPS-9"] = make_issue(9, project="OPS", lean=True)
    link(issues["SHOP-1"], issues["SHOP-2"])  # SHOP-2 is blocked by SHOP-1
    link(issues["OPS-7"], issues["SHOP-3"])
    link(issues["OPS-9"], issues["SHOP-4"])
    link(issues["OPS-8"], issues["SHOP-1"], "Relates")
    for issue in issues.values():
        cloud.add_issue(issue)
    cloud.delete_issue("OPS-9")
    link(issues["OPS-8"], issues["SHOP-4"])
    cloud.update_issue("SHOP-4", issuelinks=issues["SHOP-4"]["fields"]["issuelinks"])
    link(issues["OPS-8"], issues["SHOP-5"])
    cloud.update_issue("SHOP-5", issuelinks=issues["SHOP-5"]["fields"]["issuelinks"])
    monkeypatch.chdir(tmp_path)
    config = write_config(tmp_path, cloud)
    result = CliRunner().invoke(
        app,
        [
            "plan",
            "--config",
            str(config),
            "--jql",
            "project = SHOP ORDER BY key ASC",
            "--capacity",
            "20",
            "--sprints",
            "1",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    planned = [item["key"] for item in document["sprints"][0]["items"]]
    # SHOP-3 waits only for OPS-7, which is done: met.
    assert sorted(planned) == ["SHOP-1", "SHOP-2", "SHOP-3"]
    assert planned.index("SHOP-1") < planned.index("SHOP-2")
    unplanned = {
        entry["key"]: (entry["reason"], entry["detail"]) for entry in document["unplanned"]
    }
    assert unplanned == {
        # OPS-9 was deleted: unknown, which counts before the open OPS-8.
        "SHOP-4": ("unknown_dependency", "depends on OPS-9, which is not in the backlog"),
        "SHOP-5": ("dependency_not_planned", "depends on OPS-8, not done outside the backlog"),
    }
