"""backlogctl's own writes are not activity: a pulled issue's ``updated`` is its last change
by someone else (or to something backlogctl does not write), read from changelogs and comments."""

from __future__ import annotations

import datetime as dt

import pytest

from backlogctl.connectors.jira import pull_backlog
from backlogctl.connectors.jira_activity import MARK_MARKER
from backlogctl.connectors.jira_cache import load_writes, record_writes
from backlogctl.models import BacklogItem
from jira_emulator import JiraEmulator, make_issue
from jira_emulator.history import (
    HUMAN_EDIT,
    MYSELF,
    account,
    add_comment,
    add_history,
    labels_change,
)
from jira_emulator.testing import EMAIL, cloud, config_for, jira_env, server

__all__ = ["cloud", "jira_env", "server"]  # fixtures used by name

LABEL = "backlogctl-flagged"
CREATED = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
HUMAN = account("Grace Hopper")
JQL = "project = SHOP"


def _day(number: int) -> dt.datetime:
    return CREATED + dt.timedelta(days=number)


def _pull(emulator: JiraEmulator, **settings: object) -> dict[str, BacklogItem]:
    result = pull_backlog(JQL, config_for(emulator, **settings))
    return {item.key: item for item in result.backlog.items}


def _marked(emulator: JiraEmulator, number: int, *, worked: int = 10) -> None:
    """An issue a person last edited on day ``worked``, then labelled by backlogctl today."""
    emulator.add_issue(make_issue(number, created=CREATED, updated=_day(worked), lean=True))
    key = f"SHOP-{number}"
    add_history(
        emulator,
        key,
        [{"field": "summary", "fieldId": "summary", "fromString": "a", "toString": "b"}],
        author=HUMAN,
        when=_day(worked),
    )
    issue = emulator.issue(key)
    assert issue is not None
    before = list(issue["fields"]["labels"])
    emulator.update_issue(key, labels=[*before, LABEL])
    add_history(emulator, key, [labels_change(before, [*before, LABEL])])


@pytest.fixture(params=["cloud", "server"])
def emulator(request: pytest.FixtureRequest) -> JiraEmulator:
    """Both flavours."""
    found: JiraEmulator = request.getfixturevalue(request.param)
    return found


def test_the_mark_label_write_is_not_activity(emulator: JiraEmulator) -> None:
    _marked(emulator, 1)
    emulator.add_issue(make_issue(2, created=CREATED, updated=_day(3), lean=True))
    items = _pull(emulator)
    assert items["SHOP-1"].updated == _day(10)
    assert items["SHOP-2"].updated == _day(3)  # untouched by backlogctl: Jira's date as is


def test_no_extra_request_without_own_writes(emulator: JiraEmulator) -> None:
    emulator.add_issue(make_issue(2, created=CREATED, updated=_day(3), lean=True, labels=["x"]))
    _pull(emulator)
    assert emulator.requests_to("changelog") == []
    assert emulator.requests_to("myself") == []
    assert not any(request.body and "comment" in str(request.body) for request in emulator.log)


def test_a_change_by_another_account_counts(emulator: JiraEmulator) -> None:
    _marked(emulator, 1)
    add_history(emulator, "SHOP-1", [labels_change([LABEL], [LABEL, "ux"])], author=HUMAN)
    after = _pull(emulator)["SHOP-1"].updated
    assert after is not None and after > _day(300)


def test_own_account_changing_another_field_or_label_counts(emulator: JiraEmulator) -> None:
    _marked(emulator, 1)
    _marked(emulator, 2)
    add_history(
        emulator,
        "SHOP-1",
        [{"field": "priority", "fieldId": "priority", "fromString": "Medium", "toString": "High"}],
        when=_day(40),
    )
    add_history(emulator, "SHOP-2", [labels_change([LABEL], [LABEL, "checkout"])], when=_day(41))
    items = _pull(emulator)
    assert items["SHOP-1"].updated == _day(40)
    assert items["SHOP-2"].updated == _day(41)


def test_comments_by_others_count_and_the_mark_comment_does_not(emulator: JiraEmulator) -> None:
    _marked(emulator, 1)
    _marked(emulator, 2)
    _marked(emulator, 3)
    add_comment(emulator, "SHOP-1", f"Flagged as stale.\n{MARK_MARKER}", when=_day(50))
    add_comment(emulator, "SHOP-2", "Still needed, see the roadmap.", author=HUMAN, when=_day(51))
    add_comment(emulator, "SHOP-3", "I looked at it myself.", author=MYSELF, when=_day(52))
    items = _pull(emulator)
    assert items["SHOP-1"].updated == _day(10)
    assert items["SHOP-2"].updated == _day(51)
    assert items["SHOP-3"].updated == _day(52)


def test_recorded_score_writes_are_not_activity(emulator: JiraEmulator) -> None:
    # SHOP-4 carries no mark label: only the record says backlogctl pushed its score.
    emulator.add_issue(make_issue(4, created=CREATED, updated=_day(5), lean=True))
    score = {
        "field": "Revenue Impact",
        "fieldId": "customfield_10130",
        "fieldtype": "custom",
        "fromString": "1",
        "toString": "2",
    }
    add_history(emulator, "SHOP-4", [score])
    assert record_writes(emulator.url, EMAIL if emulator.flavour == "cloud" else None, {}) is None
    assert (
        record_writes(
            emulator.url,
            EMAIL if emulator.flavour == "cloud" else None,
            {"SHOP-4": ["customfield_10130"]},
        )
        is None
    )
    assert _pull(emulator)["SHOP-4"].updated == CREATED  # no other change: its creation


def test_the_record_keeps_what_was_written(jira_env: object) -> None:
    first = record_writes("https://jira.example", "a@b", {"SHOP-1": ["labels"]}, labels=[LABEL])
    assert first is None
    record_writes("https://jira.example", "a@b", {"SHOP-1": ["comment"], "SHOP-2": ["labels"]})
    writes = load_writes("https://jira.example", "a@b")
    assert writes.issues == {
        "SHOP-1": frozenset({"labels", "comment"}),
        "SHOP-2": frozenset({"labels"}),
    }
    assert writes.labels == frozenset({LABEL})
    assert load_writes("https://jira.example", "other@b").issues == {}


def test_a_custom_mark_label_is_judged_the_same(cloud: JiraEmulator) -> None:
    cloud.add_issue(make_issue(1, created=CREATED, updated=_day(2), lean=True))
    add_history(cloud, "SHOP-1", [labels_change([], ["stale-ticket"])])
    cloud.update_issue("SHOP-1", labels=["stale-ticket"])
    items = _pull(cloud, mark={"label": "stale-ticket"})
    assert items["SHOP-1"].updated == CREATED


def test_the_configured_score_field_is_own_without_a_record(emulator: JiraEmulator) -> None:
    _marked(emulator, 1)
    score = {"field": "Revenue Impact", "fieldId": "customfield_10130", "fieldtype": "custom"}
    add_history(emulator, "SHOP-1", [{**score, "fromString": "1", "toString": "2"}])
    assert _pull(emulator)["SHOP-1"].updated != _day(10)  # not known as backlogctl's: activity
    items = _pull(emulator, push={"score_field": "Revenue Impact"})
    assert items["SHOP-1"].updated == _day(10)


def test_bulk_changelogs_are_read_page_after_page(cloud: JiraEmulator) -> None:
    from backlogctl.connectors import jira_activity

    _marked(cloud, 1)
    for day in range(20, 60):  # after the label: the last of these is the activity
        add_history(cloud, "SHOP-1", [HUMAN_EDIT], author=HUMAN, when=_day(day), bump=False)
    page = jira_activity.CHANGELOG_PAGE
    jira_activity.CHANGELOG_PAGE = 7
    try:
        items = _pull(cloud)
    finally:
        jira_activity.CHANGELOG_PAGE = page
    assert items["SHOP-1"].updated == _day(59)
    assert len(cloud.requests_to("changelog/bulkfetch")) == 6  # 42 histories, 7 per page


def test_the_extra_reads_are_batched(cloud: JiraEmulator) -> None:
    for number in range(1, 151):
        cloud.add_issue(
            make_issue(number, created=CREATED, updated=_day(3), lean=True, labels=[LABEL])
        )
    before = len(cloud.log)
    pull_backlog(JQL, config_for(cloud))
    pulled = cloud.log[before:]
    # 150 labelled issues: who am I (1), comments through issue/bulkfetch (2 x 100), the
    # changelogs through changelog/bulkfetch (1 x 1,000): 4 requests beyond the pull itself.
    assert len([r for r in pulled if r.path.endswith("/myself")]) == 1
    assert len([r for r in pulled if "changelog/bulkfetch" in r.path]) == 1
    comment_reads = [
        r for r in pulled if "issue/bulkfetch" in r.path and r.body.get("fields") == ["comment"]
    ]
    assert len(comment_reads) == 2
