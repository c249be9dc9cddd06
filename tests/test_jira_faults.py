"""Faults injected by the emulator: which are retried, which abort, exit codes and messages.

Every test runs the real CLI (``jira pull``) against the emulator with a tiny backoff, so the
whole module stays fast; an aborted pull must never leave a partial snapshot behind.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.connectors.jira_client import parse_retry_after
from backlogctl.connectors.jira_ops import SNAPSHOT_MARKER
from jira_emulator import Fault, JiraEmulator, make_issues
from jira_emulator.testing import EMAIL, TOKEN, cloud, jira_env, server, write_config

__all__ = ["cloud", "jira_env", "server"]  # fixtures used by name

JQL = "project = SHOP"


def _pull(workdir: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app,
        ["jira", "pull", "--jql", JQL, "-o", str(workdir / "out.yaml"), *extra],
        catch_exceptions=False,
    )
    return result.exit_code, result.stdout, result.stderr


def _statuses(emulator: JiraEmulator, fragment: str) -> list[int]:
    return [entry.status for entry in emulator.requests_to(fragment)]


@pytest.fixture
def shop(cloud: JiraEmulator, workdir: Path) -> JiraEmulator:
    """The Cloud emulator with 30 issues and a config for it in the working directory."""
    for issue in make_issues(30):
        cloud.add_issue(issue)
    write_config(workdir, cloud)
    return cloud


@pytest.mark.parametrize(
    "fault",
    [
        Fault("status", "/search/jql", status=500),
        Fault("status", "/search/jql", status=502),
        Fault("status", "/search/jql", status=503, retry_after=0),
        Fault("status", "/search/jql", status=429, retry_after=0),
        Fault("drop", "/search/jql"),
        Fault("truncate", "/search/jql"),
        # Odd error bodies the jira library's own error parsing crashes on (TypeError,
        # RecursionError): they must stay plain retryable 5xx answers.
        Fault("body", "/search/jql", status=503, body="null"),
        Fault("body", "/search/jql", status=500, body='{"errorMessages": 5}'),
        Fault("body", "/search/jql", status=502, body="[" * 100_000 + "]" * 100_000),
    ],
    ids=["500", "502", "503", "429", "dropped", "truncated", "null", "odd", "deep"],
)
def test_transient_faults_are_retried(shop: JiraEmulator, workdir: Path, fault: Fault) -> None:
    shop.faults.append(fault)
    code, _, stderr = _pull(workdir)
    assert code == 0, stderr
    assert "pulled 30 issues" in stderr
    assert len(shop.requests_to("/search/jql")) == 2
    assert (workdir / "out.yaml").read_text(encoding="utf-8").count("- key: SHOP-") == 30


def test_retry_after_is_honoured(shop: JiraEmulator, workdir: Path) -> None:
    shop.faults.append(Fault("status", "/search/jql", status=429, retry_after=1))
    started = time.monotonic()
    code, _, stderr = _pull(workdir)
    assert code == 0, stderr
    assert time.monotonic() - started >= 1.0
    assert _statuses(shop, "/search/jql") == [429, 200]


def test_persistent_5xx_aborts_with_exit_3_after_bounded_attempts(
    shop: JiraEmulator, workdir: Path
) -> None:
    shop.faults.append(Fault("status", "/search/jql", status=500, times=99))
    code, stdout, stderr = _pull(workdir)
    assert code == 3
    assert stdout == ""
    assert stderr == (
        f"backlogctl: error: {shop.url}: searching issues: HTTP 500 (after 3 attempts)\n"
    )
    assert _statuses(shop, "/search/jql") == [500, 500, 500]
    assert not (workdir / "out.yaml").exists()


def test_persistent_dropped_connections_abort_with_exit_3(
    shop: JiraEmulator, workdir: Path
) -> None:
    shop.faults.append(Fault("drop", "/search/jql", times=99))
    code, _, stderr = _pull(workdir)
    assert code == 3
    assert stderr.endswith("searching issues: connection failed (after 3 attempts)\n")


def test_persistent_truncated_json_aborts_with_exit_3(shop: JiraEmulator, workdir: Path) -> None:
    shop.faults.append(Fault("truncate", "/search/jql", times=99))
    code, _, stderr = _pull(workdir)
    assert code == 3
    assert stderr.endswith(
        "searching issues: invalid or truncated JSON in the response (after 3 attempts)\n"
    )


def test_retry_after_beyond_the_time_budget_gives_up_at_once(
    shop: JiraEmulator, workdir: Path
) -> None:
    shop.faults.append(Fault("status", "/search/jql", status=429, retry_after=120))
    started = time.monotonic()
    code, _, stderr = _pull(workdir, "--timeout", "5")
    assert code == 3
    assert time.monotonic() - started < 3
    assert stderr.endswith(
        "searching issues: HTTP 429; retrying in 120 s would exceed the 5 s time budget "
        "(--timeout)\n"
    )


def test_slow_server_is_bounded_by_timeout(shop: JiraEmulator, workdir: Path) -> None:
    shop.latency = 0.4
    started = time.monotonic()
    code, _, stderr = _pull(workdir, "--timeout", "0.6")
    elapsed = time.monotonic() - started
    assert code == 3
    assert "time budget" in stderr or "timed out" in stderr
    assert elapsed < 2.5


def test_a_failing_bulk_page_aborts_the_whole_pull(cloud: JiraEmulator, workdir: Path) -> None:
    for issue in make_issues(450):
        cloud.add_issue(issue)
    write_config(workdir, cloud)
    previous = f"{SNAPSHOT_MARKER}\nitems: []\n"
    (workdir / "out.yaml").write_text(previous, encoding="utf-8")
    cloud.faults.append(Fault("status", "/issue/bulkfetch", status=500, skip=1, times=99))
    code, _, stderr = _pull(workdir)
    assert code == 3
    assert "fetching issues: HTTP 500 (after 3 attempts)" in stderr
    # The previous snapshot is untouched: never a silently partial backlog.
    assert (workdir / "out.yaml").read_text(encoding="utf-8") == previous


def test_token_expiring_mid_pull_is_an_auth_error(cloud: JiraEmulator, workdir: Path) -> None:
    for issue in make_issues(450):
        cloud.add_issue(issue)
    write_config(workdir, cloud)
    cloud.expire_token_after = 5
    code, _, stderr = _pull(workdir)
    assert code == 3
    assert stderr == (
        f"backlogctl: error: {cloud.url}: authentication failed for {cloud.url} as {EMAIL} "
        "(HTTP 401)\n"
    )
    assert not (workdir / "out.yaml").exists()


def test_wrong_token_is_exit_3_naming_url_and_email(
    shop: JiraEmulator, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKLOGCTL_JIRA_TOKEN", "not-the-token")
    code, _, stderr = _pull(workdir)
    assert code == 3
    assert f"authentication failed for {shop.url} as {EMAIL} (HTTP 401)" in stderr
    assert len(shop.log) == 1


def test_no_token_is_exit_2_before_any_request(
    shop: JiraEmulator, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BACKLOGCTL_JIRA_TOKEN")
    code, _, stderr = _pull(workdir)
    assert code == 2
    assert stderr.startswith("backlogctl: error: no Jira API token: set BACKLOGCTL_JIRA_TOKEN")
    assert shop.log == []


def test_bad_jql_is_exit_2_with_jiras_message(shop: JiraEmulator, workdir: Path) -> None:
    result = CliRunner().invoke(app, ["jira", "pull", "--jql", "projct = SHOP"])
    assert result.exit_code == 2
    assert result.stderr == (
        "backlogctl: error: Jira rejected the request (searching issues): "
        "Field 'projct' does not exist or you do not have permission to view it.\n"
    )


def test_unknown_mapped_field_is_exit_2_with_close_matches(
    cloud: JiraEmulator, workdir: Path
) -> None:
    config = write_config(workdir, cloud, fields={"estimate": "Story Pionts"})
    code, _, stderr = _pull(workdir)
    assert code == 2
    line = next(
        number
        for number, text in enumerate(config.read_text(encoding="utf-8").splitlines(), start=1)
        if "Story Pionts" in text
    )
    assert stderr == (
        f"backlogctl: error: {config}:{line}: jira.fields.estimate: no Jira field named "
        "'Story Pionts'; close matches: 'Story Points' (customfield_10026), "
        "'Story point estimate' (customfield_10016)\n"
    )
    assert not cloud.requests_to("/search")


def test_unknown_item_field_in_the_mapping_is_exit_2_before_any_request(
    cloud: JiraEmulator, workdir: Path
) -> None:
    write_config(workdir, cloud, fields={"story_points": "Story Points"})
    code, _, stderr = _pull(workdir)
    assert code == 2
    assert "jira.fields: unknown item field 'story_points' (known: acceptance_criteria" in stderr
    assert cloud.log == []


def test_unreachable_server_fails_fast_with_exit_3(jira_env: Path, workdir: Path) -> None:
    unreachable = JiraEmulator(email=EMAIL, token=TOKEN)
    url = unreachable.start()
    unreachable.stop()  # the port is closed now: connections are refused
    unreachable.url = url
    write_config(workdir, unreachable)
    started = time.monotonic()
    code, _, stderr = _pull(workdir)
    assert code == 3
    assert time.monotonic() - started < 5
    assert stderr == (
        f"backlogctl: error: {url}: reading server info: connection failed (after 3 attempts)\n"
    )


def test_server_page_fault_is_retried_and_the_pull_completes(
    server: JiraEmulator, workdir: Path
) -> None:
    for issue in make_issues(45):
        server.add_issue(issue)
    write_config(workdir, server)
    server.faults.append(Fault("status", "/rest/api/2/search", status=503, skip=2, retry_after=0))
    code, _, stderr = _pull(workdir)
    assert code == 0, stderr
    assert sorted(_statuses(server, "/rest/api/2/search")) == [200] * 5 + [503]
    text = (workdir / "out.yaml").read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if "- key:" in line] == [
        f"  - key: SHOP-{n}" for n in range(1, 46)
    ]


def test_server_pat_is_sent_as_bearer(server: JiraEmulator, workdir: Path) -> None:
    server.add_issue(make_issues(1)[0])
    write_config(workdir, server)
    code, _, stderr = _pull(workdir)
    assert code == 0, stderr
    # Server would accept basic auth too; with no email configured the PAT goes as Bearer.
    assert [entry.auth for entry in server.log] == ["bearer", "bearer", "bearer"]


def test_jiras_empty_200_for_refused_credentials_is_an_auth_error(
    shop: JiraEmulator, workdir: Path
) -> None:
    reason = {"X-Seraph-LoginReason": "AUTHENTICATED_FAILED"}
    shop.faults.append(Fault("body", "/search/jql", status=200, extra_headers=reason, times=9))
    code, _, stderr = _pull(workdir)
    assert code == 3
    assert f"authentication failed for {shop.url} as {EMAIL} (HTTP 200, X-Seraph" in stderr
    assert len(shop.requests_to("/search/jql")) == 1


def test_requests_go_through_the_jira_librarys_session(shop: JiraEmulator, workdir: Path) -> None:
    code, _, stderr = _pull(workdir)
    assert code == 0, stderr
    # ResilientSession's own Accept header: only the library's session class sends it.
    assert {entry.accept for entry in shop.log} == {"application/json,*/*;q=0.9"}


def test_retry_after_as_an_http_date_is_honoured(shop: JiraEmulator, workdir: Path) -> None:
    fault = Fault("status", "/search/jql", status=429, retry_after=2, retry_after_date=True)
    shop.faults.append(fault)
    started = time.monotonic()
    code, _, stderr = _pull(workdir)
    assert code == 0, stderr
    # An HTTP-date has whole seconds: "2 s from now" is 1 to 2 s away when it arrives.
    assert time.monotonic() - started >= 0.9
    assert _statuses(shop, "/search/jql") == [429, 200]


@pytest.mark.parametrize("as_date", [False, True], ids=["seconds", "http-date"])
def test_a_retry_after_of_10000_s_is_not_waited(
    shop: JiraEmulator, workdir: Path, as_date: bool
) -> None:
    fault = Fault("status", "/search/jql", status=503, retry_after=10_000, retry_after_date=as_date)
    shop.faults.append(fault)
    started = time.monotonic()
    code, stdout, stderr = _pull(workdir)
    assert (code, stdout) == (3, "")
    assert time.monotonic() - started < 3
    assert re.fullmatch(
        r"backlogctl: error: \S+: searching issues: HTTP 503; retrying in (9999|10000) s would "
        r"exceed the 10 s time budget \(--timeout\)\n",
        stderr,
    )
    assert _statuses(shop, "/search/jql") == [503]


def test_backoff_is_capped_by_max_backoff(cloud: JiraEmulator, workdir: Path) -> None:
    # A first backoff of 100 s doubling per attempt, capped at 0.05 s: three quick attempts.
    # Uncapped, the first wait alone would overrun the time budget.
    retry = {"attempts": 3, "backoff": 100, "max_backoff": 0.05, "request_timeout": 5}
    write_config(workdir, cloud, retry=retry)
    cloud.faults.append(Fault("status", "/serverInfo", status=502, times=99))
    started = time.monotonic()
    code, _, stderr = _pull(workdir)
    assert code == 3
    assert time.monotonic() - started < 2
    assert stderr == (
        f"backlogctl: error: {cloud.url}: reading server info: HTTP 502 (after 3 attempts)\n"
    )


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        ("0", 0.0),
        ("Wed, 21 Oct 2026 07:28:30 GMT", 30.0),
        ("Wednesday, 21-Oct-26 07:28:30 GMT", 30.0),  # the obsolete RFC 850 form
        ("Wed, 21 Oct 2026 07:27:00 GMT", 0.0),  # in the past: now
        ("soon", None),
        ("-5", None),
    ],
)
def test_parse_retry_after(header: str, seconds: float | None) -> None:
    now = dt.datetime(2026, 10, 21, 7, 28, tzinfo=dt.UTC)
    assert parse_retry_after(header, now) == seconds
