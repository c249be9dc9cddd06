"""Search pages, one generator per API flavour, and the checks on what a page holds.

Cloud (``POST /rest/api/3/search/jql``) pages with an opaque ``nextPageToken`` and gives no
total; Server/DC (``POST /rest/api/2/search``) pages with ``startAt`` and gives ``total``.
Both generators yield ``Page(issues, total)``; every issue is a JSON object with a non-empty
string ``key`` and ``id`` (else the reply is of the wrong shape: exit 3).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from backlogctl.connectors.jira_client import JiraClient

#: Issues per page when a search asks for the mapped fields (Cloud caps such pages near 100).
FIELDS_PAGE = 100
#: Issues per page of a key-only Cloud search (Atlassian's documented maximum).
KEYS_PAGE = 5000
#: Issues per Server/DC search page (the default ``jira.search.views.default.max``).
SERVER_PAGE = 1000


class Page(NamedTuple):
    """One search page: its issues, and the query's total when the server says (Server/DC)."""

    issues: list[dict[str, Any]]
    total: int | None


def _expand(client: JiraClient) -> str | None:
    return "changelog" if client.settings.changelog else None


def jql_string(text: str) -> str:
    """``text`` as a JQL string literal (quotes and backslashes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def bulkfetch(
    client: JiraClient,
    keys: Sequence[str],
    fields: Sequence[str],
    *,
    what: str,
    changelog: bool = False,
) -> list[dict[str, Any]]:
    """One Cloud ``issue/bulkfetch`` of at most 100 ids or keys, its issues checked.

    Unknown keys are left out of the answer, never an error (unlike a ``key in`` search).
    """
    body: dict[str, Any] = {"issueIdsOrKeys": list(keys), "fields": list(fields)}
    if changelog:
        body["expand"] = ["changelog"]
    reply = client.request_object("POST", "issue/bulkfetch", what=what, body=body)
    return issues_of(client, reply, what)


def issues_of(client: JiraClient, reply: dict[str, Any], what: str) -> list[dict[str, Any]]:
    """``reply["issues"]``, checked: a list of objects, each with a string key and id."""
    issues = reply.get("issues")
    if issues is None:
        return []
    if not isinstance(issues, list):
        raise client.shape_error(what, "'issues' to be an array", issues)
    for issue in issues:
        if not isinstance(issue, dict):
            raise client.shape_error(what, "each issue to be an object", issue)
        for name in ("key", "id"):
            if not (isinstance(issue.get(name), str) and issue[name]):
                raise client.shape_error(what, f"each issue's {name} to be a text", issue.get(name))
        fields = issue.get("fields")
        if fields is not None and not isinstance(fields, dict):
            raise client.shape_error(what, "each issue's fields to be an object", fields)
    return issues


def cloud_page(
    client: JiraClient, jql: str, fields: Sequence[str], size: int, token: str | None, what: str
) -> tuple[list[dict[str, Any]], str | None]:
    """One Cloud search page: its issues and the token of the next page (None: the last)."""
    body: dict[str, Any] = {"jql": jql, "fields": list(fields), "maxResults": size}
    if token:
        body["nextPageToken"] = token
    expand = _expand(client)
    if expand and list(fields) not in (["id"], ["key"]):
        body["expand"] = expand
    reply = client.request_object("POST", "search/jql", what=what, body=body)
    following = reply.get("nextPageToken")
    if following is not None and not isinstance(following, str):
        raise client.shape_error(what, "nextPageToken to be a text", following)
    last = reply.get("isLast") is True or not following
    return issues_of(client, reply, what), None if last else following


def cloud_pages(
    client: JiraClient, jql: str, fields: Sequence[str], *, size: int, what: str
) -> Iterator[Page]:
    """Every Cloud page of ``jql``, following ``nextPageToken`` (no total on Cloud)."""
    token: str | None = None
    while True:
        issues, token = cloud_page(client, jql, fields, size, token, what)
        yield Page(issues, None)
        if token is None:
            return


def server_page(
    client: JiraClient,
    jql: str,
    fields: Sequence[str],
    start: int,
    size: int,
    what: str,
    *,
    changelog: bool = False,
) -> tuple[Page, int]:
    """One Server/DC search page from ``start`` and the page size the server applied.

    The changelog comes with it when ``jira.changelog`` is on, or always with ``changelog``.
    """
    body: dict[str, Any] = {"jql": jql, "startAt": start, "maxResults": size, "fields": fields}
    expand = "changelog" if changelog else _expand(client)
    if expand and list(fields) not in (["id"], ["key"]):
        body["expand"] = [expand]
    reply = client.request_object("POST", "search", what=what, body=body)
    total = reply.get("total")
    applied = reply.get("maxResults")
    issues = issues_of(client, reply, what)
    return (
        Page(issues, total if isinstance(total, int) else len(issues) + start),
        applied if isinstance(applied, int) and applied > 0 else len(issues) or size,
    )


def server_pages(
    client: JiraClient,
    jql: str,
    fields: Sequence[str],
    *,
    what: str,
    size: int = SERVER_PAGE,
    changelog: bool = False,
) -> Iterator[Page]:
    """Every Server/DC page of ``jql``, ``startAt`` after ``startAt`` (``changelog``: see
    ``server_page``)."""
    start = 0
    while True:
        page, _ = server_page(client, jql, fields, start, size, what, changelog=changelog)
        yield page
        start += len(page.issues)
        if not page.issues or start >= (page.total or 0):
            return


def search_pages(
    client: JiraClient, jql: str, fields: Sequence[str], *, what: str, keys_only: bool = False
) -> Iterator[Page]:
    """Every page of ``jql`` in the client's flavour (larger Cloud pages for key-only lists)."""
    if client.deployment == "cloud":
        size = KEYS_PAGE if keys_only else FIELDS_PAGE
        return cloud_pages(client, jql, fields, size=size, what=what)
    return server_pages(client, jql, fields, what=what)
