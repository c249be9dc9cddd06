"""Incremental-sync cache: the raw issues of one (server, JQL, mapping) as of the last pull.

Lives in the user cache dir (``BACKLOGCTL_CACHE_DIR`` overrides it). Holds issue data, never
credentials. A damaged or foreign cache file is ignored, never an error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backlogctl.errors import InputError

_FORMAT = 1


@dataclass
class CacheEntry:
    """What one pull leaves behind for the next one."""

    deployment: str
    field_ids: dict[str, str]
    synced_at: dt.datetime
    full_at: dt.datetime
    issues: dict[str, dict[str, Any]] = field(default_factory=dict)


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


def load_entry(path: Path) -> CacheEntry | None:
    """The cached entry, or None when absent, unreadable or from another format."""
    try:
        data = json.loads(path.read_bytes())
        if data.get("format") != _FORMAT:
            return None
        return CacheEntry(
            deployment=str(data["deployment"]),
            field_ids={str(k): str(v) for k, v in data["field_ids"].items()},
            synced_at=dt.datetime.fromisoformat(data["synced_at"]),
            full_at=dt.datetime.fromisoformat(data["full_at"]),
            issues=data["issues"],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save_entry(path: Path, entry: CacheEntry) -> str | None:
    """Write ``entry`` atomically; return a warning instead of failing when that is impossible."""
    from backlogctl.writeback.atomic import write_text_atomic

    payload = {
        "format": _FORMAT,
        "deployment": entry.deployment,
        "field_ids": entry.field_ids,
        "synced_at": entry.synced_at.isoformat(),
        "full_at": entry.full_at.isoformat(),
        "issues": entry.issues,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_text_atomic(path, json.dumps(payload, separators=(",", ":")))
    except (OSError, InputError) as exc:
        return f"cannot write the Jira cache {path}: {getattr(exc, 'message', exc)}"
    return None
