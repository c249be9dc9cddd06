"""The Jira connector: pull the issues of a JQL query (Cloud or Server/DC) as a ``Backlog``.

Cloud: one search page with the mapped fields; when there is more, a key-only listing
(up to 5,000 per page) then bounded-concurrency ``issue/bulkfetch`` calls of 100 issues.
Server/DC: ``/rest/api/2/search`` with startAt; the remaining pages are fetched concurrently
once the first page gives the total. Batches are mapped as they arrive.

A cache makes a repeat pull ask only for what changed since the last one: one key-only search
for issues updated since then that match the query or sit in a cached project (that is the
whole cost when nothing changed), then the changed keys re-queried with the JQL, which also
shows which cached issues left the query. Deleted issues update nothing, so only a full pull
(``full=True``, or a cache older than ``jira.full_sync_hours``) drops them. Any page failing
after retries aborts the pull: never a partial backlog.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from backlogctl.connectors.jira_client import JiraClient, resolve_credentials
from backlogctl.connectors.jira_fields import (
    apply_ranks,
    check_targets,
    map_issues,
    requested_fields,
    resolve_fields,
)
from backlogctl.errors import InputError
from backlogctl.models import Backlog, BacklogItem

if TYPE_CHECKING:
    from pathlib import Path

    from backlogctl.config import Config
    from backlogctl.connectors.jira_cache import CacheEntry, CacheMeta

Warn = Callable[[str], None]
#: ``report(fetched, total)``: how far a pull is (``total`` None while still unknown).
Report = Callable[[int, int | None], None]
#: Opens a progress display for one pull and yields its ``Report`` (None: nothing shown).
ProgressFactory = Callable[[], AbstractContextManager[Report | None]]
_T = TypeVar("_T")

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
    jql: str, config: Config, *, warn: Warn | None = None, progress: ProgressFactory | None = None
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
    progress: ProgressFactory | None = None,
) -> PullResult:
    """Pull ``jql`` incrementally when a fresh cache exists, else in full.

    Raises ``InputError`` (exit 2: no token, bad JQL, unknown mapped field) or
    ``SourceError`` (exit 3: auth, network, server errors after retries).
    """
    from backlogctl.connectors.jira_cache import CacheEntry, cache_path, load_meta, save_entry

    if not jql.strip():
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
    meta = None if path is None else load_meta(path)
    usable = (
        meta is not None
        and not full
        and now - meta.full_at <= dt.timedelta(hours=settings.full_sync_hours)
    )
    messages: list[str] = []
    say = warn or messages.append
    entry: CacheEntry | None = None
    removed = 0
    with progress() if progress is not None else nullcontext() as report:
        if usable and path is not None and meta is not None:
            client = JiraClient(credentials, config, timeout=timeout, deployment=meta.deployment)
            mapper = _Mapper(meta.field_ids, config, credentials.url, say)
            entry = _incremental(client, jql, path, meta, now, mapper, report)
        incremental = entry is not None
        if entry is None:
            client = JiraClient(credentials, config, timeout=timeout)
            deployment = client.detect_deployment()
            field_ids = resolve_fields(config, client.fields()) if settings.fields else {}
            mapper = _Mapper(field_ids, config, credentials.url, say)
            _fetch_all(client, jql, mapper, report)
            if meta is not None:
                removed = len(set(meta.keys) - {item.key for item in mapper.items()})
            entry = CacheEntry(
                deployment=deployment, field_ids=field_ids, synced_at=now, full_at=now
            )
    if incremental:
        removed = mapper.removed
    fresh = mapper.items()
    entry.synced_at = now
    entry.items.update((item.key, item) for item in fresh)
    for item in fresh:
        if item.key in mapper.lexoranks:
            entry.lexoranks[item.key] = mapper.lexoranks[item.key]
        else:
            entry.lexoranks.pop(item.key, None)
    if fresh or removed:
        ranked = apply_ranks(entry.items.values(), entry.lexoranks)
        entry.items = {item.key: item for item in ranked}
    if path is not None:
        changed = bool(fresh) or bool(removed) or not incremental
        problem = save_entry(path, entry, items_changed=changed, previous=meta)
        if problem:
            say(problem)
    return PullResult(
        backlog=Backlog(items=list(entry.items.values()), warnings=messages),
        server=credentials.url,
        deployment=entry.deployment,
        requests=client.requests,
        fetched=len(fresh),
        incremental=incremental,
        removed=removed,
        seconds=time.monotonic() - started,
    )


def _incremental(
    client: JiraClient,
    jql: str,
    path: Path,
    meta: CacheMeta,
    now: dt.datetime,
    mapper: _Mapper,
    report: Report | None,
) -> CacheEntry | None:
    """Search for changes while the cached items load; None when the items are unusable.

    Cached issues that changed so that they no longer match the query are dropped.
    """
    from backlogctl.connectors.jira_cache import load_entry

    with ThreadPoolExecutor(max_workers=1) as pool:
        search = pool.submit(
            _fetch_changed, client, jql, meta.keys, meta.synced_at, now, mapper, report
        )
        entry = load_entry(path, meta)
        left = _wait_first(client, search)
    if entry is not None:
        for key in left:
            entry.items.pop(key, None)
            entry.lexoranks.pop(key, None)
        mapper.removed = len(left)
    return entry


class _Mapper:
    """Maps each batch as it arrives, on the calling thread, while other requests are in flight.

    Remembers the order issues were listed in, so the backlog keeps the query's order.
    """

    def __init__(self, field_ids: dict[str, str], config: Config, server: str, warn: Warn) -> None:
        self.field_ids = field_ids
        self.fields = requested_fields(field_ids)
        self._config = config
        self._server = server
        self._warn = warn
        self._by_id: dict[str, BacklogItem] = {}
        self.order: list[str] = []
        self.lexoranks: dict[str, str] = {}
        #: Cached issues that left the query (found by an incremental pull).
        self.removed = 0

    def add(self, issues: list[dict[str, Any]], *, listed: bool = True) -> int:
        """Map ``issues``; with ``listed``, their order is the backlog order. Returns the count."""
        items, lexoranks = map_issues(
            issues, self.field_ids, self._config, self._server, warn=self._warn
        )
        for raw, item in zip(issues, items, strict=True):
            issue_id = str(raw.get("id") or item.key)
            if listed and issue_id not in self._by_id:
                self.order.append(issue_id)
            self._by_id[issue_id] = item
        self.lexoranks.update(lexoranks)
        return len(items)

    def items(self) -> list[BacklogItem]:
        """Mapped items in listing order; issues gone between listing and fetch are absent."""
        return [self._by_id[issue_id] for issue_id in self.order if issue_id in self._by_id]


def _expand(client: JiraClient) -> str | None:
    return "changelog" if client.settings.changelog else None


def _fetch_all(client: JiraClient, jql: str, mapper: _Mapper, report: Report | None) -> None:
    if client.deployment == "cloud":
        _cloud_fetch_all(client, jql, mapper, report)
    else:
        _server_fetch_all(client, jql, mapper, report)


def _search_cloud(
    client: JiraClient, jql: str, fields: Sequence[str], size: int, token: str | None, what: str
) -> dict[str, Any]:
    body: dict[str, Any] = {"jql": jql, "fields": list(fields), "maxResults": size}
    if token:
        body["nextPageToken"] = token
    expand = _expand(client)
    if expand and list(fields) != ["id"]:
        body["expand"] = expand
    result: dict[str, Any] = client.request_json("POST", "search/jql", what=what, body=body)
    return result


def _cloud_fetch_all(client: JiraClient, jql: str, mapper: _Mapper, report: Report | None) -> None:
    # Bulk fetches of 100 issues are light next to Server/DC pages of 1,000: twice as many.
    with ThreadPoolExecutor(max_workers=2 * client.settings.concurrency) as pool:
        count: Future[Any] | None = None
        if report is not None:
            count = pool.submit(
                client.request_json,
                "POST",
                "search/approximate-count",
                what="counting issues",
                body={"jql": jql},
            )
        first = _search_cloud(client, jql, mapper.fields, FIELDS_PAGE, None, "searching issues")
        issues: list[dict[str, Any]] = list(first.get("issues") or [])
        if not first.get("nextPageToken"):
            mapper.add(issues)
            return
        listing = pool.submit(_list_ids, client, jql)
        done = mapper.add(issues, listed=False)
        total = _approximate_total(count)
        if report is not None:
            report(done, total)
        ids = _wait_first(client, listing)
        mapper.order = list(dict.fromkeys(ids))
        have = {str(issue["id"]) for issue in issues}
        missing = [issue_id for issue_id in mapper.order if issue_id not in have]
        chunks = [missing[i : i + BULK_SIZE] for i in range(0, len(missing), BULK_SIZE)]
        jobs = [partial(_bulkfetch, client, chunk, mapper.fields) for chunk in chunks]

        def on_result(batch: list[dict[str, Any]]) -> None:
            nonlocal done
            done += mapper.add(batch, listed=False)
            if report is not None:
                report(done, len(mapper.order))

        _run_bounded(client, pool, jobs, on_result)


def _wait_first(client: JiraClient, future: Future[_T]) -> _T:
    try:
        return future.result()
    except BaseException:
        client.abort()
        raise


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
    jobs: Sequence[Callable[[], _T]],
    on_result: Callable[[_T], None],
) -> None:
    """Run ``jobs`` on ``pool``, handing each result to ``on_result`` as it completes.

    The first failure aborts the other jobs and is raised: never a partial backlog.
    """
    futures = [pool.submit(job) for job in jobs]
    pending = set(futures)
    try:
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                on_result(future.result())
    except BaseException:
        client.abort()
        for other in pending:
            other.cancel()
        raise


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
) -> tuple[int, list[dict[str, Any]]]:
    return start, list(_search_server(client, jql, fields, start, size).get("issues") or [])


def _server_fetch_all(client: JiraClient, jql: str, mapper: _Mapper, report: Report | None) -> None:
    first = _search_server(client, jql, mapper.fields, 0, SERVER_PAGE)
    issues: list[dict[str, Any]] = list(first.get("issues") or [])
    total = int(first.get("total") or 0)
    page = int(first.get("maxResults") or len(issues) or SERVER_PAGE)
    starts = list(range(page, total, page)) if issues else []
    pages: dict[int, list[dict[str, Any]]] = {}
    done = 0

    def on_result(result: tuple[int, list[dict[str, Any]]]) -> None:
        nonlocal done
        start, batch = result
        pages[start] = batch
        done += mapper.add(batch, listed=False)
        if report is not None:
            report(done, total)

    on_result((0, issues))
    with ThreadPoolExecutor(max_workers=client.settings.concurrency) as pool:
        jobs = [partial(_server_page, client, jql, mapper.fields, start, page) for start in starts]
        _run_bounded(client, pool, jobs, on_result)
    # Pages can overlap when issues change during the pull; each issue is kept once.
    mapper.order = list(
        dict.fromkeys(str(issue["id"]) for start in sorted(pages) for issue in pages[start])
    )


def _split_order(jql: str) -> tuple[str, str]:
    match = _ORDER_BY.search(jql)
    where, order = (jql[: match.start()], jql[match.start() :]) if match else (jql, "")
    return where.strip(), order.strip()


def updated_since_jql(jql: str, minutes: int) -> str:
    """``jql`` restricted to issues updated in the last ``minutes`` (ORDER BY kept)."""
    where, order = _split_order(jql)
    clause = f"updated >= -{minutes}m"
    restricted = f"({where}) AND {clause}" if where else clause
    return f"{restricted} {order}".strip()


def changes_jql(jql: str, minutes: int, projects: Sequence[str]) -> str:
    """Issues updated in the last ``minutes`` that match ``jql`` *or* sit in ``projects``.

    The second part finds cached issues that changed so that they no longer match (moved to
    Done, relabelled...); new matches in other projects come from the first part.
    """
    where, _ = _split_order(jql)
    scope = ", ".join(f'"{project}"' for project in projects)
    return f"updated >= -{minutes}m AND (({where}) OR project in ({scope}))"


def _fetch_changed(
    client: JiraClient,
    jql: str,
    cached_keys: Sequence[str],
    synced_at: dt.datetime,
    now: dt.datetime,
    mapper: _Mapper,
    report: Report | None,
) -> set[str]:
    """Map the issues changed since ``synced_at`` that match ``jql``; return the cached keys
    that changed and no longer match.

    Nothing changed costs one request (a key-only search); otherwise the changed keys are
    re-queried with ``jql`` to learn which still match, with the mapped fields.
    """
    elapsed = (now - synced_at).total_seconds() / 60
    minutes = math.ceil(max(elapsed, 0)) + SYNC_MARGIN_MINUTES
    where, order = _split_order(jql)
    projects = sorted({key.rpartition("-")[0] for key in cached_keys if "-" in key})
    if not where or not projects:
        _search_mapped(client, updated_since_jql(jql, minutes), mapper, report)
        return set()
    changed = _list_keys(client, changes_jql(jql, minutes, projects))
    matching: set[str] = set()
    for start in range(0, len(changed), BULK_SIZE):
        keys = ", ".join(changed[start : start + BULK_SIZE])
        query = f"({where}) AND key in ({keys}) {order}".strip()
        matching |= _search_mapped(client, query, mapper, report)
    return (set(changed) - matching) & set(cached_keys)


def _list_keys(client: JiraClient, jql: str) -> list[str]:
    keys: list[str] = []
    if client.deployment == "cloud":
        token: str | None = None
        while True:
            page = _search_cloud(client, jql, ["key"], KEYS_PAGE, token, "listing changes")
            keys.extend(str(issue["key"]) for issue in page.get("issues") or [])
            token = page.get("nextPageToken")
            if not token or page.get("isLast"):
                return keys
    while True:
        result = _search_server(client, jql, ["key"], len(keys), SERVER_PAGE)
        batch = [str(issue["key"]) for issue in result.get("issues") or []]
        keys.extend(batch)
        if not batch or len(keys) >= int(result.get("total") or 0):
            return keys


def _search_mapped(
    client: JiraClient, jql: str, mapper: _Mapper, report: Report | None
) -> set[str]:
    """All issues of ``jql`` with the mapped fields, page after page; returns their keys."""
    keys: set[str] = set()

    def add(batch: list[dict[str, Any]], total: int | None) -> None:
        mapper.add(batch)
        keys.update(str(issue["key"]) for issue in batch)
        if report is not None:
            report(len(keys), total)

    if client.deployment == "cloud":
        token: str | None = None
        while True:
            page = _search_cloud(client, jql, mapper.fields, FIELDS_PAGE, token, "searching issues")
            add(list(page.get("issues") or []), None)
            token = page.get("nextPageToken")
            if not token or page.get("isLast"):
                return keys
    start = 0
    while True:
        result = _search_server(client, jql, mapper.fields, start, SERVER_PAGE)
        batch = list(result.get("issues") or [])
        total = int(result.get("total") or 0)
        add(batch, total)
        start += len(batch)
        if not batch or start >= total:
            return keys
