"""Jira write plans and their application against the emulator over real HTTP.

The plan document (save, load, validation, the operations bound) and ``apply_plan``: the
emulator's final state, request counts, per-issue failures, early stops, retries.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backlogctl.connectors.jira_credentials import resolve_credentials
from backlogctl.connectors.jira_write import WriteClient
from backlogctl.errors import InputError
from backlogctl.sync.jira_apply import STOP_AFTER, apply_plan
from backlogctl.sync.jira_plan import (
    AddComment,
    AddLabel,
    JiraPlan,
    RankMove,
    RemoveLabel,
    SetField,
    check_bound,
    load_plan,
    plan_document,
    save_plan,
)
from jira_emulator import Fault, JiraEmulator, make_issues
from jira_emulator.testing import cloud, config_for, jira_env, secret_forms, server

__all__ = ["cloud", "jira_env", "server"]  # fixtures used by name

SCORE = "customfield_10130"


def _client(emulator: JiraEmulator, count: int = 6) -> WriteClient:
    for issue in make_issues(count, lean=True):
        emulator.add_issue(issue)
    config = config_for(emulator)
    client = WriteClient(resolve_credentials(config), config)
    client.detect_deployment()
    return client


def _plan(*operations: object, board: list[str] | None = None) -> JiraPlan:
    return JiraPlan.of(list(operations), server="x", jql="project = SHOP", board_order=board or [])


def _board(emulator: JiraEmulator) -> list[str]:
    ordered = sorted(emulator.issues, key=lambda issue: issue["fields"]["customfield_10019"])
    return [issue["key"] for issue in ordered]


def _writes(emulator: JiraEmulator) -> list[str]:
    return [f"{entry.method} {entry.path}" for entry in emulator.log if entry.method != "GET"]


# -- the document ------------------------------------------------------------------------


def test_plan_document_has_the_documented_shape_and_round_trips(tmp_path: Path) -> None:
    plan = _plan(
        SetField(key="SHOP-1", field=SCORE, old=None, new=12.5),
        AddLabel(key="SHOP-2", new="backlogctl-flagged"),
        RemoveLabel(key="SHOP-3", old="backlogctl-flagged"),
        AddComment(key="SHOP-2", new="Flagged by backlogctl"),
        RankMove(keys=["SHOP-3", "SHOP-1"], before="SHOP-2"),
        board=["SHOP-1", "SHOP-2", "SHOP-3"],
    )
    document = plan_document(plan)
    assert document["schema_version"] == 1
    assert document["count"] == 5
    assert document["operations"][0] == {
        "op": "set_field",
        "key": "SHOP-1",
        "field": SCORE,
        "old": None,
        "new": 12.5,
    }
    assert document["operations"][1] == {
        "op": "add_label",
        "key": "SHOP-2",
        "field": "labels",
        "old": None,
        "new": "backlogctl-flagged",
    }
    assert document["operations"][4] == {
        "op": "rank",
        "keys": ["SHOP-3", "SHOP-1"],
        "before": "SHOP-2",
    }
    path = tmp_path / "plan.json"
    save_plan(plan, path)
    assert json.loads(path.read_text(encoding="utf-8")) == document
    assert load_plan(path) == plan


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{\n  oops", "plan.json:2: not a JSON plan"),
        (
            '{"schema_version": 2, "operations": [], "count": 0}',
            "unsupported plan schema_version 2",
        ),
        ("[]", "not a plan: expected a JSON object"),
        (
            '{"schema_version": 1, "operations": [], "count": 3}',
            "'count' is 3 but the plan holds 0 operations",
        ),
        (
            '{"schema_version": 1, "count": 1, "operations": '
            '[{"op": "rank", "keys": ["A-1"], "before": "A-2", "after": "A-3"}]}',
            "operations.0: a rank operation needs exactly one of 'before' and 'after'",
        ),
        (
            '{"schema_version": 1, "count": 1, "operations": [{"op": "delete", "key": "A-1"}]}',
            "operations.0",
        ),
        (
            '{"schema_version": 1, "count": 1, "operations": '
            '[{"op": "set_field", "key": "A-1", "field": "x", "new": 1, "extra": 2}]}',
            "operations.0.extra",
        ),
        # A hand-edited plan must not reach other endpoints: an issue key is a key.
        (
            '{"schema_version": 1, "count": 1, "operations": [{"op": "set_field", '
            '"key": "A-1/../../../user", "field": "x", "new": 1}]}',
            "operations.0.key: not a Jira issue key: 'A-1/../../../user'",
        ),
        (
            '{"schema_version": 1, "count": 1, "operations": '
            '[{"op": "rank", "keys": ["A-1", "A-2?x=1"], "before": "A-3"}]}',
            "operations.0.keys.1: not a Jira issue key",
        ),
        (
            '{"schema_version": 1, "count": 1, "operations": '
            '[{"op": "rank", "keys": ["A-1"], "after": "../A-3"}]}',
            "operations.0.after: not a Jira issue key",
        ),
        (
            '{"schema_version": 1, "count": 0, "operations": [], "board_order": ["A 1"]}',
            "board_order.0: not a Jira issue key",
        ),
        (
            '{"schema_version": 1, "count": 1, "operations": '
            '[{"op": "set_field", "key": "A-1", "field": "x", "new": NaN}]}',
            "operations.0.new",
        ),
    ],
)
def test_a_bad_plan_file_is_one_line_and_exit_2(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_plan(path)
    assert caught.value.exit_code == 2
    assert message in caught.value.render()
    assert "\n" not in caught.value.render()


def test_a_missing_plan_file_is_exit_2(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the plan"):
        load_plan(tmp_path / "nope.json")


def test_the_bound_refuses_a_larger_plan() -> None:
    plan = _plan(*[SetField(key=f"SHOP-{n}", field=SCORE, new=float(n)) for n in range(1, 4)])
    check_bound(plan, 3)
    with pytest.raises(InputError, match="3 write operations, more than --max-operations 2"):
        check_bound(plan, 2)


# -- applying ------------------------------------------------------------------------------


def test_apply_writes_fields_labels_comments_and_rank(cloud: JiraEmulator) -> None:
    client = _client(cloud)
    cloud.update_issue("SHOP-3", labels=["keep", "backlogctl-flagged"])
    plan = _plan(
        SetField(key="SHOP-1", field=SCORE, old=1001.0, new=12.5),
        AddLabel(key="SHOP-2", new="backlogctl-flagged"),
        RemoveLabel(key="SHOP-3", old="backlogctl-flagged"),
        AddComment(key="SHOP-2", new="Flagged by backlogctl\n\nsecond paragraph"),
        RankMove(keys=["SHOP-5", "SHOP-4"], before="SHOP-1"),
        RankMove(keys=["SHOP-2"], after="SHOP-6"),
    )
    report = apply_plan(client, plan)
    assert report.complete
    assert [outcome.status for outcome in report.outcomes] == ["done"] * 6
    issue = {issue["key"]: issue["fields"] for issue in cloud.issues}
    assert issue["SHOP-1"][SCORE] == 12.5
    assert issue["SHOP-2"]["labels"] == ["checkout", "backlogctl-flagged"]
    assert issue["SHOP-3"]["labels"] == ["keep"]
    assert issue["SHOP-2"]["comment"]["comments"][0]["body"]["content"][1] == {
        "type": "paragraph",
        "content": [{"type": "text", "text": "second paragraph"}],
    }
    assert _board(cloud) == ["SHOP-5", "SHOP-4", "SHOP-1", "SHOP-3", "SHOP-6", "SHOP-2"]
    writes = _writes(cloud)
    assert sorted(writes) == sorted(
        [
            "PUT /rest/api/3/issue/SHOP-1",
            "PUT /rest/api/3/issue/SHOP-2",
            "PUT /rest/api/3/issue/SHOP-3",
            "POST /rest/api/3/issue/SHOP-2/comment",
            "PUT /rest/agile/1.0/issue/rank",
            "PUT /rest/agile/1.0/issue/rank",
        ]
    )
    label_edit = next(e for e in cloud.log if e.path.endswith("SHOP-3") and e.method == "PUT")
    assert label_edit.body == {"update": {"labels": [{"remove": "backlogctl-flagged"}]}}
    score_edit = next(e for e in cloud.log if e.path.endswith("SHOP-1") and e.method == "PUT")
    assert score_edit.body == {"fields": {SCORE: 12.5}}
    assert score_edit.params == {}


def test_server_uses_api_2_and_plain_comment_text(server: JiraEmulator) -> None:
    client = _client(server, 2)
    report = apply_plan(
        client,
        _plan(SetField(key="SHOP-1", field=SCORE, new=3.0), AddComment(key="SHOP-1", new="hi")),
    )
    assert report.complete
    assert sorted(_writes(server)) == [
        "POST /rest/api/2/issue/SHOP-1/comment",
        "PUT /rest/api/2/issue/SHOP-1",
    ]
    assert client.comments("SHOP-1")[0].text == "hi"


def test_one_issue_failing_does_not_stop_the_others(cloud: JiraEmulator) -> None:
    client = _client(cloud)
    cloud.writes.off_screen["SHOP-2"] = {SCORE}
    plan = _plan(*[SetField(key=f"SHOP-{n}", field=SCORE, new=float(n)) for n in range(1, 7)])
    report = apply_plan(client, plan, concurrency=1)
    statuses = {outcome.op.key: outcome.status for outcome in report.outcomes}  # type: ignore[union-attr]
    assert statuses == {f"SHOP-{n}": "failed" if n == 2 else "done" for n in range(1, 7)}
    failed = next(outcome for outcome in report.outcomes if outcome.status == "failed")
    assert failed.message == (
        f"HTTP 400: {SCORE}: Field '{SCORE}' cannot be set. "
        "It is not on the appropriate screen, or unknown."
    )
    assert not report.complete and report.stops == []
    assert {issue["key"]: issue["fields"][SCORE] for issue in cloud.issues}["SHOP-6"] == 6.0


def test_a_field_on_no_screen_stops_early_and_is_reported_once(cloud: JiraEmulator) -> None:
    client = _client(cloud, 10)
    cloud.writes.off_screen["*"] = {SCORE}
    plan = _plan(
        *[SetField(key=f"SHOP-{n}", field=SCORE, new=float(n)) for n in range(1, 11)],
        AddLabel(key="SHOP-1", new="ok"),
    )
    report = apply_plan(client, plan, concurrency=1)
    assert report.counted("failed") == STOP_AFTER
    assert report.counted("not_sent") == 10 - STOP_AFTER
    assert report.counted("done") == 1  # the label is another field
    assert len(report.stops) == 1
    assert report.stops[0].startswith(f"{SCORE}: the first {STOP_AFTER} writes all failed")
    assert len([e for e in cloud.log if e.method == "PUT" and e.status == 400]) == STOP_AFTER


def test_no_notify_without_admin_rights_says_so(cloud: JiraEmulator) -> None:
    client = _client(cloud, 4)
    cloud.writes.admin = False
    plan = _plan(*[SetField(key=f"SHOP-{n}", field=SCORE, new=1.0) for n in range(1, 5)])
    report = apply_plan(client, plan, notify=False, concurrency=1)
    assert report.counted("failed") == STOP_AFTER and report.counted("not_sent") == 1
    assert "admin" in report.outcomes[0].message
    assert "run without --no-notify" in report.outcomes[0].message
    assert cloud.log[-1].params == {"notifyUsers": ["false"]}


def test_429_mid_apply_is_retried(cloud: JiraEmulator) -> None:
    client = _client(cloud, 4)
    cloud.faults.append(Fault("status", "/issue/SHOP-", status=429, retry_after=0, skip=1, times=2))
    plan = _plan(*[SetField(key=f"SHOP-{n}", field=SCORE, new=7.0) for n in range(1, 5)])
    assert apply_plan(client, plan, concurrency=1).complete
    assert [issue["fields"][SCORE] for issue in cloud.issues] == [7.0] * 4
    assert len([e for e in cloud.log if e.status == 429]) == 2


def test_a_comment_is_not_retried_after_a_5xx(cloud: JiraEmulator) -> None:
    client = _client(cloud, 1)
    cloud.faults.append(Fault("status", "/comment", status=502))
    report = apply_plan(client, _plan(AddComment(key="SHOP-1", new="once")))
    assert report.outcomes[0].status == "failed"
    assert len(cloud.requests_to("/comment")) == 1


def test_a_partial_rank_answer_is_reported_per_issue(cloud: JiraEmulator) -> None:
    client = _client(cloud, 5)
    cloud.writes.unrankable = {"SHOP-4"}
    report = apply_plan(client, _plan(RankMove(keys=["SHOP-5", "SHOP-4"], before="SHOP-1")))
    assert report.outcomes[0].status == "failed"
    assert report.outcomes[0].message == "partly: 1 not moved: SHOP-4: The issue cannot be ranked."
    assert _board(cloud) == ["SHOP-5", "SHOP-1", "SHOP-2", "SHOP-3", "SHOP-4"]


def test_a_failed_rank_move_holds_back_the_later_ones(cloud: JiraEmulator) -> None:
    client = _client(cloud, 5)
    cloud.faults.append(Fault("status", "/issue/rank", status=400))
    report = apply_plan(
        client,
        _plan(
            RankMove(keys=["SHOP-5"], before="SHOP-1"), RankMove(keys=["SHOP-4"], after="SHOP-5")
        ),
    )
    assert [outcome.status for outcome in report.outcomes] == ["failed", "not_sent"]
    assert len(cloud.requests_to("/issue/rank")) == 1


def test_skips_are_reported_and_not_sent(cloud: JiraEmulator) -> None:
    client = _client(cloud, 2)
    plan = _plan(
        SetField(key="SHOP-1", field=SCORE, new=1.0), SetField(key="SHOP-2", field=SCORE, new=2.0)
    )
    report = apply_plan(client, plan, skips={0: "changed since the plan"})
    assert [(o.status, o.message) for o in report.outcomes] == [
        ("skipped", "changed since the plan"),
        ("done", ""),
    ]
    assert _writes(cloud) == ["PUT /rest/api/3/issue/SHOP-2"]


def test_a_token_never_appears_in_failures(cloud: JiraEmulator) -> None:
    client = _client(cloud, 3)
    cloud.echo_auth = True
    cloud.writes.off_screen["*"] = {SCORE}
    plan = _plan(*[SetField(key=f"SHOP-{n}", field=SCORE, new=1.0) for n in range(1, 4)])
    report = apply_plan(client, plan)
    text = "\n".join([*report.stops, *(outcome.message for outcome in report.outcomes)])
    assert "cannot be set" in text
    for secret in secret_forms():
        assert secret not in text


def test_every_write_bumps_updated(cloud: JiraEmulator) -> None:
    client = _client(cloud, 3)
    before = {issue["key"]: issue["fields"]["updated"] for issue in cloud.issues}
    plan = _plan(
        SetField(key="SHOP-1", field=SCORE, new=1.0),
        AddComment(key="SHOP-2", new="hello"),
        RankMove(keys=["SHOP-3"], before="SHOP-1"),
    )
    assert apply_plan(client, plan).complete
    after = {issue["key"]: issue["fields"]["updated"] for issue in cloud.issues}
    assert all(after[key] > before[key] for key in before)


def test_edits_refuse_wrong_types_and_labels_with_spaces(cloud: JiraEmulator) -> None:
    client = _client(cloud, 2)
    report = apply_plan(
        client,
        _plan(SetField(key="SHOP-1", field=SCORE, new="high"), AddLabel(key="SHOP-2", new="a b")),
    )
    assert [o.message for o in report.outcomes] == [
        f"HTTP 400: {SCORE}: Operation value must be a number.",
        "HTTP 400: labels: The label 'a b' contains spaces which is invalid.",
    ]


def test_rank_calls_over_the_limit_are_refused_by_the_emulator(cloud: JiraEmulator) -> None:
    client = _client(cloud, 3)
    cloud.writes.rank_limit = 1
    report = apply_plan(client, _plan(RankMove(keys=["SHOP-3", "SHOP-2"], before="SHOP-1")))
    assert report.outcomes[0].message == "HTTP 400: Cannot rank more than 1 issues at once."
