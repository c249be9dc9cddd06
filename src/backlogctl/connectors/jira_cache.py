"""Incremental-sync cache: the mapped items of one (server, user, JQL, mapping) as of a pull.

Lives in the user cache dir (``BACKLOGCTL_CACHE_DIR`` overrides it). Holds issue data, never
credentials. Items are stored already mapped and read back with pydantic's JSON validator, so a
repeat pull with no changes costs one search request and a file read. A pull that changes
nothing rewrites only the small ``.sync`` stamp beside the cache file. A damaged or foreign
cache file is ignored, never an error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from backlogctl.errors import InputError
from backlogctl.models import BacklogItem


class _CacheFile(BaseModel):
    format: Literal[2]
    deployment: str
    field_ids: dict[str, str]
    full_at: dt.datetime
    synced_at: dt.datetime
    lexoranks: dict[str, str]
    items: list[BacklogItem]


@dataclass
class CacheEntry:
    """What one pull leaves for the next: items by key and their raw LexoRank strings."""

    deployment: str
    field_ids: dict[str, str]
    synced_at: dt.datetime
    full_at: dt.datetime
    items: dict[str, BacklogItem] = field(default_factory=dict)
    lexoranks: dict[str, str] = field(default_factory=dict)


def cache_dir() -> Path:
    """``$BACKLOGCTL_CACHE_DIR`` or the platform's user cache dir for backlogctl."""
    override = os.environ.get("BACKLOGCTL_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("backlogctl"))


def cache_path(server: str, user: str | None, jql: str, identity: dict[str, Any]) -> Path:
    """The cache file of one query: keyed by server, user, JQL and the field mapping."""
    material = json.dumps([server, user, jql.strip(), identity], sort_keys=True)
    digest = hashlib.sha256(material.encode()).hexdigest()[:32]
    return cache_dir() / "jira" / f"{digest}.json"


def _stamp_path(path: Path) -> Path:
    return path.with_suffix(".sync")


def load_entry(path: Path) -> CacheEntry | None:
    """The cached entry, or None when absent, unreadable or from another format."""
    try:
        data = _CacheFile.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        return None
    synced_at = data.synced_at
    try:
        stamp = dt.datetime.fromisoformat(_stamp_path(path).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        stamp = None
    if stamp is not None and stamp.tzinfo is not None:
        synced_at = max(synced_at, stamp)
    return CacheEntry(
        deployment=data.deployment,
        field_ids=data.field_ids,
        synced_at=synced_at,
        full_at=data.full_at,
        items={item.key: item for item in data.items},
        lexoranks=data.lexoranks,
    )


def save_entry(path: Path, entry: CacheEntry, *, items_changed: bool = True) -> str | None:
    """Write ``entry`` atomically (only the sync stamp when no item changed).

    Returns a warning instead of failing when the cache cannot be written.
    """
    from backlogctl.writeback.atomic import write_text_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if items_changed or not path.exists():
            payload = _CacheFile(
                format=2,
                deployment=entry.deployment,
                field_ids=entry.field_ids,
                full_at=entry.full_at,
                synced_at=entry.synced_at,
                lexoranks=entry.lexoranks,
                items=list(entry.items.values()),
            )
            write_text_atomic(path, payload.model_dump_json(exclude_defaults=True))
        write_text_atomic(_stamp_path(path), entry.synced_at.isoformat())
    except (OSError, InputError) as exc:
        return f"cannot write the Jira cache {path}: {getattr(exc, 'message', exc)}"
    return None
