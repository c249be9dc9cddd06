"""The token never appears in stdout, stderr, exception text, tracebacks or logs, on any path.

Each scenario runs with a recognizable token through the CLI (with and without ``--debug``)
and through the library API, with every logger capturing at DEBUG level.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config
from backlogctl.connectors.jira import pull_backlog
from backlogctl.errors import BacklogctlError
from jira_emulator import Fault, JiraEmulator, make_issues
from jira_emulator.testing import (
    EMAIL,
    TOKEN,
    captured_text,
    cloud,
    config_for,
    jira_env,
    secret_forms,
    server,
    write_config,
)

__all__ = ["cloud", "jira_env", "server"]  # fixtures used by name

SECRETS = secret_forms()

Scenario = Callable[[JiraEmulator], None]


def _wrong_token(emulator: JiraEmulator) -> None:
    emulator.token = "the-server-wants-another-token"


def _expired_mid_pull(emulator: JiraEmulator) -> None:
    emulator.expire_token_after = 4


def _fault(kind: str, path: str, **options: int) -> Scenario:
    def apply(emulator: JiraEmulator) -> None:
        # A fresh Fault per test: a Fault counts how often it fired.
        emulator.faults.append(Fault(kind, path, **options))  # type: ignore[arg-type]

    return apply


SCENARIOS: dict[str, Scenario] = {
    "wrong token": _wrong_token,
    "token expired mid-pull": _expired_mid_pull,
    "5xx on server info": _fault("status", "serverInfo", status=500, times=99),
    "5xx on field list": _fault("status", "/field", status=503, times=99),
    "401 on field list": _fault("status", "/field", status=401, times=99),
    "403 on search": _fault("status", "/search/jql", status=403),
    "dropped connections": _fault("drop", "/search/jql", times=99),
    "truncated JSON": _fault("truncate", "/issue/bulkfetch", times=99),
    "rate limit beyond budget": _fault("status", "/search/jql", status=429, retry_after=99),
    "404": _fault("status", "/issue/bulkfetch", status=404),
}


@pytest.fixture
def loud_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture every logger at DEBUG level (urllib3, jira, requests included)."""
    caplog.set_level(logging.DEBUG)
    return caplog


def _assert_clean(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


@pytest.mark.parametrize("name", list(SCENARIOS))
@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_cli_error_paths_never_show_the_token(
    cloud: JiraEmulator,
    workdir: Path,
    loud_logs: pytest.LogCaptureFixture,
    name: str,
    debug: bool,
) -> None:
    for issue in make_issues(250):
        cloud.add_issue(issue)
    write_config(workdir, cloud)
    SCENARIOS[name](cloud)
    args = [*(["--debug"] if debug else []), "jira", "pull", "--jql", "project = SHOP"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    shown = "".join(traceback.format_exception(result.exception)) if debug else ""
    if not debug:
        assert result.exit_code in (2, 3)
        assert result.stderr.startswith("backlogctl: error: ")
    _assert_clean(result.stdout, result.stderr, shown, captured_text(loud_logs))


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_library_errors_never_carry_the_token(
    cloud: JiraEmulator, loud_logs: pytest.LogCaptureFixture, name: str
) -> None:
    for issue in make_issues(250):
        cloud.add_issue(issue)
    SCENARIOS[name](cloud)
    with pytest.raises(BacklogctlError) as caught:
        pull_backlog("project = SHOP", config_for(cloud))
    error = caught.value
    chained = [error.__cause__, error.__context__]
    _assert_clean(
        str(error),
        repr(error),
        "".join(traceback.format_exception(error)),
        *(repr(link) for link in chained),
        captured_text(loud_logs),
    )


def test_server_pat_errors_never_show_the_token(
    server: JiraEmulator, workdir: Path, loud_logs: pytest.LogCaptureFixture
) -> None:
    for issue in make_issues(25):
        server.add_issue(issue)
    write_config(workdir, server)
    server.expire_token_after = 2
    result = CliRunner().invoke(app, ["jira", "pull", "--jql", "project = SHOP"])
    assert result.exit_code == 3
    assert "authentication failed for" in result.stderr
    _assert_clean(result.stdout, result.stderr, captured_text(loud_logs))


def test_check_and_fields_never_show_the_token(
    cloud: JiraEmulator, workdir: Path, loud_logs: pytest.LogCaptureFixture
) -> None:
    write_config(workdir, cloud)
    outputs: list[str] = []
    for args in (["jira", "check"], ["jira", "fields"], ["jira", "check", "--jql", "bad = x"]):
        result = CliRunner().invoke(app, args)
        outputs += [result.stdout, result.stderr]
    _wrong_token(cloud)
    for args in (["jira", "check"], ["jira", "fields", "--search", "story"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 3
        outputs += [result.stdout, result.stderr]
    _assert_clean(*outputs, captured_text(loud_logs))


def test_credentials_repr_hides_the_token(jira_env: Path) -> None:
    from backlogctl.connectors.jira_credentials import resolve_credentials

    config = Config.model_validate({"jira": {"url": "https://jira.example.com", "email": EMAIL}})
    credentials = resolve_credentials(config)
    assert TOKEN not in repr(credentials)
    assert credentials.scrub(f"auth=('{EMAIL}', '{TOKEN}')") == f"auth=('{EMAIL}', '***')"


def test_scrub_removes_every_form_of_the_secret(jira_env: Path) -> None:
    from backlogctl.connectors.jira_credentials import resolve_credentials

    config = Config.model_validate({"jira": {"url": "https://jira.example.com", "email": EMAIL}})
    credentials = resolve_credentials(config)
    token, basic, token_quoted, basic_quoted = secret_forms()
    assert "%2B" in token_quoted and "%3D" in basic_quoted  # the quoted forms really differ
    text = (
        f"raw {token}; header Basic {basic}; in a URL ?t={token_quoted}&a={basic_quoted}; "
        f"lower-case hex {re.sub('%[0-9A-F]{2}', lambda hex: hex.group().lower(), token_quoted)}"
    )
    assert credentials.scrub(text) == (
        "raw ***; header Basic ***; in a URL ?t=***&a=***; lower-case hex ***"
    )
