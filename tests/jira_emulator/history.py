"""Issue history in the emulator: changelogs (per issue and ``changelog/bulkfetch``), comments
with their author accounts, and the accounts themselves.

Histories live in each issue's ``changelog`` list (the shape ``expand=changelog`` renders);
comments in its ``comment`` field, as Jira returns them. Writes through the emulator's REST
API are made by ``MYSELF`` (the authenticated account); tests add other people's work with
``add_history`` and ``add_comment``.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
from typing import TYPE_CHECKING, Any

from jira_emulator.data import adf_paragraph, jira_datetime

if TYPE_CHECKING:
    from jira_emulator.server import JiraEmulator

_ids = itertools.count(50000)


def account(name: str) -> dict[str, Any]:
    """A user as changelogs and comments name them: Cloud ``accountId`` and Server/DC
    ``name``/``key`` together (each flavour's client reads its own)."""
    slug = name.lower().replace(" ", "-")
    return {
        "accountId": f"557058:{slug}",
        "name": slug,
        "key": f"JIRAUSER-{slug}",
        "displayName": name,
        "active": True,
    }


#: The account the emulator authenticates every request as (``GET myself``).
MYSELF = account("po")
MYSELF["displayName"] = "Product Owner"


#: A changelog item for an edit people make (the summary reworded).
HUMAN_EDIT = {"field": "summary", "fieldId": "summary", "fromString": "old", "toString": "new"}


def myself(email: str) -> dict[str, Any]:
    """The ``GET myself`` answer."""
    return {**MYSELF, "emailAddress": email}


def add_history(
    emulator: JiraEmulator,
    key: str,
    items: list[dict[str, Any]],
    *,
    author: dict[str, Any] | None = None,
    when: dt.datetime | None = None,
    bump: bool = True,
) -> None:
    """Record a change of ``items`` (``{"field", "fieldId", "fromString", "toString"}``) by
    ``author`` (default ``MYSELF``) at ``when`` (default now); ``bump`` moves ``updated``."""
    moment = when or dt.datetime.now(dt.UTC)
    issue = emulator.issue(key)
    assert issue is not None, key
    with emulator._lock:
        record_change(issue, items, author=author or MYSELF, when=moment)
        if bump:
            issue["fields"]["updated"] = jira_datetime(moment)
        emulator._version += 1


def record_change(
    issue: dict[str, Any],
    items: list[dict[str, Any]],
    *,
    author: dict[str, Any],
    when: dt.datetime,
) -> None:
    """Append one history to ``issue``'s changelog (the caller holds the emulator's lock)."""
    entries = [{"fieldtype": "jira", "from": None, "to": None, **item} for item in items]
    issue.setdefault("changelog", []).append(
        {"id": str(next(_ids)), "author": author, "created": jira_datetime(when), "items": entries}
    )


def labels_change(before: list[str], after: list[str]) -> dict[str, Any]:
    """A changelog item for a labels edit, as Jira writes it (space-separated)."""
    return {
        "field": "labels",
        "fieldId": "labels",
        "fromString": " ".join(before),
        "toString": " ".join(after),
    }


def add_comment(
    emulator: JiraEmulator,
    key: str,
    text: str,
    *,
    author: dict[str, Any] | None = None,
    when: dt.datetime | None = None,
) -> None:
    """Add a comment by ``author`` (default ``MYSELF``); ``updated`` moves, no history."""
    moment = when or dt.datetime.now(dt.UTC)
    issue = emulator.issue(key)
    assert issue is not None, key
    with emulator._lock:
        store_comment(issue, adf_paragraph(text), author=author or MYSELF, when=moment)
        issue["fields"]["updated"] = jira_datetime(moment)
        emulator._version += 1


def store_comment(
    issue: dict[str, Any], body: Any, *, author: dict[str, Any], when: dt.datetime
) -> dict[str, Any]:
    """Append a comment to ``issue`` (the caller holds the emulator's lock); returns it."""
    field = issue["fields"].get("comment")
    if not isinstance(field, dict):
        field = issue["fields"]["comment"] = {"comments": [], "startAt": 0}
    stamp = jira_datetime(when)
    comment = {
        "id": str(next(_ids)),
        "author": author,
        "updateAuthor": author,
        "body": body,
        "created": stamp,
        "updated": stamp,
    }
    field["comments"].append(comment)
    field["total"] = field["maxResults"] = len(field["comments"])
    return comment


def bulk_changelogs(emulator: JiraEmulator, args: dict[str, Any]) -> tuple[int, Any]:
    """``POST /rest/api/3/changelog/bulkfetch``: histories of up to 1,000 issues, oldest
    first, ``maxResults`` histories per page (at most 10,000), ``nextPageToken`` for more."""
    wanted = args.get("issueIdsOrKeys")
    if not isinstance(wanted, list) or not wanted or len(wanted) > 1000:
        return 400, {
            "errorMessages": ["issueIdsOrKeys must hold between 1 and 1000 issues."],
            "errors": {},
        }
    size = min(int(args.get("maxResults") or 1000), 10000)
    fields = args.get("fieldIds") or None
    rows: list[tuple[str, dict[str, Any]]] = []
    for name in dict.fromkeys(str(name) for name in wanted):
        issue = emulator.issue(name)
        if issue is None:
            continue
        for history in issue.get("changelog", []):
            if fields is None or any(i.get("fieldId") in fields for i in history["items"]):
                rows.append((issue["id"], history))
    token = args.get("nextPageToken")
    start = int(base64.urlsafe_b64decode(str(token)).decode()) if token else 0
    page = rows[start : start + size]
    logs: dict[str, list[dict[str, Any]]] = {}
    for issue_id, history in page:
        logs.setdefault(issue_id, []).append(_bulk_shape(history))
    payload: dict[str, Any] = {
        "issueChangeLogs": [
            {"issueId": issue_id, "changeHistories": histories}
            for issue_id, histories in logs.items()
        ]
    }
    if start + size < len(rows):
        payload["nextPageToken"] = base64.urlsafe_b64encode(str(start + size).encode()).decode()
    return 200, payload


def _bulk_shape(history: dict[str, Any]) -> dict[str, Any]:
    """The bulk endpoint gives ``created`` as epoch milliseconds, not as text."""
    created = dt.datetime.strptime(history["created"], "%Y-%m-%dT%H:%M:%S.%f%z")
    return {**history, "created": int(created.timestamp() * 1000)}


def record_edit(emulator: JiraEmulator, key: str, changes: dict[str, Any]) -> None:
    """The history of a REST edit by ``MYSELF`` (``writes.py`` calls it before applying
    ``changes``, field id -> new value): one item per field whose value changes."""
    from jira_emulator.data import field_list

    issue = emulator.issue(key)
    if issue is None:
        return
    names = {entry["id"]: (entry["name"], entry["custom"]) for entry in field_list()}
    items: list[dict[str, Any]] = []
    for field_id, new in changes.items():
        old = issue["fields"].get(field_id)
        if old == new:
            continue
        if field_id == "labels":
            items.append(labels_change(list(old or []), list(new or [])))
            continue
        name, custom = names.get(field_id, (field_id, False))
        items.append(
            {
                "field": name,
                "fieldId": field_id,
                "fieldtype": "custom" if custom else "jira",
                "fromString": "" if old is None else _text(old),
                "toString": "" if new is None else _text(new),
            }
        )
    if items:
        add_history(emulator, key, items, bump=False)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
