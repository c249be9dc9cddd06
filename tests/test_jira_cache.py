"""Incremental sync: a repeat pull asks only for issues updated since the last one."""

from __future__ import annotations

from pathlib import Path

import pytest

from backlogctl.connectors.jira import pull_backlog, updated_since_jql
from jira_emulator import JiraEmulator, make_issue, make_issues
from jira_emulator.testing import TOKEN, cloud, config_for, jira_env, server

__all__ = ["cloud", "jira_env", "server"]  # fixtures used by name

JQL = "project = SHOP AND statusCategory != Done ORDER BY key ASC"


def _titles(result: object) -> dict[str, str]:
    return {item.key: item.title for item in result.backlog.items}  # type: ignore[attr-defined]


@pytest.fixture
def synced(cloud: JiraEmulator) -> JiraEmulator:
    """A Cloud emulator with 150 issues, pulled once in full (so the cache is warm)."""
    for issue in make_issues(150):
        cloud.add_issue(issue)
    first = pull_backlog(JQL, config_for(cloud))
    assert not first.incremental and len(first.backlog.items) == 150
    cloud.log.clear()
    return cloud


def test_repeat_pull_without_changes_is_one_search_request(synced: JiraEmulator) -> None:
    result = pull_backlog(JQL, config_for(synced))
    assert result.incremental
    assert [f"{e.method} {e.path}" for e in synced.log] == ["POST /rest/api/3/search/jql"]
    assert result.requests == 1 and result.fetched == 0
    assert [item.key for item in result.backlog.items] == [f"SHOP-{n}" for n in range(1, 151)]
    (search,) = synced.log
    # Changed issues that match the query, or that sit in a cached project (they may have
    # left the query): keys only, so the answer is one small page.
    assert search.body["jql"] == (
        'updated >= -6m AND ((project = SHOP AND statusCategory != Done) OR project in ("SHOP"))'
    )
    assert search.body["fields"] == ["key"]


def test_repeat_pull_after_an_update_fetches_only_that_issue(synced: JiraEmulator) -> None:
    synced.update_issue("SHOP-42", summary="Pay with one click")
    result = pull_backlog(JQL, config_for(synced))
    assert result.incremental and result.fetched == 1 and result.requests == 2
    assert synced.log[1].body["jql"] == (
        "(project = SHOP AND statusCategory != Done) AND key in (SHOP-42) ORDER BY key ASC"
    )
    titles = _titles(result)
    assert titles["SHOP-42"] == "Pay with one click"
    assert titles["SHOP-41"] == "Improve checkout step 41"
    assert len(titles) == 150


def test_a_new_issue_appears_on_the_next_incremental_pull(synced: JiraEmulator) -> None:
    import datetime as dt

    synced.add_issue(make_issue(151, updated=dt.datetime.now(dt.UTC)))
    result = pull_backlog(JQL, config_for(synced))
    assert result.incremental and result.fetched == 1
    assert result.backlog.items[-1].key == "SHOP-151"


def test_an_issue_that_leaves_the_query_is_dropped_incrementally(synced: JiraEmulator) -> None:
    synced.update_issue(
        "SHOP-9",
        status={"name": "Done", "statusCategory": {"id": 3, "key": "done", "name": "Done"}},
    )
    result = pull_backlog(JQL, config_for(synced))
    assert result.incremental and result.removed == 1 and result.requests == 2
    assert "SHOP-9" not in _titles(result) and len(result.backlog.items) == 149
    ranks = sorted(item.rank for item in result.backlog.items if item.rank is not None)
    assert ranks == list(range(1, 150))
    again = pull_backlog(JQL, config_for(synced))
    assert "SHOP-9" not in _titles(again)


def test_a_new_match_in_another_project_is_found(cloud: JiraEmulator) -> None:
    import datetime as dt

    query = "labels = checkout"
    cloud.add_issue(make_issue(2))
    pull_backlog(query, config_for(cloud))
    cloud.add_issue(make_issue(6, project="OPS", updated=dt.datetime.now(dt.UTC)))
    result = pull_backlog(query, config_for(cloud))
    assert result.incremental
    assert sorted(_titles(result)) == ["OPS-6", "SHOP-2"]


def test_deletions_are_detected_by_a_full_pull(synced: JiraEmulator) -> None:
    synced.delete_issue("SHOP-7")
    incremental = pull_backlog(JQL, config_for(synced))
    # An incremental pull cannot see deletions: that is what --full is for.
    assert "SHOP-7" in _titles(incremental)
    full = pull_backlog(JQL, config_for(synced), full=True)
    assert not full.incremental and full.removed == 1
    assert "SHOP-7" not in _titles(full) and len(full.backlog.items) == 149
    after = pull_backlog(JQL, config_for(synced))
    assert after.incremental and "SHOP-7" not in _titles(after)


def test_rank_positions_follow_an_incremental_rank_change(synced: JiraEmulator) -> None:
    synced.update_issue("SHOP-150", customfield_10019="0|a00000:")
    result = pull_backlog(JQL, config_for(synced))
    ranks = {item.key: item.rank for item in result.backlog.items}
    assert ranks["SHOP-150"] == 1
    assert ranks["SHOP-1"] == 2
    assert sorted(rank for rank in ranks.values() if rank is not None) == list(range(1, 151))


def test_a_different_mapping_or_query_does_not_reuse_the_cache(synced: JiraEmulator) -> None:
    other_mapping = pull_backlog(JQL, config_for(synced, fields={"estimate": "Story Points"}))
    assert not other_mapping.incremental
    other_query = pull_backlog("project = SHOP", config_for(synced))
    assert not other_query.incremental


def test_an_old_cache_is_refreshed_in_full(synced: JiraEmulator) -> None:
    result = pull_backlog(JQL, config_for(synced, full_sync_hours=0))
    assert not result.incremental and len(result.backlog.items) == 150


@pytest.mark.parametrize("when", ["full_at", "synced_at"])
def test_a_cache_dated_in_the_future_is_refreshed_in_full(
    synced: JiraEmulator, jira_env: Path, when: str
) -> None:
    # A clock set back (or a cache copied from another machine) must not make the cache
    # fresh forever: changes made before its date would never be fetched.
    import json

    (path,) = (jira_env / "jira").glob("*.meta.json")
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta[when] = "2099-01-01T00:00:00Z"
    path.write_text(json.dumps(meta), encoding="utf-8")
    synced.issues[41]["fields"]["summary"] = "Changed without touching updated"
    result = pull_backlog(JQL, config_for(synced))
    assert not result.incremental and len(result.backlog.items) == 150
    assert _titles(result)["SHOP-42"] == "Changed without touching updated"
    # The full pull wrote today's dates: the next pull is incremental again.
    assert pull_backlog(JQL, config_for(synced)).incremental


@pytest.mark.parametrize("damaged", ["items", "meta", "both"])
def test_a_damaged_cache_is_ignored(synced: JiraEmulator, jira_env: Path, damaged: str) -> None:
    for path in (jira_env / "jira").glob("*.json"):
        is_meta = path.name.endswith(".meta.json")
        if damaged == "both" or (damaged == "meta") == is_meta:
            path.write_text('{"format": 3, "items": [', encoding="utf-8")
    result = pull_backlog(JQL, config_for(synced))
    assert not result.incremental and len(result.backlog.items) == 150
    assert pull_backlog(JQL, config_for(synced)).incremental


def test_items_from_another_sync_are_not_trusted(synced: JiraEmulator, jira_env: Path) -> None:
    (meta,) = (jira_env / "jira").glob("*.meta.json")
    meta.write_text(
        meta.read_text(encoding="utf-8").replace('"items_stamp":"', '"items_stamp":"x'),
        encoding="utf-8",
    )
    result = pull_backlog(JQL, config_for(synced))
    assert not result.incremental and len(result.backlog.items) == 150


def test_the_cache_holds_no_credentials(synced: JiraEmulator, jira_env: Path) -> None:
    files = list((jira_env / "jira").iterdir())
    assert files
    for path in files:
        assert TOKEN not in path.read_text(encoding="utf-8")


def test_an_unwritable_cache_is_a_warning_not_an_error(
    cloud: JiraEmulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("BACKLOGCTL_CACHE_DIR", str(blocker))
    cloud.add_issue(make_issue(1))
    warnings: list[str] = []
    result = pull_backlog(JQL, config_for(cloud), warn=warnings.append)
    assert [item.key for item in result.backlog.items] == ["SHOP-1"]
    assert len(warnings) == 1 and warnings[0].startswith("cannot write the Jira cache")


def test_server_incremental_pulls(server: JiraEmulator) -> None:
    for issue in make_issues(25):
        server.add_issue(issue)
    pull_backlog(JQL, config_for(server))
    server.log.clear()
    assert pull_backlog(JQL, config_for(server)).incremental and len(server.log) == 1
    server.update_issue("SHOP-3", summary="Changed on the server")
    server.log.clear()
    result = pull_backlog(JQL, config_for(server))
    assert result.incremental and len(server.log) == 2
    assert _titles(result)["SHOP-3"] == "Changed on the server"


def test_cache_can_be_switched_off(cloud: JiraEmulator) -> None:
    cloud.add_issue(make_issue(1))
    config = config_for(cloud, cache=False)
    pull_backlog(JQL, config)
    assert not pull_backlog(JQL, config).incremental


@pytest.mark.parametrize(
    ("jql", "expected"),
    [
        ("project = SHOP", "(project = SHOP) AND updated >= -9m"),
        ("project = SHOP order by Rank", "(project = SHOP) AND updated >= -9m order by Rank"),
        ("ORDER BY key", "updated >= -9m ORDER BY key"),
    ],
)
def test_updated_since_keeps_order_by_last(jql: str, expected: str) -> None:
    assert updated_since_jql(jql, 9) == expected
