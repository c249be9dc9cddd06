"""``diff --format json``, ``schema_version`` 1: fields are only added (docs/architecture.md).

``to.id`` is null for the current backlog; ``changes[].field`` uses rank's dotted input names
(``rice.impact``); ``old``/``new`` are null when the input is absent on that side. Text is
kept exactly.
"""

from __future__ import annotations

from typing import Any

from backlogctl.history.diff import Endpoint, FindingChange, HistoryDiff, ItemChange
from backlogctl.output.json_text import json_document

SCHEMA_VERSION = 1


def _endpoint(endpoint: Endpoint) -> dict[str, Any]:
    return {
        "id": endpoint.id,
        "taken": endpoint.taken.isoformat().replace("+00:00", "Z"),
        "note": endpoint.note,
    }


def _item(change: ItemChange, *fields: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"key": change.key, "title": change.title}
    for name in fields:
        if name == "changes":
            entry["changes"] = [
                {"field": c.field, "old": c.old, "new": c.new} for c in change.changes
            ]
        else:
            entry[name] = getattr(change, name)
    return entry


def _finding(finding: FindingChange) -> dict[str, Any]:
    return {
        "key": finding.key,
        "code": finding.code,
        "severity": finding.severity,
        "fingerprint": finding.fingerprint,
    }


def render_diff_json(diff: HistoryDiff) -> str:
    """The diff as indented JSON."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "from": _endpoint(diff.source),
        "to": _endpoint(diff.target),
        "model": diff.model,
        "added": [_item(c, "to_rank") for c in diff.added],
        "removed": [_item(c, "from_rank") for c in diff.removed],
        "done": [_item(c, "from_rank") for c in diff.done],
        "moves": [_item(c, "from_rank", "to_rank", "changes") for c in diff.moves],
        "now_ranked": [_item(c, "to_rank", "changes") for c in diff.now_ranked],
        "now_unscored": [_item(c, "from_rank", "reason", "changes") for c in diff.now_unscored],
        "new_findings": [_finding(f) for f in diff.new_findings],
        "fixed_findings": [_finding(f) for f in diff.fixed_findings],
    }
    return json_document(document)
