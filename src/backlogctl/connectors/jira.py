"""The Jira connector: pull the issues of a JQL query (Cloud or Server/DC) as a ``Backlog``.

Cloud: one search page with the mapped fields; when there is more, a key-only listing
(up to 5,000 per page) then bounded-concurrency ``issue/bulkfetch`` calls of 100 issues.
Server/DC: ``/rest/api/2/search`` with startAt; the remaining pages are fetched concurrently
once the first page gives the total. A cache makes a repeat pull ask only for issues updated
since the last one (one request when nothing changed); ``full=True`` refetches everything,
which also drops deleted issues. Any page failing after retries aborts the pull: never a
partial backlog.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from backlogctl.connectors.jira_client import JiraClient, resolve_credentials
from backlogctl.connectors.jira_fields import (
    check_targets,
    issues_to_items,
    requested_fields,
    resolve_fields,
)
from backlogctl.models import Backlog

if TYPE_CHECKING:
    from backlogctl.config import Config

Warn = Callable[[str], None]
Report = Callable[[int, int | None], None]

#: Issues per page when a search asks for the mapped fields (Cloud caps such pages near 100).
FIELDS_PAGE = 100
#: Issues per page of a key-only Cloud search (Atlassian's documented maximum).
KEYS_PAGE = 5000
#: Issues per ``issue/bulkfetch`` call (Atlassian's documented maximum).
BULK_SIZE = 100
#: Issues per Server/DC search page (the default ``jira.search.views.default.max``).
SERVER_PAGE = 1000
#: Overlap subtracted from the last sync time, for clock skew and slow indexing.
SYNC_MARGIN_MINUTES = 5

_ORDER_BY = re.compile(r"\border\s+by\b", re.IGNORECASE)


@dataclass
class PullResult:
    """A pulled backlog plus what it cost."""

    backlog: Backlog
    server: str
    deployment: str
    requests: int
    fetched: int
    incremental: bool
    removed: int
    seconds: float


def read_jira_backlog(
    jql: str, config: Config, *, warn: Warn | None = None, progress: bool = False
) -> Backlog:
    """Items matching ``jql`` on the configured server (the loader's entry point)."""
    return pull_backlog(jql, config, warn=warn, progress=progress).backlog


def pull_backlog(
    jql: str,
    config: Config,
    *,
    url: str | None = None,
    email: str | None = None,
    timeout: float | None = None,
    full: bool = False,
    warn: Warn | None = None,
    progress: bool = False,
) -> PullResult:
    """Pull ``jql`` incrementally when a fresh cache exists, else in full.

    Raises ``InputError`` (exit 2: no token, bad JQL, unknown mapped field) or
    ``SourceError`` (exit 3: auth, network, server errors after retries).
    """
    from backlogctl.connectors.jira_cache import CacheEntry, cache_path, load_entry, save_entry
    from backlogctl.connectors.jira_progress import progress_bar

    if not jql.strip():
        from backlogctl.errors import InputError

        raise InputError("--jql: the query is empty")
    started = time.monotonic()
    now = dt.datetime.now(dt.UTC)
    check_targets(config)
    credentials = resolve_credentials(config, url=url, email=email)
    settings = config.jira
    identity = {
        "fields": settings.fields,
        "changelog": settings.changelog,
        "deployment": settings.deployment,
    }
    path = cache_path(credentials.url, credentials.email, jql, identity) if settings.cache else None
    entry = None if (full or path is None) else load_entry(path)
    if entry is not None and now - entry.full_at > dt.timedelta(hours=settings.full_sync_hours):
        entry = None
    messages: list[str] = []
    say = warn or messages.append
    with progress_bar(progress) as report:
        if entry is not None:
            client = JiraClient(
                credentials,
                config,
                timeout=timeout,
                deployment="cloud" if entry.deployment == "cloud" else "server",
            )
            changed = _fetch_changed(client, jql, entry, now, report)
            entry.issues.update((issue["key"], issue) for issue in changed)
            entry.synced_at = now
            removed = 0
            fetched = len(changed)
            incremental = True
        else:
            client = JiraClient(credentials, config, timeout=timeout)
            deployment = client.detect_deployment()
            field_ids = resolve_fields(config, client.fields()) if settings.fields else {}
            issues = _fetch_all(client, jql, field_ids, report)
            previous = load_entry(path) if path is not None else None
            removed = len(set(previous.issues) - {i["key"] for i in issues}) if previous else 0
            entry = CacheEntry(
                deployment=deployment,
                field_ids=field_ids,
                synced_at=now,
                full_at=now,
                issues={issue["key"]: issue for issue in issues},
            )
            fetched = len(issues)
            incremental = False
    if path is not None:
        problem = save_entry(path, entry)
        if problem:
            say(problem)
    items = issues_to_items(
        entry.issues.values(), entry.field_ids, config, credentials.url, warn=say
    )
    return PullResult(
        backlog=Backlog(items=items, warnings=messages),
        server=credentials.url,
        deployment=entry.deployment,
        requests=client.requests,
        fetched=fetched,
        incremental=incremental,
        removed=removed,
        seconds=time.monotonic() - started,
    )


def _expand(client: JiraClient) -> str | None:
    return "changelog" if client.settings.changelog else None


def _fetch_all(
    client: JiraClient, jql: str, field_ids: dict[str, str], report: Report | None
) -> list[dict[str, Any]]:
    fields = requested_fields(field_ids)
    if client.deployment == "cloud":
        return _cloud_fetch_all(client, jql, fields, report)
    return _server_fetch_all(client, jql, fields, report)


def _search_cloud(
    client: JiraClient, jql: str, fields: Sequence[str], size: int, token: str | None, what: str
) -> dict[str, Any]:
    body: dict[str, Any] = {"jql": jql, "fields": list(fields), "maxResults": size}
    if token:
        body["nextPageToken"] = token
    expand = _expand(client)
    if expand and fields != ["id"]:
        body["expand"] = expand
    result: dict[str, Any] = client.request_json("POST", "search/jql", what=what, body=body)
    return result


def _cloud_fetch_all(
    client: JiraClient, jql: str, fields: list[str], report: Report | None
) -> list[dict[str, Any]]:
    with ThreadPoolExecutor(max_workers=client.settings.concurrency) as pool:
        count: Future[Any] | None = None
        if report is not None:
            count = pool.submit(
                client.request_json,
                "POST",
                "search/approximate-count",
                what="counting issues",
                body={"jql": jql},
            )
        first = _search_cloud(client, jql, fields, FIELDS_PAGE, None, "searching issues")
        issues: list[dict[str, Any]] = list(first.get("issues") or [])
        total = _approximate_total(count)
        if report is not None:
            report(len(issues), total)
        if not first.get("nextPageToken"):
            return issues
        ids = _list_ids(client, jql)
        have = {issue["id"] for issue in issues}
        missing = [issue_id for issue_id in ids if issue_id not in have]
        chunks = [missing[i : i + BULK_SIZE] for i in range(0, len(missing), BULK_SIZE)]
        if report is not None:
            report(len(issues), max(len(ids), total or 0))
        fetched = _run_bounded(
            client,
            pool,
            [partial(_bulkfetch, client, chunk, fields) for chunk in chunks],
            lambda done: report(len(issues) + done, len(ids)) if report else None,
        )
    by_id = {issue["id"]: issue for issue in issues}
    for batch in fetched:
        by_id.update((issue["id"], issue) for issue in batch)
    # Issues deleted between the listing and the bulk fetch are simply absent.
    return [by_id[issue_id] for issue_id in dict.fromkeys(ids) if issue_id in by_id]


def _approximate_total(count: Future[Any] | None) -> int | None:
    if count is None:
        return None
    try:
        value = count.result().get("count")
    except Exception:
        return None
    return int(value) if isinstance(value, int) else None


def _list_ids(client: JiraClient, jql: str) -> list[str]:
    ids: list[str] = []
    token: str | None = None
    while True:
        page = _search_cloud(client, jql, ["id"], KEYS_PAGE, token, "listing issues")
        ids.extend(str(issue["id"]) for issue in page.get("issues") or [])
        token = page.get("nextPageToken")
        if not token or page.get("isLast"):
            return ids


def _bulkfetch(client: JiraClient, ids: list[str], fields: list[str]) -> list[dict[str, Any]]:
    body: dict[str, Any] = {"issueIdsOrKeys": ids, "fields": fields}
    expand = _expand(client)
    if expand:
        body["expand"] = [expand]
    result = client.request_json("POST", "issue/bulkfetch", what="fetching issues", body=body)
    return list(result.get("issues") or [])


def _run_bounded(
    client: JiraClient,
    pool: ThreadPoolExecutor,
    jobs: list[Callable[[], list[dict[str, Any]]]],
    on_done: Callable[[int], None],
) -> list[list[dict[str, Any]]]:
    """Run ``jobs`` on ``pool``; the first failure aborts the others and is raised."""
    futures = [pool.submit(job) for job in jobs]
    pending = set(futures)
    done_issues = 0
    while pending:
        finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
        for future in finished:
            if future.exception() is not None:
                client.abort()
                for other in pending:
                    other.cancel()
                raise future.exception()  # type: ignore[misc]
            done_issues += len(future.result())
        on_done(done_issues)
    return [future.result() for future in futures]


def _search_server(
    client: JiraClient, jql: str, fields: list[str], start: int, size: int
) -> dict[str, Any]:
    body: dict[str, Any] = {"jql": jql, "startAt": start, "maxResults": size, "fields": fields}
    expand = _expand(client)
    if expand:
        body["expand"] = [expand]
    result: dict[str, Any] = client.request_json(
        "POST", "search", what="searching issues", body=body
    )
    return result


def _server_page(
    client: JiraClient, jql: str, fields: list[str], start: int, size: int
) -> list[dict[str, Any]]:
    return list(_search_server(client, jql, fields, start, size).get("issues") or [])


def _server_fetch_all(
    client: JiraClient, jql: str, fields: list[str], report: Report | None
) -> list[dict[str, Any]]:
    first = _search_server(client, jql, fields, 0, SERVER_PAGE)
    issues: list[dict[str, Any]] = list(first.get("issues") or [])
    total = int(first.get("total") or 0)
    page = int(first.get("maxResults") or len(issues) or SERVER_PAGE)
    if report is not None:
        report(len(issues), total)
    starts = list(range(page, total, page)) if issues else []
    if starts:
        with ThreadPoolExecutor(max_workers=client.settings.concurrency) as pool:
            pages = _run_bounded(
                client,
                pool,
                [partial(_server_page, client, jql, fields, start, page) for start in starts],
                lambda done: report(len(issues) + done, total) if report else None,
            )
        for batch in pages:
            issues.extend(batch)
    # Pages can overlap when issues change during the pull; keep each issue once.
    return list({issue["key"]: issue for issue in issues}.values())


def updated_since_jql(jql: str, minutes: int) -> str:
    """``jql`` restricted to issues updated in the last ``minutes`` (ORDER BY kept)."""
    match = _ORDER_BY.search(jql)
    where, order = (jql[: match.start()], jql[match.start() :]) if match else (jql, "")
    where = where.strip()
    clause = f"updated >= -{minutes}m"
    restricted = f"({where}) AND {clause}" if where else clause
    return f"{restricted} {order.strip()}".strip()


def _fetch_changed(
    client: JiraClient, jql: str, entry: Any, now: dt.datetime, report: Report | None
) -> list[dict[str, Any]]:
    elapsed = (now - entry.synced_at).total_seconds() / 60
    query = updated_since_jql(jql, math.ceil(max(elapsed, 0)) + SYNC_MARGIN_MINUTES)
    fields = requested_fields(entry.field_ids)
    changed: list[dict[str, Any]] = []
    if client.deployment == "cloud":
        token: str | None = None
        while True:
            page = _search_cloud(client, query, fields, FIELDS_PAGE, token, "searching issues")
            changed.extend(page.get("issues") or [])
            token = page.get("nextPageToken")
            if report is not None:
                report(len(changed), None)
            if not token or page.get("isLast"):
                return changed
    start = 0
    while True:
        result = _search_server(client, query, fields, start, SERVER_PAGE)
        batch = list(result.get("issues") or [])
        changed.extend(batch)
        start += len(batch)
        if report is not None:
            report(len(changed), int(result.get("total") or 0))
        if not batch or start >= int(result.get("total") or 0):
            return changed
