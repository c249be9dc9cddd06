"""``backlogctl jira push`` end to end against the emulator: what a user sees, what Jira holds.

Scores: RICE over the emulator's mapped inputs, written to "Revenue Impact" (a number field
the model does not read). Board order: the issues' Rank values (``0|i00001:`` ...).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config
from backlogctl.loader import load_backlog
from backlogctl.scoring.ranking import rank_items
from backlogctl.scoring.registry import get_model
from backlogctl.sync.jira_push import pushed_score
from jira_emulator import Fault, JiraEmulator, make_issue, make_issues
from jira_emulator.testing import cloud, config_for, jira_env, secret_forms, server, write_config
from test_jira_push_moves import longest_increasing

__all__ = ["cloud", "jira_env", "server"]  # fixtures used by name

JQL = "project = SHOP"
SCORE = "customfield_10130"
RANK = "customfield_10019"
PUSH = ["jira", "push", "--jql", JQL, "-m", "rice"]


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _setup(emulator: JiraEmulator, workdir: Path, count: int, **config: object) -> None:
    for issue in make_issues(count, lean=True):
        emulator.add_issue(issue)
    write_config(workdir, emulator, cache=False, **config)


def _board(emulator: JiraEmulator) -> list[str]:
    return [issue["key"] for issue in sorted(emulator.issues, key=lambda i: i["fields"][RANK])]


def _model_order(emulator: JiraEmulator) -> list[tuple[str, float]]:
    """The RICE order and scores of the open issues, computed apart from the command."""
    config: Config = config_for(emulator, cache=False)
    backlog = load_backlog([], config, jql=JQL)
    ranking = rank_items(backlog.items, get_model("rice", config))
    return [(entry.item.key, entry.value) for entry in ranking.entries()]


def _writes(emulator: JiraEmulator) -> list[str]:
    return [f"{e.method} {e.path}" for e in emulator.log if e.method in ("PUT", "POST")
            and "search" not in e.path and "bulkfetch" not in e.path]  # fmt: skip


def _moved(emulator: JiraEmulator) -> int:
    return sum(len(e.body["issues"]) for e in emulator.requests_to("/issue/rank"))


def _set_board(emulator: JiraEmulator, keys: list[str]) -> None:
    for index, key in enumerate(keys):
        emulator.update_issue(key, **{RANK: f"0|i{index:05d}:"})


def test_dry_run_shows_the_changes_and_writes_nothing(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 6)
    code, stdout, stderr = _invoke(*PUSH, "--score-field", "Revenue Impact", "--rank")
    assert code == 0, stderr
    assert _writes(cloud) == []
    lines = stdout.splitlines()
    assert lines[0] == f"Push to Jira: scores to Revenue Impact ({SCORE}) and Jira Rank"
    assert lines[2].split() == ["Key", "Title", "Score", "Position"]
    order = _model_order(cloud)
    top_key, top_score = order[0]
    top_line = next(line for line in lines if line.startswith(top_key + " "))
    old = cloud.issue(top_key)["fields"][SCORE]  # type: ignore[index]
    assert f"{old:.0f} → {pushed_score(top_score):g}" in top_line
    assert "→ 1" in top_line
    # stdout is the table alone; the summary (with the global-Rank caveat) is on stderr.
    assert "Rank is global" in stderr
    assert "write operation" not in stdout and "write operation" in stderr
    assert "dry run: nothing was written; add --apply to write" in stderr


def test_apply_writes_scores_and_order_then_a_rerun_writes_nothing(
    cloud: JiraEmulator, workdir: Path
) -> None:
    _setup(cloud, workdir, 12)
    code, _, stderr = _invoke(*PUSH, "--score-field", "Revenue Impact", "--rank", "--apply")
    assert code == 0, stderr
    order = _model_order(cloud)
    assert _board(cloud) == [key for key, _ in order]
    for key, value in order:
        assert cloud.issue(key)["fields"][SCORE] == pushed_score(value)  # type: ignore[index]
    score_writes = [w for w in _writes(cloud) if w.startswith("PUT /rest/api/3/issue/")]
    assert len(score_writes) == 12
    assert "applied" in stderr and "0 failed" not in stderr
    cloud.log.clear()
    code, stdout, stderr = _invoke(*PUSH, "--score-field", "Revenue Impact", "--rank", "--apply")
    assert code == 0, stderr
    assert _writes(cloud) == []
    assert "Nothing to change." in stdout
    assert "nothing to write: Jira already matches" in stderr


def test_only_differing_scores_are_written(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 5)
    for key, value in _model_order(cloud)[:3]:
        cloud.update_issue(key, **{SCORE: pushed_score(value)})
    code, _, stderr = _invoke(*PUSH, "--score-field", SCORE, "--apply")
    assert code == 0, stderr
    assert len(_writes(cloud)) == 2


def test_one_item_out_of_place_moves_one_issue(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 10)
    target = [key for key, _ in _model_order(cloud)]
    board = target[:]
    board.insert(7, board.pop(2))
    _set_board(cloud, board)
    code, _, stderr = _invoke(*PUSH, "--rank", "--apply")
    assert code == 0, stderr
    assert _writes(cloud) == ["PUT /rest/agile/1.0/issue/rank"]
    assert _moved(cloud) == 1
    assert _board(cloud) == target


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_shuffled_board_moves_n_minus_lis_issues(
    cloud: JiraEmulator, workdir: Path, seed: int
) -> None:
    _setup(cloud, workdir, 40)
    board = [f"SHOP-{n}" for n in range(1, 41)]
    random.Random(seed).shuffle(board)
    _set_board(cloud, board)
    # Ties in the model break by the current Rank (mapped as the items' rank): read after.
    target = [key for key, _ in _model_order(cloud)]
    assert longest_increasing([target.index(key) for key in board]) < 30
    cloud.log.clear()
    code, _, stderr = _invoke(*PUSH, "--rank", "--apply")
    assert code == 0, stderr
    position = {key: index for index, key in enumerate(target)}
    assert _moved(cloud) == len(board) - longest_increasing([position[key] for key in board])
    assert _board(cloud) == target


def test_long_runs_go_in_calls_of_at_most_50(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 120)
    for issue in cloud.issues:  # distinct scores: no tie broken by the current order
        number = int(issue["key"].split("-")[1])
        cloud.update_issue(issue["key"], customfield_10100=float(1000 + number))
    target = [key for key, _ in _model_order(cloud)]
    _set_board(cloud, target[::-1])
    cloud.log.clear()
    code, _, stderr = _invoke(*PUSH, "--rank", "--apply")
    assert code == 0, stderr
    calls = [entry.body for entry in cloud.requests_to("/issue/rank")]
    # One issue stays (a longest increasing run of a reversed board is 1 long); the other
    # 119 form one run: 50, then 50 and 19 each anchored after the one before.
    assert [len(body["issues"]) for body in calls] == [50, 50, 19]
    assert calls[1]["rankAfterIssue"] == calls[0]["issues"][-1]
    assert calls[2]["rankAfterIssue"] == calls[1]["issues"][-1]
    assert _board(cloud) == target


def test_unscored_done_and_out_of_query_issues_are_left_alone(
    cloud: JiraEmulator, workdir: Path
) -> None:
    _setup(cloud, workdir, 4)
    cloud.add_issue(make_issue(5, lean=True, customfield_10100=None))  # no reach: unscored
    cloud.add_issue(make_issue(6, lean=True, status="Done"))
    cloud.add_issue(make_issue(7, lean=True, project="OPS"))
    before = {key: dict(cloud.issue(key)["fields"]) for key in ("SHOP-5", "SHOP-6", "OPS-7")}  # type: ignore[index]
    _set_board(cloud, ["SHOP-5", "SHOP-6", "OPS-7", "SHOP-4", "SHOP-3", "SHOP-2", "SHOP-1"])
    code, stdout, stderr = _invoke(*PUSH, "--score-field", "Revenue Impact", "--rank")
    assert code == 0, stderr
    assert "Not scored (their score field keeps its value):" in stdout
    assert any(line.startswith("SHOP-5 ") and "1005" in line for line in stdout.splitlines())
    code, _, stderr = _invoke(*PUSH, "--score-field", "Revenue Impact", "--rank", "--apply")
    assert code == 0, stderr
    for key, fields in before.items():
        assert cloud.issue(key)["fields"][SCORE] == fields[SCORE]  # type: ignore[index]
    board = _board(cloud)
    assert board[:3] == ["SHOP-5", "SHOP-6", "OPS-7"]
    moved = {
        key for body in (e.body for e in cloud.requests_to("/issue/rank")) for key in body["issues"]
    }
    assert moved <= {"SHOP-1", "SHOP-2", "SHOP-3", "SHOP-4"}


def test_json_plan_is_the_documented_contract(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 3)
    _set_board(cloud, ["SHOP-1", "SHOP-2", "SHOP-3"])
    code, stdout, _ = _invoke(*PUSH, "--score-field", "Revenue Impact", "--rank", "-f", "json")
    assert code == 0
    document = json.loads(stdout)
    assert document["schema_version"] == 1
    assert document["count"] == len(document["operations"])
    ops = document["operations"]
    assert {op["op"] for op in ops} <= {"set_field", "rank"}
    for op in ops:
        if op["op"] == "set_field":
            assert set(op) == {"op", "key", "field", "old", "new"} and op["field"] == SCORE
        else:
            assert set(op) in ({"op", "keys", "before"}, {"op", "keys", "after"})
    assert document["server"] == cloud.url and document["jql"] == JQL
    assert document["unscored"] == []


def test_the_bound_warns_in_a_dry_run_and_refuses_an_apply(
    cloud: JiraEmulator, workdir: Path
) -> None:
    _setup(cloud, workdir, 5)
    code, stdout, stderr = _invoke(*PUSH, "--score-field", SCORE, "--max-operations", "3")
    assert code == 0
    assert "write operations" not in stdout
    assert "the plan has 5 write operations, more than --max-operations 3" in stderr
    assert "backlogctl: 5 write operations (--max-operations 3)." in stderr
    code, _, stderr = _invoke(*PUSH, "--score-field", SCORE, "--max-operations", "3", "--apply")
    assert code == 2
    assert "nothing was written" in stderr
    assert _writes(cloud) == []


def test_the_bound_comes_from_the_config(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 5, push={"score_field": "Revenue Impact", "max_operations": 2})
    code, _, stderr = _invoke(*PUSH, "--apply")
    assert code == 2
    assert "more than --max-operations 2" in stderr


def test_apply_plan_skips_a_value_changed_since_the_plan(
    cloud: JiraEmulator, workdir: Path
) -> None:
    _setup(cloud, workdir, 4)
    code, _, stderr = _invoke(*PUSH, "--score-field", SCORE, "--plan-out", "plan.json")
    assert code == 0, stderr
    assert "plan saved to plan.json (4 operations)" in stderr
    cloud.update_issue("SHOP-2", **{SCORE: 42.0})
    code, stdout, stderr = _invoke("jira", "push", "--apply-plan", "plan.json")
    assert code == 0
    assert "skip: SHOP-2 customfield_10130" in stdout and "(now '42')" in stdout
    assert _writes(cloud) == []
    code, _, stderr = _invoke("jira", "push", "--apply-plan", "plan.json", "--apply")
    assert code == 0, stderr
    assert "skipped: SHOP-2 customfield_10130" in stderr
    assert "changed since the plan (now '42')" in stderr
    assert cloud.issue("SHOP-2")["fields"][SCORE] == 42.0  # type: ignore[index]
    assert len(_writes(cloud)) == 3


def test_apply_plan_skips_rank_moves_when_the_order_changed(
    cloud: JiraEmulator, workdir: Path
) -> None:
    _setup(cloud, workdir, 6)
    target = [key for key, _ in _model_order(cloud)]
    _set_board(cloud, target[::-1])
    assert _invoke(*PUSH, "--rank", "--plan-out", "plan.json")[0] == 0
    _set_board(cloud, [*target[::-1][1:], target[-1]])
    cloud.log.clear()
    code, _, stderr = _invoke("jira", "push", "--apply-plan", "plan.json", "--apply")
    assert code == 0, stderr
    assert "the current order of the plan's issues is no longer the one" in stderr
    assert cloud.requests_to("/issue/rank") == []


def test_apply_plan_refuses_options_that_would_change_it(
    cloud: JiraEmulator, workdir: Path
) -> None:
    _setup(cloud, workdir, 1)
    Path("plan.json").write_text('{"schema_version": 1, "operations": [], "count": 0}')
    code, _, stderr = _invoke("jira", "push", "--apply-plan", "plan.json", "--rank")
    assert code == 2
    assert "leave out --rank" in stderr
    code, _, stderr = _invoke(
        "jira", "push", "--apply-plan", "plan.json", "--plan-out", "other.json"
    )
    assert code == 2


def test_a_bad_plan_file_is_one_line_exit_2(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 1)
    Path("plan.json").write_text('{"schema_version": 1,\n "operations": [}')
    code, stdout, stderr = _invoke("jira", "push", "--apply-plan", "plan.json", "--apply")
    assert (code, stdout) == (2, "")
    assert stderr.startswith("backlogctl: error: plan.json:2: not a JSON plan")
    assert len(stderr.splitlines()) == 1


def test_a_hand_edited_key_never_reaches_another_endpoint(
    cloud: JiraEmulator, workdir: Path
) -> None:
    _setup(cloud, workdir, 1)
    operation = {"op": "set_field", "field": SCORE, "old": None, "new": 1.0}
    plan = {"schema_version": 1, "server": cloud.url, "jql": JQL, "count": 1}
    for key in ("SHOP-1/../../../myself", "SHOP-1?fields=x", "SHOP-1#"):
        plan["operations"] = [{**operation, "key": key}]
        Path("plan.json").write_text(json.dumps(plan), encoding="utf-8")
        code, stdout, stderr = _invoke("jira", "push", "--apply-plan", "plan.json", "--apply")
        assert (code, stdout) == (2, "")
        assert stderr.startswith("backlogctl: error: plan.json: invalid plan: operations.0.key:")
        assert "not a Jira issue key" in stderr
    assert cloud.log == []  # refused before any request


def test_a_plan_for_another_server_is_refused(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 1)
    Path("plan.json").write_text(
        '{"schema_version": 1, "server": "https://other.example", "operations": [], "count": 0}'
    )
    code, _, stderr = _invoke("jira", "push", "--apply-plan", "plan.json", "--apply")
    assert code == 2
    assert "the plan was made for 'https://other.example'" in stderr


def test_partial_failure_exits_3_and_a_rerun_completes(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 6)
    cloud.writes.off_screen["SHOP-3"] = {SCORE}
    code, _, stderr = _invoke(*PUSH, "--score-field", SCORE, "--apply")
    assert code == 3
    assert (
        f"failed: SHOP-3 {SCORE} = " in stderr
        and f"Field '{SCORE}' cannot be set. It is not on the appropriate screen" in stderr
    )
    assert "applied 6 operations: 5 done, 1 failed" in stderr
    cloud.writes.off_screen.clear()
    cloud.log.clear()
    code, _, stderr = _invoke(*PUSH, "--score-field", SCORE, "--apply")
    assert code == 0, stderr
    assert _writes(cloud) == ["PUT /rest/api/3/issue/SHOP-3"]


def test_a_field_on_no_screen_is_reported_once(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 8)
    cloud.writes.off_screen["*"] = {SCORE}
    code, _, stderr = _invoke(*PUSH, "--score-field", SCORE, "--apply")
    assert code == 3
    assert stderr.count("the first 3 writes all failed the same way") == 1
    assert len(_writes(cloud)) < 8


def test_no_notify_without_admin_rights(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 2)
    cloud.writes.admin = False
    code, _, stderr = _invoke(*PUSH, "--score-field", SCORE, "--apply", "--no-notify")
    assert code == 3
    assert "run without --no-notify" in stderr
    code, _, stderr = _invoke(*PUSH, "--score-field", SCORE, "--apply")
    assert code == 0, stderr


def test_rate_limits_mid_apply_are_retried(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 5)
    cloud.faults.append(Fault("status", "/issue/SHOP-", status=429, retry_after=0, skip=2, times=2))
    cloud.faults.append(Fault("status", "/issue/rank", status=503, times=1))
    _set_board(cloud, [key for key, _ in _model_order(cloud)][::-1])
    code, _, stderr = _invoke(*PUSH, "--score-field", SCORE, "--rank", "--apply")
    assert code == 0, stderr
    assert [key for key, _ in _model_order(cloud)] == _board(cloud)


def test_server_dc_writes_through_api_2(server: JiraEmulator, workdir: Path) -> None:
    _setup(server, workdir, 3)
    code, _, stderr = _invoke(*PUSH, "--score-field", SCORE, "--apply")
    assert code == 0, stderr
    assert {w.rsplit("/", 1)[0] for w in _writes(server)} == {"PUT /rest/api/2/issue"}


def test_nothing_to_push_and_missing_fields_are_exit_2(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 1)
    code, _, stderr = _invoke(*PUSH)
    assert code == 2 and "nothing to push" in stderr
    code, _, stderr = _invoke(*PUSH, "--score-field", "No Such Field")
    assert code == 2 and "--score-field: no Jira field named 'No Such Field'" in stderr
    code, _, stderr = _invoke(*PUSH, "--score-field", "Summary")
    assert code == 2 and "is not a number field" in stderr


def test_the_token_never_appears(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 4)
    cloud.echo_auth = True
    cloud.writes.off_screen["SHOP-2"] = {SCORE}
    code, stdout, stderr = _invoke(*PUSH, "--score-field", SCORE, "--rank", "--apply")
    assert code == 3
    assert "cannot be set" in stderr
    for secret in secret_forms():
        assert secret not in stdout and secret not in stderr


def test_hostile_titles_are_escaped(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 2)
    cloud.update_issue("SHOP-1", summary="\x1b[31mred\n::error::boom")
    code, stdout, _ = _invoke(*PUSH, "--score-field", SCORE)
    assert code == 0
    assert "\x1b" not in stdout and "\\x1b[31mred" in stdout
    assert not any(line.lstrip().startswith("::") for line in stdout.splitlines())


def test_json_after_apply_has_one_result_per_operation(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 3)
    cloud.writes.off_screen["SHOP-2"] = {SCORE}
    code, stdout, _ = _invoke(*PUSH, "--score-field", SCORE, "--apply", "-f", "json")
    assert code == 3
    document = json.loads(stdout)
    results = {
        op["key"]: result
        for op, result in zip(document["operations"], document["results"], strict=True)
    }
    assert results["SHOP-1"] == {"status": "done", "message": ""}
    assert results["SHOP-2"]["status"] == "failed"
    assert "not on the appropriate screen" in results["SHOP-2"]["message"]
    assert document["stops"] == []


def test_a_score_field_that_is_also_an_input_is_warned_about_and_refused_on_apply(
    cloud: JiraEmulator, workdir: Path
) -> None:
    _setup(cloud, workdir, 2)
    reach = [issue["fields"]["customfield_10100"] for issue in cloud.issues]
    code, _, stderr = _invoke(*PUSH, "--score-field", "Reach")
    assert code == 0
    assert "--score-field customfield_10100 is also read as jira.fields.rice.reach" in stderr
    assert "(--apply refuses it)" in stderr
    # Applied, the scores would overwrite the Reach inputs (and the next run rescore them).
    code, stdout, stderr = _invoke(*PUSH, "--score-field", "Reach", "--apply")
    assert (code, stdout) == (2, "")
    assert stderr.startswith(
        "backlogctl: error: --score-field customfield_10100 is also read as jira.fields.rice.reach"
    )
    assert "nothing was written: pick a field of its own" in stderr
    assert [issue["fields"]["customfield_10100"] for issue in cloud.issues] == reach
    assert [e for e in cloud.log if e.method == "PUT"] == []


def test_apply_plan_dry_run_warns_about_the_bound(cloud: JiraEmulator, workdir: Path) -> None:
    _setup(cloud, workdir, 3)
    assert _invoke(*PUSH, "--score-field", SCORE, "--plan-out", "plan.json")[0] == 0
    code, stdout, stderr = _invoke(
        "jira", "push", "--apply-plan", "plan.json", "--max-operations", "2"
    )
    assert code == 0
    assert "more than --max-operations 2: --apply would refuse it" in stderr
    assert "3 of 3 operations would be written" in stderr
    assert len(stdout.splitlines()) == 3  # one line per operation
    code, _, stderr = _invoke(
        "jira", "push", "--apply-plan", "plan.json", "--max-operations", "2", "--apply"
    )
    assert code == 2 and _writes(cloud) == []


def test_json_stdout_is_exactly_one_document_and_the_summary_on_stderr(
    cloud: JiraEmulator, workdir: Path
) -> None:
    _setup(cloud, workdir, 4)
    runs = [
        [*PUSH, "--score-field", SCORE, "--rank", "--plan-out", "plan.json"],
        ["jira", "push", "--apply-plan", "plan.json"],
        ["jira", "push", "--apply-plan", "plan.json", "--apply"],
        [*PUSH, "--score-field", SCORE, "--rank", "--apply"],  # the re-run: nothing to write
    ]
    counts = []
    for arguments in runs:
        result = CliRunner().invoke(app, [*arguments, "--format", "json"])
        assert result.exit_code == 0, result.stderr
        document = json.loads(result.stdout)  # one document: trailing text would fail here
        assert document["schema_version"] == 1
        counts.append(document["count"])
        assert result.stderr.startswith("backlogctl: ")
    assert counts[0] == counts[1] == counts[2] > 0
    assert counts[3] == 0
    assert "applied " in result.stderr or "nothing to write" in result.stderr


@pytest.mark.parametrize("columns", [60, 80])
def test_on_a_real_terminal_the_table_fits_and_titles_are_inert(
    cloud: JiraEmulator, workdir: Path, columns: int
) -> None:
    from rich.cells import cell_len

    from terminal import run_on_terminal

    _setup(cloud, workdir, 6)
    cloud.update_issue("SHOP-1", summary="\x1b]8;;http://x\x07link\x1b]8;;\x07 \x1b[2J" + "W" * 90)
    arguments = [*PUSH, "--score-field", SCORE, "--rank"]
    code, text = run_on_terminal(arguments, columns, cwd=workdir)
    assert code == 0, text
    assert "┏" in text  # a Rich table, not the piped text
    assert "\x1b]8" not in text and "\x1b[2J" not in text and "\\x1b]8" in text
    # Everything fits, the table and the summary lines (wrapped on a terminal).
    cursor = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # the progress bar's, then cleared
    lines = [cursor.sub("", line) for line in text.splitlines() if "Pulling" not in line]
    assert [line for line in lines if cell_len(line) > columns] == []
    assert "Rank is global" in " ".join(" ".join(lines).split())
