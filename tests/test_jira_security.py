"""What a hostile or misconfigured server, or a careless URL, must not achieve.

Plain HTTP to another machine is refused before any request; redirects are never followed;
a server echoing the Authorization header gets it scrubbed everywhere it could surface;
replies of the wrong shape or absurd depth are clean exit-3 errors; texts with control
characters are kept, and escaped wherever they are shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config
from backlogctl.connectors.jira import pull_backlog
from backlogctl.connectors.jira_adf import adf_to_text
from backlogctl.connectors.jira_fields import STANDARD_FIELDS, map_issues
from jira_emulator import Fault, JiraEmulator, make_issue, make_issues
from jira_emulator.testing import (
    EMAIL,
    TOKEN,
    cloud,
    config_for,
    jira_env,
    secret_forms,
    server,
    write_config,
)

__all__ = ["cloud", "jira_env", "server"]  # fixtures used by name

JQL = "project = SHOP"


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in secret_forms():
            assert secret not in text


@pytest.fixture
def other(jira_env: Path) -> Iterator[JiraEmulator]:
    """A second emulator (another port) that a redirect could point to."""
    with JiraEmulator(flavour="cloud", email=EMAIL, token=TOKEN) as emulator:
        yield emulator


# -- plain HTTP -------------------------------------------------------------------------------


def test_plain_http_to_another_machine_is_refused_before_any_request(
    jira_env: Path, workdir: Path
) -> None:
    code, stdout, stderr = _invoke(
        "jira", "check", "--url", "http://jira.example.com", "--email", EMAIL
    )
    assert (code, stdout) == (2, "")
    assert stderr == (
        "backlogctl: error: jira.url: http://jira.example.com is plain HTTP: the token would "
        "cross the network unencrypted; use https://, or set 'jira.allow_http: true' if you "
        "must\n"
    )


def test_allow_http_sends_anyway_with_a_warning(jira_env: Path, workdir: Path) -> None:
    # 192.0.2.1 (TEST-NET-1) is never routed: the request itself fails, after the warning.
    (workdir / "backlogctl.yaml").write_text(
        "jira:\n  url: http://192.0.2.1\n  email: po@example.com\n  allow_http: true\n"
        "  retry: {attempts: 1, request_timeout: 0.3}\n",
        encoding="utf-8",
    )
    code, _, stderr = _invoke("jira", "check", "--timeout", "1")
    assert code == 3
    assert stderr.startswith(
        "backlogctl: warning: http://192.0.2.1 is plain HTTP: the token is sent unencrypted "
        "(jira.allow_http)\n"
    )


@pytest.mark.parametrize("url", ["http://localhost:9", "http://127.0.0.2:9", "http://[::1]:9"])
def test_plain_http_to_this_machine_is_allowed_silently(
    jira_env: Path, workdir: Path, url: str
) -> None:
    (workdir / "backlogctl.yaml").write_text(
        "jira:\n  retry: {attempts: 1, request_timeout: 0.5}\n", encoding="utf-8"
    )
    code, _, stderr = _invoke("jira", "check", "--url", url, "--email", EMAIL)
    assert code == 3  # nothing listens on port 9: refused, but not for being plain HTTP
    assert "plain HTTP" not in stderr and "connection failed" in stderr


# -- redirects -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [302, 307])
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_redirected_search_is_an_error_and_never_followed(
    cloud: JiraEmulator, other: JiraEmulator, workdir: Path, status: int, host: str
) -> None:
    for issue in make_issues(3):
        cloud.add_issue(issue)
        other.add_issue(issue)
    write_config(workdir, cloud)
    location = f"http://{host}:{other.url.rpartition(':')[2]}/rest/api/3/search/jql"
    cloud.faults.append(Fault("redirect", "/search/jql", status=status, location=location))
    code, stdout, stderr = _invoke("jira", "pull", "--jql", JQL)
    assert (code, stdout) == (3, "")
    assert stderr == (
        f"backlogctl: error: {cloud.url}: searching issues: the server redirects to {location} "
        f"(HTTP {status}); redirects are not followed, so the token stays with the configured "
        "server: if that is the right address, set jira.url to it\n"
    )
    assert other.log == []  # neither with nor without credentials
    searches = cloud.requests_to("/search/jql")
    assert [entry.method for entry in searches] == ["POST"]  # not retried, never a GET


def test_a_redirect_on_the_first_request_names_the_new_location(
    cloud: JiraEmulator, other: JiraEmulator, workdir: Path
) -> None:
    write_config(workdir, cloud)
    cloud.faults.append(Fault("redirect", "/serverInfo", status=301, location="/jira/x"))
    code, _, stderr = _invoke("jira", "check")
    assert code == 3
    assert f"reading server info: the server redirects to {cloud.url}/jira/x (HTTP 301)" in stderr
    assert other.log == []


# -- a server that echoes the credentials ---------------------------------------------------


@pytest.mark.parametrize("flavour", ["cloud", "server"])
def test_echoed_credentials_are_scrubbed_everywhere(
    jira_env: Path, workdir: Path, flavour: str
) -> None:
    with JiraEmulator(
        flavour=flavour,  # type: ignore[arg-type]
        email=EMAIL,
        token=TOKEN,
        issues=make_issues(3),
        echo_auth=True,
    ) as emulator:
        write_config(workdir, emulator, fields={"estimate": "Story point estimate"})
        shown: list[str] = []
        for args in (
            ["jira", "check", "--jql", JQL],
            ["jira", "fields", "--search", "story"],
            ["jira", "fields", "--format", "json"],
            ["jira", "pull", "--jql", JQL, "-o", "snap.yaml"],
            ["jira", "pull", "--jql", JQL],  # again, from the cache
            ["jira", "check", "--jql", "projct = SHOP"],  # Jira's error message echoes too
        ):
            code, stdout, stderr = _invoke(*args)
            assert code == (2 if "projct" in args[-1] else 0), stderr
            shown += [stdout, stderr]
    stored = [(workdir / "snap.yaml").read_text(encoding="utf-8")]
    stored += [path.read_text(encoding="utf-8") for path in jira_env.rglob("*.json")]
    assert len(stored) == 3  # snapshot, cache items, cache meta
    _assert_no_secret(*shown, *stored)
    # The echo did arrive, scrubbed: in check, in fields, in issue texts and in the cache.
    check, fields, fields_json = shown[0:6:2]
    reachable, authenticated = check.splitlines()[1:3]
    assert reachable.startswith("ok  server reachable: Jira ") and "***" in reachable
    assert authenticated.startswith("ok  authenticated as Product Owner ") and "***" in reachable
    assert "***" in fields and "***" in json.dumps(json.loads(fields_json))
    assert re.search(r"title: .?Improve checkout step 1 .*\*\*\*", stored[0])
    assert any("***" in text for text in stored[1:])  # the cached items
    assert "***" in shown[-1] and "does not exist" in shown[-1]


# -- replies of the wrong shape --------------------------------------------------------------


SEARCH = "/search/jql"
ISSUE_STRING = '{"issues": ["A-1"]}'
KEY_NUMBER = '{"issues": [{"id": "1", "key": 7}]}'
FIELDS_ARRAY = '{"issues": [{"id": "1", "key": "A-1", "fields": []}]}'
WRONG_SHAPES = {
    "server info array": ("/serverInfo", "[]", "reading server info", "an object", "an array"),
    "search array": (SEARCH, "[1, 2]", "searching issues", "an object", "an array"),
    "search string": (SEARCH, '"busy"', "searching issues", "an object", "a string"),
    "issues object": (SEARCH, '{"issues": {}}', "", "'issues' to be an array", "an object"),
    "issue string": (SEARCH, ISSUE_STRING, "", "each issue to be an object", "a string"),
    "key number": (SEARCH, KEY_NUMBER, "", "each issue's key to be a text", "a number"),
    "fields array": (SEARCH, FIELDS_ARRAY, "", "each issue's fields to be an object", "an array"),
    "field object": (
        "/field",
        '{"fields": []}',
        "listing fields",
        "an array of objects",
        "an object",
    ),
    "bulk null": ("/issue/bulkfetch", "null", "fetching issues", "an object", "null"),
}


@pytest.mark.parametrize("case", list(WRONG_SHAPES))
def test_a_reply_of_the_wrong_shape_is_exit_3(
    cloud: JiraEmulator, workdir: Path, case: str
) -> None:
    path, body, what, expected, got = WRONG_SHAPES[case]
    what = what or "searching issues"
    for issue in make_issues(150):
        cloud.add_issue(issue)
    write_config(workdir, cloud)
    # The first search page must pass for the bulk fetch to be reached.
    cloud.faults.append(Fault("body", path, status=200, body=body, times=99))
    code, stdout, stderr = _invoke("jira", "pull", "--jql", JQL)
    assert (code, stdout) == (3, "")
    assert stderr == (
        f"backlogctl: error: {cloud.url}: {what}: unexpected reply: expected {expected}, "
        f"got {got}\n"
    )
    assert len(cloud.requests_to(path)) == 1  # a wrong shape is not retried


def test_a_reply_nested_100000_levels_deep_is_a_clean_exit_3(
    cloud: JiraEmulator, workdir: Path
) -> None:
    write_config(workdir, cloud)
    deep = "[" * 100_000 + "]" * 100_000
    cloud.faults.append(Fault("body", "/search/jql", status=200, body=deep))
    code, _, stderr = _invoke("jira", "pull", "--jql", JQL)
    assert code == 3
    assert stderr == (
        f"backlogctl: error: {cloud.url}: searching issues: the reply is nested too deeply "
        "to read\n"
    )


def _nested_adf(levels: int, text: str) -> dict[str, object]:
    node: dict[str, object] = {"type": "paragraph", "content": [{"type": "text", "text": text}]}
    for _ in range(levels):
        node = {"type": "blockquote", "content": [node]}
    return {"type": "doc", "version": 1, "content": [node]}


def test_a_deeply_nested_description_keeps_the_issue(cloud: JiraEmulator) -> None:
    # 300 levels still decode as JSON; quotes keep their shape 32 levels deep, then flat text.
    cloud.add_issue(make_issue(1, description=_nested_adf(300, "deep text")))
    cloud.add_issue(make_issue(2))
    items = pull_backlog(JQL, config_for(cloud)).backlog.items
    assert [item.key for item in items] == ["SHOP-1", "SHOP-2"]
    assert items[0].description == "> " * 32 + "deep text"


def test_adf_to_text_reads_100000_levels_without_recursion() -> None:
    assert adf_to_text(_nested_adf(100_000, "still here")) == "> " * 32 + "still here"
    assert adf_to_text(_nested_adf(3, "shallow")) == "> > > shallow"


# -- control characters in Jira's texts -------------------------------------------------------


def test_texts_with_control_characters_are_kept_and_shown_escaped(
    cloud: JiraEmulator, workdir: Path
) -> None:
    hostile = make_issue(
        1,
        summary="\x1b]0;pwned\x07Pay \x1b[31mnow",
        labels=["ok", "rtl\u202eevil"],
        customfield_10016="many",
        status="In Progress",
    )
    hostile["key"] = "SHOP-1\n::error file=README.md::pwned"
    hostile["fields"]["status"]["name"] = "In\x1b[2JProgress"
    cloud.add_issue(hostile)
    cloud.add_issue(make_issue(2))
    write_config(workdir, cloud)
    code, stdout, stderr = _invoke("jira", "pull", "--jql", JQL, "-o", "snap.yaml")
    assert (code, stdout) == (0, "")
    # The issue is kept, its texts exact in the snapshot (YAML escapes them itself).
    import yaml_rs

    snapshot: Any = yaml_rs.loads((workdir / "snap.yaml").read_text(encoding="utf-8"))
    items = snapshot["items"]
    assert [item["key"] for item in items] == [hostile["key"], "SHOP-2"]
    assert items[0]["title"] == "\x1b]0;pwned\x07Pay \x1b[31mnow"
    assert items[0]["status"] == "In\x1b[2JProgress"
    assert items[0]["labels"] == ["ok", "rtl\u202eevil"]
    # The warning about the unreadable estimate names the issue, escaped: one line, no ESC.
    quoted_key = "SHOP-1%0A%3A%3Aerror%20file%3DREADME.md%3A%3Apwned"
    warning = (
        f"backlogctl: warning: {cloud.url}/browse/{quoted_key}: "
        "estimate (customfield_10016): expected a number, got 'many'; ignored\n"
    )
    assert stderr.startswith(warning)
    assert re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e]", stdout + stderr) is None


def test_a_lone_surrogate_in_a_summary_keeps_the_issue(cloud: JiraEmulator, workdir: Path) -> None:
    # JSON "\\ud800" is valid JSON but no UTF-8 text: before, the whole pull failed (exit 3).
    cloud.add_issue(make_issue(1, summary="Pay \ud800 now"))
    cloud.add_issue(make_issue(2))
    write_config(workdir, cloud)
    code, stdout, stderr = _invoke("jira", "pull", "--jql", JQL, "-o", "snap.yaml")
    assert (code, stdout) == (0, ""), stderr
    assert "pulled 2 issues" in stderr
    import yaml_rs

    snapshot: Any = yaml_rs.loads((workdir / "snap.yaml").read_text(encoding="utf-8"))
    assert snapshot["items"][0]["title"] == "Pay \ufffd now"


def test_check_and_fields_escape_what_the_server_says(cloud: JiraEmulator, workdir: Path) -> None:
    write_config(workdir, cloud, fields={})
    info = {
        "serverTitle": "Jira\x1b]0;pwned\x07",
        "version": "1\n::error::x",
        "deploymentType": "Cloud",
    }
    cloud.faults.append(Fault("body", "/serverInfo", status=200, body=json.dumps(info)))
    me = {"displayName": "Eve\u202e[bold]red[/bold]"}
    cloud.faults.append(Fault("body", "/myself", status=200, body=json.dumps(me)))
    code, stdout, stderr = _invoke("jira", "check")
    assert (code, stderr) == (0, "")
    assert stdout.splitlines()[1:3] == [
        r"ok  server reachable: Jira\x1b]0;pwned\x07 1\x0a::error::x (Cloud)",
        r"ok  authenticated as Eve\u202e[bold]red[/bold]",
    ]
    fields = [{"id": "customfield_1\x1b[31m", "name": "Evil [red]\x07name[/red]", "custom": True}]
    cloud.faults.append(Fault("body", "/field", status=200, body=json.dumps(fields)))
    code, stdout, _ = _invoke("jira", "fields")
    assert code == 0
    assert stdout.splitlines()[1].split() == [
        r"customfield_1\x1b[31m",
        "Evil",
        r"[red]\x07name[/red]",
        "-",
        "yes",
    ]


def test_values_the_model_rejects_are_dropped_with_a_warning_not_the_issue(
    cloud: JiraEmulator,
) -> None:
    issue = make_issue(1, customfield_10016=-3, duedate="2026-13-45", labels="one")
    issue["fields"]["status"] = ["not", "an", "object"]
    cloud.add_issue(issue)
    warnings: list[str] = []
    (item,) = pull_backlog(JQL, config_for(cloud), warn=warnings.append).backlog.items
    assert (item.key, item.estimate, item.due, item.labels) == ("SHOP-1", None, None, ["one"])
    assert (item.status, item.status_category) == ("To Do", "todo")
    # The reason is the model's own wording; what matters is which value went, and why.
    due, estimate = warnings
    assert due.startswith(f"{cloud.url}/browse/SHOP-1: due: '2026-13-45' rejected: ")
    assert estimate.startswith(f"{cloud.url}/browse/SHOP-1: estimate: -3.0 rejected: ")
    assert due.endswith("; ignored") and estimate.endswith("; ignored")


def test_a_token_spelled_with_json_escapes_is_scrubbed_too(
    cloud: JiraEmulator, workdir: Path
) -> None:
    # Scrubbing skips replies whose raw bytes cannot hold the secret; \uXXXX escapes can
    # spell it without any of its characters appearing in the bytes.
    write_config(workdir, cloud, fields={})
    escaped = "".join(f"\\u{ord(char):04x}" for char in TOKEN)
    body = '{"serverTitle": "Jira ' + escaped + '", "deploymentType": "Cloud"}'
    cloud.faults.append(Fault("body", "/serverInfo", status=200, body=body))
    code, stdout, stderr = _invoke("jira", "check")
    assert (code, stderr) == (0, "")
    assert "ok  server reachable: Jira *** (Cloud)" in stdout.splitlines()
    _assert_no_secret(stdout)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
_MAPPING = {"estimate": "customfield_10016", "rank": "customfield_10019", "objective": "cf_o"}
_FIELD_NAMES = [*STANDARD_FIELDS, *_MAPPING.values()]


@settings(max_examples=300, deadline=None)
@given(fields=st.dictionaries(st.sampled_from(_FIELD_NAMES), _JSON))
def test_any_field_values_map_to_an_item(fields: dict[str, Any]) -> None:
    # Whatever shape a server gives the fields, the issue becomes an item (never an
    # exception): unusable values are left out, with a warning where one was mapped.
    config = Config.model_validate({"jira": {"fields": _MAPPING}})
    raw = {"id": "1", "key": "SHOP-1", "fields": fields}
    warnings: list[str] = []
    items, _ = map_issues([raw], _MAPPING, config, "https://jira.test", warn=warnings.append)
    assert [item.key for item in items] == ["SHOP-1"]
    assert all("\n" not in warning for warning in warnings)
