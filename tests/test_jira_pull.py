"""Pulling from the emulator over real HTTP with the real ``jira`` library: pagination on both
flavours, the requests each strategy makes, and the mapping of Jira fields to items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import pytest

from backlogctl.connectors.jira import pull_backlog, read_jira_backlog
from backlogctl.errors import InputError
from jira_emulator import JiraEmulator, adf_paragraph, make_issue, make_issues
from jira_emulator.testing import EMAIL, TOKEN, cloud, config_for, jira_env, server

__all__ = ["cloud", "jira_env", "server"]  # fixtures used by name

JQL = "project = SHOP ORDER BY key ASC"


@contextmanager
def _system_keyring(backend: Any) -> Iterator[None]:
    """``backend`` as the keyring library's backend for the block, the previous one after."""
    import keyring

    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def _paths(emulator: JiraEmulator) -> list[str]:
    return [f"{entry.method} {entry.path}" for entry in emulator.log]


@pytest.mark.parametrize("count", [0, 1, 100, 101, 250])
def test_cloud_pagination_boundaries(cloud: JiraEmulator, count: int) -> None:
    for issue in make_issues(count):
        cloud.add_issue(issue)
    result = pull_backlog(JQL, config_for(cloud))
    assert [item.key for item in result.backlog.items] == [f"SHOP-{n}" for n in range(1, count + 1)]
    searches = cloud.requests_to("/search/jql")
    bulk = cloud.requests_to("/issue/bulkfetch")
    if count <= 100:
        # One page with the mapped fields holds everything: no listing, no bulk fetch.
        assert len(searches) == 1 and not bulk
    else:
        # First page, then one id-only listing page, then the rest in bulk calls of <= 100.
        assert len(searches) == 2
        assert searches[1].body["fields"] == ["id"]
        assert len(bulk) == -(-(count - 100) // 100)
        assert all(len(entry.body["issueIdsOrKeys"]) <= 100 for entry in bulk)
    assert not cloud.requests_to("/rest/api/2/search")
    assert all(entry.status == 200 for entry in cloud.log)


def test_cloud_requests_only_the_mapped_fields(cloud: JiraEmulator) -> None:
    for issue in make_issues(3):
        cloud.add_issue(issue)
    pull_backlog(JQL, config_for(cloud))
    (search,) = cloud.requests_to("/search/jql")
    fields = search.body["fields"]
    assert "*all" not in fields and "*navigable" not in fields
    assert {"summary", "status", "customfield_10016", "customfield_10019"} <= set(fields)
    assert "comment" not in fields and "customfield_10200" not in fields
    assert search.path == "/rest/api/3/search/jql"


@pytest.mark.parametrize("count", [0, 1, 10, 11, 35])
def test_server_pagination_boundaries(server: JiraEmulator, count: int) -> None:
    for issue in make_issues(count):
        server.add_issue(issue)
    result = pull_backlog(JQL, config_for(server))
    assert [item.key for item in result.backlog.items] == [f"SHOP-{n}" for n in range(1, count + 1)]
    searches = server.requests_to("/rest/api/2/search")
    # The emulator caps pages at 10: the first page gives the total, the rest follow.
    assert len(searches) == max(1, -(-count // 10))
    assert sorted(entry.body["startAt"] for entry in searches) == list(range(0, max(count, 1), 10))
    assert not server.requests_to("/search/jql")
    assert _paths(server)[:2] == ["GET /rest/api/2/serverInfo", "GET /rest/api/2/field"]


def test_server_uses_bearer_token_and_api_v2_wiki_text(server: JiraEmulator) -> None:
    issue = make_issue(1, description=adf_paragraph("ignored in v2"))
    issue["wiki"] = {"description": "h2. Goal\n* faster checkout"}
    server.add_issue(issue)
    (item,) = pull_backlog(JQL, config_for(server)).backlog.items
    assert item.description == "h2. Goal\n* faster checkout"


def test_old_search_is_gone_on_cloud_and_says_where_to_go(cloud: JiraEmulator) -> None:
    from backlogctl.errors import SourceError

    cloud.add_issue(make_issue(1))
    with pytest.raises(SourceError) as caught:
        pull_backlog(JQL, config_for(cloud, deployment="server"))
    assert "HTTP 410" in caught.value.message
    assert "/rest/api/3/search/jql" in caught.value.message


def test_standard_and_custom_fields_map_to_the_item(cloud: JiraEmulator) -> None:
    cloud.add_issue(
        make_issue(
            7,
            summary="Express checkout",
            status="In Review",
            issuetype="Bug",
            labels=["checkout", "backlogctl-ignore-S001", "backlogctl-ignore-e002"],
            duedate="2026-03-31",
            resolutiondate="2026-02-01T08:00:00.000+0100",
            parent={"id": "10500", "key": "SHOP-500", "fields": {"summary": "Epic"}},
            customfield_10121=adf_paragraph("Pays in one click"),
            customfield_10130=12.5,
        )
    )
    config = config_for(
        cloud,
        fields={
            "estimate": "customfield_10016",
            "rice.reach": "reach",
            "rice.confidence": "Confidence",
            "wsjf.job_size": "Job Size",
            "objective": "Objective",
            "acceptance_criteria": "Acceptance Criteria",
            "fields.revenue": "Revenue Impact",
        },
    )
    (item,) = read_jira_backlog(JQL, config).items
    assert item.key == "SHOP-7"
    assert item.title == "Express checkout"
    assert (item.status, item.status_category, item.type) == ("In Review", "in_progress", "bug")
    assert (item.priority, item.reporter, item.assignee) == ("Medium", "Grace Hopper", None)
    assert item.components == ["Web"]
    assert item.parent == "SHOP-500"
    assert item.created == dt.datetime(2026, 1, 5, 9, 7, tzinfo=dt.UTC)
    assert item.due == dt.datetime(2026, 3, 31, tzinfo=dt.UTC)
    assert item.resolved == dt.datetime(2026, 2, 1, 7, 0, tzinfo=dt.UTC)
    assert item.description == "As a shopper I want step 7 to be faster."
    assert item.estimate == 8.0
    assert item.rice is not None and (item.rice.reach, item.rice.confidence) == (800.0, 0.8)
    assert item.wsjf is not None and item.wsjf.job_size == 8.0
    assert item.objective == "KR-2.1"
    assert item.acceptance_criteria == ["Pays in one click"]
    assert item.fields == {"revenue": 12.5}
    assert item.lint is not None and item.lint.ignore == ["S001", "E002"]
    assert str(item.source) == f"{cloud.url}/browse/SHOP-7"


def test_statuscategory_key_wins_over_the_localized_status_name(cloud: JiraEmulator) -> None:
    issue = make_issue(1)
    issue["fields"]["status"] = {
        "name": "In Arbeit",
        "statusCategory": {"id": 4, "key": "indeterminate", "name": "In Arbeit"},
    }
    cloud.add_issue(issue)
    (item,) = read_jira_backlog(JQL, config_for(cloud)).items
    assert (item.status, item.status_category) == ("In Arbeit", "in_progress")


def test_lexorank_becomes_the_position_in_rank_order(cloud: JiraEmulator) -> None:
    for number, lexorank in [(1, "0|i0000c:"), (2, "0|i00001:"), (3, None), (4, "0|i00005:")]:
        cloud.add_issue(make_issue(number, customfield_10019=lexorank))
    items = read_jira_backlog(JQL, config_for(cloud)).items
    assert {item.key: item.rank for item in items} == {
        "SHOP-1": 3,
        "SHOP-2": 1,
        "SHOP-3": None,
        "SHOP-4": 2,
    }


def test_a_value_of_the_wrong_type_is_a_warning_not_a_crash(cloud: JiraEmulator) -> None:
    cloud.add_issue(make_issue(1, customfield_10016="a lot"))
    warnings: list[str] = []
    (item,) = read_jira_backlog(JQL, config_for(cloud), warn=warnings.append).items
    assert item.estimate is None
    assert warnings == [
        f"{cloud.url}/browse/SHOP-1: estimate (customfield_10016): "
        "expected a number, got 'a lot'; ignored"
    ]


def test_changelog_gives_status_changed_only_when_asked(cloud: JiraEmulator) -> None:
    issue = make_issue(1)
    issue["changelog"] = [
        {
            "created": "2026-02-01T10:00:00.000+0000",
            "items": [{"field": "status", "toString": "In Progress"}],
        },
        {
            "created": "2026-02-03T10:00:00.000+0000",
            "items": [{"field": "labels", "toString": "x"}],
        },
        {
            "created": "2026-02-02T12:30:00.000+0000",
            "items": [{"field": "status", "toString": "In Review"}],
        },
    ]
    cloud.add_issue(issue)
    (plain,) = read_jira_backlog(JQL, config_for(cloud)).items
    assert plain.status_changed is None
    assert "expand" not in cloud.requests_to("/search/jql")[0].body
    (detailed,) = read_jira_backlog(JQL, config_for(cloud, changelog=True, cache=False)).items
    assert detailed.status_changed == dt.datetime(2026, 2, 2, 12, 30, tzinfo=dt.UTC)
    assert cloud.requests_to("/search/jql")[-1].body["expand"] == "changelog"


def test_env_vars_override_the_config(cloud: JiraEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    cloud.add_issue(make_issue(1))
    monkeypatch.setenv("BACKLOGCTL_JIRA_URL", cloud.url)
    monkeypatch.setenv("BACKLOGCTL_JIRA_EMAIL", EMAIL)
    monkeypatch.delenv("BACKLOGCTL_JIRA_TOKEN")
    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)
    config = config_for(cloud, url="https://wrong.example.invalid", email="someone@else.test")
    assert [item.key for item in read_jira_backlog(JQL, config).items] == ["SHOP-1"]


@pytest.mark.parametrize("flavour", ["cloud", "server"])
def test_the_jira_library_itself_pages_through_the_emulator(
    jira_env: object, flavour: Literal["cloud", "server"]
) -> None:
    from jira import JIRA

    issues = make_issues(130)
    with JiraEmulator(issues=issues, flavour=flavour, email=EMAIL, token=TOKEN) as emulator:
        auth = {"basic_auth": (EMAIL, TOKEN)} if flavour == "cloud" else {"token_auth": TOKEN}
        client = JIRA(server=emulator.url, max_retries=0, **auth)
        found = client.search_issues("project = SHOP", maxResults=False, fields="summary,status")
        assert [issue.key for issue in found] == [f"SHOP-{n}" for n in range(1, 131)]
        assert found[0].fields.status.statusCategory.key == "new"
        searched = [entry for entry in emulator.log if "/search" in entry.path]
        if flavour == "cloud":
            # The library pages Cloud with GET /search/jql and nextPageToken.
            assert {entry.path for entry in searched} == {"/rest/api/2/search/jql"}
            assert "nextPageToken" in searched[1].params
        else:
            assert {entry.path for entry in searched} == {"/rest/api/2/search"}
        assert client.approximate_issue_count("project = SHOP") == (
            130 if flavour == "cloud" else None
        )
        issue = client.issue("SHOP-3")
        assert (issue.key, issue.fields.summary) == ("SHOP-3", "Improve checkout step 3")
        # The library follows the issue's self URL, which points back at the emulator.
        assert issue.self == f"{emulator.url}/rest/api/2/issue/10003"


def test_token_from_the_system_keyring(
    cloud: JiraEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self) -> None:
            super().__init__()  # type: ignore[no-untyped-call]  # keyring is unannotated
            self.secrets: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.secrets.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.secrets[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.secrets.pop((service, username), None)

    backend = MemoryKeyring()
    with _system_keyring(backend):
        backend.set_password("backlogctl", cloud.url, TOKEN)
        monkeypatch.delenv("BACKLOGCTL_JIRA_TOKEN")
        cloud.add_issue(make_issue(1))
        assert [item.key for item in read_jira_backlog(JQL, config_for(cloud)).items] == ["SHOP-1"]


def test_a_broken_keyring_is_named_not_hidden(
    cloud: JiraEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyring.backend import KeyringBackend
    from keyring.errors import KeyringLocked

    class LockedKeyring(KeyringBackend):
        priority = 1

        def get_password(self, service: str, username: str) -> str | None:
            raise KeyringLocked(f"locked while reading {service}/{username}")

        def set_password(self, service: str, username: str, password: str) -> None:
            raise KeyringLocked("locked")

        def delete_password(self, service: str, username: str) -> None:
            raise KeyringLocked("locked")

    monkeypatch.delenv("BACKLOGCTL_JIRA_TOKEN")
    locked = LockedKeyring()  # type: ignore[no-untyped-call]  # keyring is unannotated
    with _system_keyring(locked), pytest.raises(InputError) as caught:
        read_jira_backlog(JQL, config_for(cloud))
    message = str(caught.value)
    assert message.startswith("no Jira API token: set BACKLOGCTL_JIRA_TOKEN")
    assert message.endswith("(the system keyring could not be read: KeyringLocked)")
    assert cloud.log == []  # nothing was sent without a token


def test_no_keyring_backend_is_not_reported_as_a_failure(
    cloud: JiraEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    monkeypatch.delenv("BACKLOGCTL_JIRA_TOKEN")
    # The fail backend is what keyring uses where no backend exists.
    fail = FailKeyring()  # type: ignore[no-untyped-call]  # keyring is unannotated
    with _system_keyring(fail), pytest.raises(InputError) as caught:
        read_jira_backlog(JQL, config_for(cloud))
    assert str(caught.value).endswith(f"under service 'backlogctl' and user '{cloud.url}'")
