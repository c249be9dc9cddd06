"""The Jira connector: pull the issues of a JQL query (Cloud or Server/DC) as a ``Backlog``.

This module decides between a full and an incremental pull and keeps the cache; the HTTP
client (``jira_client``), the search pages of each API flavour (``jira_pages``), the full
fetch (``jira_fetch``) and the field mapping (``jira_fields``) live beside it.

A cache makes a repeat pull ask only for what changed since the last one: one key-only search
for issues updated since then that match the query or sit in a cached project (that is the
whole cost when nothing changed), then the changed keys re-queried with the JQL, which also
shows which cached issues left the query. Deleted issues update nothing, so only a full pull
(``full=True``, a cache older than ``jira.full_sync_hours``, or one dated in the future) drops
them. Any page failing after retries aborts the pull: never a partial backlog.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

from backlogctl.connectors.jira_client import JiraClient
from backlogctl.connectors.jira_credentials import resolve_credentials
from backlogctl.connectors.jira_fetch import BULK_SIZE, IssueMapper, fetch_all, wait_first
from backlogctl.connectors.jira_fields import apply_ranks, check_targets, resolve_fields
from backlogctl.connectors.jira_links import link_types, refresh_statuses
from backlogctl.connectors.jira_pages import search_pages
from backlogctl.connectors.jira_types import ProgressFactory, Report, Warn
from backlogctl.errors import InputError
from backlogctl.models import Backlog

if TYPE_CHECKING:
    from pathlib import Path

    from backlogctl.config import Config
    from backlogctl.connectors.jira_cache import CacheEntry, CacheMeta

__all__ = [
    "ProgressFactory",
    "PullResult",
    "Report",
    "Warn",
    "changes_jql",
    "pull_backlog",
    "read_jira_backlog",
    "updated_since_jql",
]

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

    Raises ``InputError`` (exit 2: no token, plain HTTP, bad JQL, unknown mapped field) or
    ``SourceError`` (exit 3: auth, network, redirects, malformed replies, server errors).
    """
    from backlogctl.connectors.jira_cache import (
        CacheEntry,
        cache_path,
        is_fresh,
        load_meta,
        save_entry,
    )

    if not jql.strip():
        raise InputError("--jql: the query is empty")
    started = time.monotonic()
    now = dt.datetime.now(dt.UTC)
    messages: list[str] = []
    say = warn or messages.append
    check_targets(config)
    credentials = resolve_credentials(config, url=url, email=email, warn=say)
    settings = config.jira
    identity = {
        "fields": settings.fields,
        "changelog": settings.changelog,
        "deployment": settings.deployment,
        "dependency_links": sorted(link_types(config)),
        # What jira_activity takes for backlogctl's own writes shapes the cached dates.
        "own": [settings.mark.label, settings.push.score_field],
    }
    path = cache_path(credentials.url, credentials.email, jql, identity) if settings.cache else None
    meta = None if path is None else load_meta(path)
    usable = meta is not None and not full and is_fresh(meta, now, settings.full_sync_hours)
    entry: CacheEntry | None = None
    removed = 0
    #: Linked issues outside the query that changed since the last pull (None: ask for all).
    changed_outside: set[str] | None = None
    with progress() if progress is not None else nullcontext() as report:
        if usable and path is not None and meta is not None:
            client = JiraClient(credentials, config, timeout=timeout, deployment=meta.deployment)
            mapper = IssueMapper(meta.field_ids, config, credentials.url, say)
            entry, changed_outside = _incremental(client, jql, path, meta, now, mapper, report)
        incremental = entry is not None
        if entry is None:
            client = JiraClient(credentials, config, timeout=timeout)
            deployment = client.detect_deployment()
            field_ids = resolve_fields(config, client.fields()) if settings.fields else {}
            mapper = IssueMapper(field_ids, config, credentials.url, say)
            fetch_all(client, jql, mapper, report)
            if meta is not None:
                removed = len(set(meta.keys) - {item.key for item in mapper.items()})
            entry = CacheEntry(
                deployment=deployment, field_ids=field_ids, synced_at=now, full_at=now
            )
    if incremental:
        removed = mapper.removed
    fresh = mapper.items()
    if fresh:
        from backlogctl.connectors.jira_activity import discount_own_writes

        # Before caching: a cached item then already carries its real activity date.
        fresh = discount_own_writes(client, config, fresh)
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
    entry.dependency_statuses, entry.missing_dependencies = refresh_statuses(
        client,
        entry.items.values(),
        config,
        entry.dependency_statuses,
        entry.missing_dependencies,
        changed_outside if incremental else None,
    )
    if path is not None:
        changed = bool(fresh) or bool(removed) or not incremental
        problem = save_entry(path, entry, items_changed=changed, previous=meta)
        if problem:
            say(problem)
    return PullResult(
        backlog=Backlog(
            items=list(entry.items.values()),
            warnings=messages,
            dependency_statuses=entry.dependency_statuses,
        ),
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
    mapper: IssueMapper,
    report: Report | None,
) -> tuple[CacheEntry | None, set[str] | None]:
    """Search for changes while the cached items load; None when the items are unusable.

    Cached issues that changed so that they no longer match the query are dropped. Also
    returns the linked issues outside the query that changed (None when not known).
    """
    from backlogctl.connectors.jira_cache import load_entry

    with ThreadPoolExecutor(max_workers=1) as pool:
        watched = [*meta.dependency_statuses, *meta.missing_dependencies]
        search = pool.submit(
            _fetch_changed, client, jql, meta.keys, watched, meta.synced_at, now, mapper, report
        )
        entry = load_entry(path, meta)
        left, changed_outside = wait_first(client, search)
    if entry is not None:
        for key in left:
            entry.items.pop(key, None)
            entry.lexoranks.pop(key, None)
        mapper.removed = len(left)
    return entry, changed_outside


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
    watched: Sequence[str],
    synced_at: dt.datetime,
    now: dt.datetime,
    mapper: IssueMapper,
    report: Report | None,
) -> tuple[set[str], set[str] | None]:
    """Map the issues changed since ``synced_at`` that match ``jql``; return the cached keys
    that changed and no longer match, and the ``watched`` keys (linked issues outside the
    query) that changed, or None when that is not known.

    Nothing changed costs one request (a key-only search, which also covers the projects of
    the watched keys); otherwise the changed keys are re-queried with ``jql`` to learn which
    still match, with the mapped fields.
    """
    elapsed = (now - synced_at).total_seconds() / 60
    minutes = math.ceil(max(elapsed, 0)) + SYNC_MARGIN_MINUTES
    where, order = _split_order(jql)
    projects = sorted({key.rpartition("-")[0] for key in [*cached_keys, *watched] if "-" in key})
    if not where or not projects:
        _search_mapped(client, updated_since_jql(jql, minutes), mapper, report)
        return set(), None
    listing = search_pages(
        client, changes_jql(jql, minutes, projects), ["key"], what="listing changes", keys_only=True
    )
    changed = [issue["key"] for page in listing for issue in page.issues]
    matching: set[str] = set()
    for start in range(0, len(changed), BULK_SIZE):
        keys = ", ".join(changed[start : start + BULK_SIZE])
        query = f"({where}) AND key in ({keys}) {order}".strip()
        matching |= _search_mapped(client, query, mapper, report)
    return (set(changed) - matching) & set(cached_keys), set(changed) & set(watched)


def _search_mapped(
    client: JiraClient, jql: str, mapper: IssueMapper, report: Report | None
) -> set[str]:
    """All issues of ``jql`` with the mapped fields, page after page; returns their keys."""
    keys: set[str] = set()
    for page in search_pages(client, jql, mapper.fields, what="searching issues"):
        mapper.add(page.issues)
        keys.update(issue["key"] for issue in page.issues)
        if report is not None:
            report(len(keys), page.total)
    return keys
