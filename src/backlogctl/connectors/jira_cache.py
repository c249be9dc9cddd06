"""Incremental-sync cache: the mapped items of one (server, user, JQL, mapping) as of a pull.

Lives in the user cache dir (``BACKLOGCTL_CACHE_DIR`` overrides it). Holds issue data, never
credentials. Two files per query: a small ``.meta.json`` (when it was synced, the deployment,
resolved field ids, the keys, the statuses of linked issues outside the query) that a
repeat pull reads first so its one search request can start at once, and the items, stored
already mapped and read back with pydantic's JSON validator while that request is in
flight. A pull that changes no item rewrites only the meta file. Items are written before
the meta file and both carry the same stamp, so a crash between the two writes is detected.
A damaged or foreign cache is ignored, never an error; one dated in the future is stale
(``is_fresh``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from backlogctl.errors import InputError
from backlogctl.models import BacklogItem, StatusCategory


class CacheMeta(BaseModel):
    """What a repeat pull needs before it can send its search request."""

    format: Literal[3] = 3
    deployment: Literal["cloud", "server"]
    field_ids: dict[str, str]
    full_at: dt.datetime
    synced_at: dt.datetime
    #: Stamp of the items file this meta belongs to.
    items_stamp: str
    keys: list[str]
    #: Status categories of linked issues outside the query, and linked keys Jira does not
    #: know: kept here (always rewritten) so a pull that changes no item still updates them.
    dependency_statuses: dict[str, StatusCategory] = Field(default_factory=dict)
    missing_dependencies: list[str] = Field(default_factory=list)


class _CacheItems(BaseModel):
    format: Literal[3] = 3
    stamp: str
    lexoranks: dict[str, str]
    items: list[BacklogItem]


@dataclass
class CacheEntry:
    """One query's state: sync times, field ids, items by key and their raw LexoRanks."""

    deployment: Literal["cloud", "server"]
    field_ids: dict[str, str]
    synced_at: dt.datetime
    full_at: dt.datetime
    items: dict[str, BacklogItem] = field(default_factory=dict)
    lexoranks: dict[str, str] = field(default_factory=dict)
    dependency_statuses: dict[str, StatusCategory] = field(default_factory=dict)
    missing_dependencies: list[str] = field(default_factory=list)


def cache_dir() -> Path:
    """``$BACKLOGCTL_CACHE_DIR`` or the platform's user cache dir for backlogctl."""
    override = os.environ.get("BACKLOGCTL_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("backlogctl"))


def cache_path(server: str, user: str | None, jql: str, identity: dict[str, Any]) -> Path:
    """The items file of one query: keyed by server, user, JQL and the field mapping."""
    material = json.dumps([server, user, jql.strip(), identity], sort_keys=True)
    digest = hashlib.sha256(material.encode()).hexdigest()[:32]
    return cache_dir() / "jira" / f"{digest}.json"


def _meta_path(path: Path) -> Path:
    return path.with_suffix(".meta.json")


def load_meta(path: Path) -> CacheMeta | None:
    """The meta file of ``path``, or None when absent, unreadable or from another format."""
    try:
        return CacheMeta.model_validate_json(_meta_path(path).read_bytes())
    except (OSError, ValidationError, ValueError):
        return None


def is_fresh(meta: CacheMeta, now: dt.datetime, full_sync_hours: float) -> bool:
    """Whether a repeat pull may start from ``meta``: its last full pull is at most
    ``full_sync_hours`` old, and neither sync time lies in the future.

    A cache dated in the future (the clock was set back, or the cache came from another
    machine) would otherwise count as fresh forever and hide every change made before that
    date, so it is treated as stale: the next pull is a full one and rewrites the dates.
    """
    if meta.full_at > now or meta.synced_at > now:
        return False
    return now - meta.full_at <= dt.timedelta(hours=full_sync_hours)


def load_entry(path: Path, meta: CacheMeta) -> CacheEntry | None:
    """The cached items matching ``meta``, or None when damaged or from another sync."""
    try:
        data = _CacheItems.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        return None
    if data.stamp != meta.items_stamp:
        return None
    return CacheEntry(
        deployment=meta.deployment,
        field_ids=meta.field_ids,
        synced_at=meta.synced_at,
        full_at=meta.full_at,
        items={item.key: item for item in data.items},
        lexoranks=data.lexoranks,
        dependency_statuses=meta.dependency_statuses,
        missing_dependencies=meta.missing_dependencies,
    )


def save_entry(
    path: Path, entry: CacheEntry, *, items_changed: bool, previous: CacheMeta | None
) -> str | None:
    """Write ``entry`` atomically: the items (only when changed), then the meta file.

    Returns a warning instead of failing when the cache cannot be written.
    """
    from backlogctl.writeback.atomic import write_text_atomic

    stamp = previous.items_stamp if previous is not None and not items_changed else ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not stamp:
            stamp = f"{entry.synced_at.isoformat()}/{os.getpid()}"
            items = _CacheItems(
                stamp=stamp, lexoranks=entry.lexoranks, items=list(entry.items.values())
            )
            write_text_atomic(path, items.model_dump_json(exclude_defaults=True))
        meta = CacheMeta(
            deployment=entry.deployment,
            field_ids=entry.field_ids,
            full_at=entry.full_at,
            synced_at=entry.synced_at,
            items_stamp=stamp,
            keys=list(entry.items),
            dependency_statuses=entry.dependency_statuses,
            missing_dependencies=entry.missing_dependencies,
        )
        write_text_atomic(_meta_path(path), meta.model_dump_json())
    except (OSError, InputError) as exc:
        return f"cannot write the Jira cache {path}: {getattr(exc, 'message', exc)}"
    return None


class _OwnWrites(BaseModel):
    format: Literal[1] = 1
    #: Issue key -> what backlogctl wrote to it: field ids or names, ``labels``, ``comment``.
    issues: dict[str, list[str]] = Field(default_factory=dict)
    #: Labels backlogctl added or removed (the mark label, by any name it was given).
    labels: list[str] = Field(default_factory=list)


#: Issues remembered per server and user; the oldest records go first beyond this.
MAX_RECORDED_ISSUES = 100_000


def _writes_path(server: str, user: str | None) -> Path:
    digest = hashlib.sha256(json.dumps([server, user]).encode()).hexdigest()[:32]
    return cache_dir() / "jira" / f"writes-{digest}.json"


@dataclass(frozen=True)
class OwnWrites:
    """What backlogctl has written on one server as one user (``record_writes``)."""

    #: Issue key -> field ids or names written (``labels``, ``comment``, ``customfield_...``).
    issues: dict[str, frozenset[str]]
    #: Labels backlogctl has added or removed.
    labels: frozenset[str]


def load_writes(server: str, user: str | None) -> OwnWrites:
    """backlogctl's recorded writes on ``server`` as ``user`` (none when absent or damaged)."""
    try:
        data = _OwnWrites.model_validate_json(_writes_path(server, user).read_bytes())
    except (OSError, ValidationError, ValueError):
        data = _OwnWrites()
    return OwnWrites(
        issues={key: frozenset(fields) for key, fields in data.issues.items()},
        labels=frozenset(data.labels),
    )


def record_writes(
    server: str,
    user: str | None,
    written: dict[str, list[str]],
    *,
    labels: list[str] | None = None,
) -> str | None:
    """Remember that backlogctl wrote ``written`` (issue key -> field ids or names it set:
    ``labels``, ``comment``, ``customfield_10050``...) and the ``labels`` it added or removed.

    ``jira push`` and ``jira mark`` call this after applying, so that the next pull reads
    those issues' changelogs and does not take backlogctl's own writes for activity on them
    (``jira_activity``). Returns a warning instead of failing when the file cannot be written.
    """
    from backlogctl.writeback.atomic import write_text_atomic

    if not written and not labels:
        return None
    path = _writes_path(server, user)
    try:
        data = _OwnWrites.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        data = _OwnWrites()
    for key, fields in written.items():
        # Re-inserted at the end: the dict keeps the most recently written issues last.
        known = data.issues.pop(key, [])
        data.issues[key] = sorted({*known, *fields})
    while len(data.issues) > MAX_RECORDED_ISSUES:
        del data.issues[next(iter(data.issues))]
    data.labels = sorted({*data.labels, *(labels or [])})
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_text_atomic(path, data.model_dump_json())
    except (OSError, InputError) as exc:
        return f"cannot record backlogctl's writes in {path}: {getattr(exc, 'message', exc)}"
    return None
