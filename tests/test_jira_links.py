"""Jira "is blocked by" links as dependencies, over real HTTP to the emulator: the mapping,
the status lookup of linked issues outside the query (Cloud and Server/DC), the cache on
incremental pulls, ``jira.dependency_links`` (custom types, ``[]`` turns it off)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.connectors.jira import pull_backlog
from backlogctl.models import Backlog
from jira_emulator import Fault, JiraEmulator, link, make_issue
from jira_emulator.testing import cloud, config_for, jira_env, jira_section, server

__all__ = ["cloud", "jira_env", "server"]  # fixtures used by name

JQL = "project = SHOP ORDER BY key ASC"


def _shop(emulator: JiraEmulator, *, extra: int = 0) -> dict[str, dict[str, Any]]:
    """SHOP-1..4 in the query, OPS-7 (done), OPS-8 (in progress), OPS-9 (deleted) outside.

    SHOP-2 is blocked by SHOP-1 (inside the query), SHOP-3 by OPS-7 and OPS-8, SHOP-4 by
    OPS-9 (a link to an issue deleted since, as a stale cache or a permission change leaves
    it) and SHOP-1 merely relates to OPS-8. ``extra`` adds OPS issues 100.. blocking SHOP-4.
    """
    issues = {f"SHOP-{n}": make_issue(n, lean=True) for n in range(1, 5)}
    issues["OPS-7"] = make_issue(7, project="OPS", status="Done", lean=True)
    issues["OPS-8"] = make_issue(8, project="OPS", status="In Progress", lean=True)
    issues["OPS-9"] = make_issue(9, project="OPS", lean=True)
    link(issues["SHOP-1"], issues["SHOP-2"])
    link(issues["OPS-7"], issues["SHOP-3"])
    link(issues["OPS-8"], issues["SHOP-3"])
    link(issues["OPS-9"], issues["SHOP-4"])
    link(issues["SHOP-1"], issues["OPS-8"], "Relates")
    for number in range(100, 100 + extra):
        issues[f"OPS-{number}"] = make_issue(number, project="OPS", status="Done", lean=True)
        link(issues[f"OPS-{number}"], issues["SHOP-4"])
    for issue in issues.values():
        emulator.add_issue(issue)
    emulator.delete_issue("OPS-9")
    return issues


def _depends(backlog: Backlog) -> dict[str, list[str]]:
    return {item.key: item.depends_on for item in backlog.items}


def _lookups(emulator: JiraEmulator) -> list[Any]:
    """The status lookups: bulk fetches (Cloud) or searches by key list (Server/DC)."""
    if emulator.flavour == "cloud":
        return emulator.requests_to("/issue/bulkfetch")
    return [
        entry
        for entry in emulator.requests_to("/rest/api/2/search")
        if str(entry.body.get("jql", "")).startswith("key in")
    ]


@pytest.mark.parametrize("flavour", ["cloud", "server"])
def test_blocked_by_links_become_depends_on_and_outside_statuses_are_looked_up(
    flavour: str, request: pytest.FixtureRequest
) -> None:
    emulator: JiraEmulator = request.getfixturevalue(flavour)
    _shop(emulator)
    backlog = pull_backlog(JQL, config_for(emulator)).backlog
    assert _depends(backlog) == {
        "SHOP-1": [],
        "SHOP-2": ["SHOP-1"],
        "SHOP-3": ["OPS-7", "OPS-8"],
        "SHOP-4": ["OPS-9"],
    }
    # OPS-9 no longer exists: unknown, so it is not among the statuses.
    assert backlog.dependency_statuses == {"OPS-7": "done", "OPS-8": "in_progress"}
    searched = emulator.requests_to("/search")[0].body["fields"]
    assert "issuelinks" in searched
    lookups = _lookups(emulator)
    if flavour == "cloud":
        # One bulk fetch, status only, every outside key once; the missing one is reported
        # by Jira in issueErrors, not refused.
        (lookup,) = lookups
        assert lookup.body == {"issueIdsOrKeys": ["OPS-7", "OPS-8", "OPS-9"], "fields": ["status"]}
    else:
        # `key in (...)` is refused for the whole list when one key does not exist: asked
        # again without the key Jira named.
        assert [entry.status for entry in lookups] == [400, 200]
        assert lookups[1].body["jql"] == 'key in ("OPS-7", "OPS-8")'
        assert lookups[1].body["fields"] == ["status"]


def test_lookups_are_batched(cloud: JiraEmulator) -> None:
    _shop(cloud, extra=150)
    backlog = pull_backlog(JQL, config_for(cloud)).backlog
    assert len(backlog.dependency_statuses) == 152
    sizes = [len(entry.body["issueIdsOrKeys"]) for entry in _lookups(cloud)]
    assert sorted(sizes) == [53, 100]


def test_server_splits_a_refused_batch_when_the_reply_names_no_key(server: JiraEmulator) -> None:
    _shop(server)
    # The first lookup gets a 400 that names no key (another wording, another language).
    server.faults.append(
        Fault(
            "body",
            path="/rest/api/2/search",
            status=400,
            body='{"errorMessages": ["Die Anfrage ist ungültig."], "errors": {}}',
            skip=1,
        )
    )
    backlog = pull_backlog(JQL, config_for(server)).backlog
    assert backlog.dependency_statuses == {"OPS-7": "done", "OPS-8": "in_progress"}
    asked = [entry.body["jql"] for entry in _lookups(server)]
    assert asked == [
        'key in ("OPS-7", "OPS-8", "OPS-9")',  # refused by the fault
        'key in ("OPS-7")',
        'key in ("OPS-8", "OPS-9")',  # refused: OPS-9 does not exist
        'key in ("OPS-8")',
    ]


def test_an_empty_dependency_links_turns_dependencies_off(cloud: JiraEmulator) -> None:
    _shop(cloud)
    backlog = pull_backlog(JQL, config_for(cloud, dependency_links=[])).backlog
    assert all(not depends for depends in _depends(backlog).values())
    assert backlog.dependency_statuses == {}
    assert "issuelinks" not in cloud.requests_to("/search/jql")[0].body["fields"]
    assert not _lookups(cloud)


def test_other_link_types_by_name_case_insensitive(cloud: JiraEmulator) -> None:
    _shop(cloud)
    backlog = pull_backlog(JQL, config_for(cloud, dependency_links=["relates"])).backlog
    # OPS-8 relates to SHOP-1 from the outward side: it is SHOP-1 that shows on OPS-8's
    # inward side, not the other way round, so no SHOP item depends on anything.
    assert all(not depends for depends in _depends(backlog).values())
    cloud.add_issue(make_issue(20, lean=True))
    fresh = make_issue(21, lean=True)
    link(make_issue(30, project="OPS", status="Done", lean=True), fresh, "Relates")
    cloud.add_issue(fresh)
    config = config_for(cloud, dependency_links=["RELATES", "Blocks"], cache=False)
    backlog = pull_backlog(JQL, config).backlog
    assert _depends(backlog)["SHOP-21"] == ["OPS-30"]
    assert _depends(backlog)["SHOP-3"] == ["OPS-7", "OPS-8"]


def test_incremental_pulls_keep_outside_statuses_current(cloud: JiraEmulator) -> None:
    issues = _shop(cloud)
    config = config_for(cloud)
    first = pull_backlog(JQL, config)
    assert not first.incremental
    # Nothing changed: one key-only listing, no lookup.
    cloud.log.clear()
    again = pull_backlog(JQL, config)
    assert again.incremental
    assert again.backlog.dependency_statuses == {"OPS-7": "done", "OPS-8": "in_progress"}
    assert not _lookups(cloud)
    assert len(cloud.requests_to("/search/jql")) == 1
    # OPS-8 is done now (SHOP-3 itself does not change): the listing covers OPS, so the
    # next pull asks for OPS-8's status, and only for it.
    cloud.update_issue("OPS-8", status={**issues["OPS-7"]["fields"]["status"]})
    cloud.log.clear()
    later = pull_backlog(JQL, config)
    assert later.incremental
    assert later.backlog.dependency_statuses == {"OPS-7": "done", "OPS-8": "done"}
    assert [entry.body["issueIdsOrKeys"] for entry in _lookups(cloud)] == [["OPS-8"]]
    # SHOP-1 gets a new blocker outside the query: asked for once.
    blocker = make_issue(40, project="OPS", status="In Progress", lean=True)
    cloud.add_issue(blocker)
    links = [*issues["SHOP-1"]["fields"]["issuelinks"]]
    link(blocker, issues["SHOP-1"])
    cloud.update_issue("SHOP-1", issuelinks=issues["SHOP-1"]["fields"]["issuelinks"])
    cloud.log.clear()
    last = pull_backlog(JQL, config)
    assert last.incremental
    assert _depends(last.backlog)["SHOP-1"] == ["OPS-40"]
    assert last.backlog.dependency_statuses["OPS-40"] == "in_progress"
    # OPS-8 again: the listing overlaps the last pull by a few minutes (clock skew).
    assert [entry.body["issueIdsOrKeys"] for entry in _lookups(cloud)] == [["OPS-40", "OPS-8"]]
    # The link goes away again: OPS-40 is no longer a dependency, nor in the statuses.
    cloud.update_issue("SHOP-1", issuelinks=links)
    final = pull_backlog(JQL, config)
    assert "OPS-40" not in final.backlog.dependency_statuses
    assert _depends(final.backlog)["SHOP-1"] == []


def test_lint_over_jira_reports_only_the_missing_dependency(
    cloud: JiraEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    _shop(cloud)
    config = tmp_path / "backlogctl.yaml"
    config.write_text(json.dumps({"jira": jira_section(cloud)}), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app,
        ["lint", "--jql", JQL, "--select", "H007,H008", "--as-of", "2026-11-25"],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        f"{cloud.url}/browse/SHOP-4: H007 [warning] SHOP-4: "
        "depends on OPS-9, which is not in the backlog"
    )
    assert "OPS-7" not in result.stdout and "OPS-8" not in result.stdout


def test_a_snapshot_keeps_dependencies_and_outside_statuses_offline(
    cloud: JiraEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from backlogctl.config import Config
    from backlogctl.loader import load_backlog

    _shop(cloud)
    (tmp_path / "backlogctl.yaml").write_text(
        json.dumps({"jira": jira_section(cloud)}), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    pulled = CliRunner().invoke(app, ["jira", "pull", "--jql", JQL, "-o", "snapshot.yaml"])
    assert pulled.exit_code == 0, pulled.stderr
    offline = load_backlog(["snapshot.yaml"], Config())
    assert offline.warnings == []
    assert offline.dependency_statuses == {"OPS-7": "done", "OPS-8": "in_progress"}
    assert _depends(offline)["SHOP-3"] == ["OPS-7", "OPS-8"]
    result = CliRunner().invoke(
        app, ["lint", "snapshot.yaml", "--select", "H007", "--format", "json"]
    )
    assert [finding["key"] for finding in json.loads(result.stdout)["findings"]] == ["SHOP-4"]
