"""snapshot and diff with a Jira source (``--jql``), through the real client against the
emulator: the ranking moves when an issue's field changes in Jira, and the history never
holds the token."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from backlogctl.cli.app import app
from jira_emulator import JiraEmulator, make_issues
from jira_emulator.testing import cloud, jira_env, secret_forms, write_config

__all__ = ["cloud", "jira_env"]  # fixtures used by name

JQL = "project = SHOP"


def test_a_jira_backlog_snapshot_and_its_diff(cloud: JiraEmulator, workdir: Path) -> None:
    for issue in make_issues(6):
        cloud.add_issue(issue)
    write_config(workdir, cloud)
    taken = CliRunner().invoke(app, ["snapshot", "--jql", JQL, "--note", "before"])
    assert taken.exit_code == 0, taken.stderr
    history = workdir / ".backlogctl" / "history.sqlite"
    assert history.is_file()

    # RICE here: reach 100 * (n % 10 + 1), impact 2, confidence 0.8, effort n % 5 + 1.
    cloud.update_issue("SHOP-1", customfield_10101=30.0)  # impact 2 -> 30
    result = CliRunner().invoke(app, ["diff", "--jql", JQL, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["from"]["note"] == "before"
    first = document["moves"][0]
    assert (first["key"], first["to_rank"]) == ("SHOP-1", 1)
    assert first["changes"] == [{"field": "rice.impact", "old": 2.0, "new": 30.0}]
    assert all(move["changes"] == [] for move in document["moves"][1:])

    listed = CliRunner().invoke(app, ["snapshot", "--list", "--format", "json"])
    assert json.loads(listed.stdout)["snapshots"][0]["sources"] == f"jql: {JQL}"
    content = history.read_bytes()
    assert all(form.encode() not in content for form in secret_forms())
