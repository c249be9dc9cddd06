"""The emulator's write endpoints: issue edits, agile rank moves, comments.

``PUT /rest/api/{2,3}/issue/{key}`` sets ``fields`` and applies ``update`` label operations
(204), refusing with Jira's messages a field that is unknown or not on the issue's screen
(``WriteRules.off_screen``), a value of the wrong type, a label with a space, and
``notifyUsers=false`` without admin rights (403). ``PUT /rest/agile/1.0/issue/rank`` moves
up to 50 issues before or after another (204; 207 with one entry per issue when some cannot
be moved: ``WriteRules.unrankable``, or unknown keys). ``POST``/``GET .../issue/{key}/comment``
add and list comments. Every write bumps the issue's ``updated``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jira_emulator import history
from jira_emulator.data import field_list, jira_datetime

if TYPE_CHECKING:
    from jira_emulator.server import JiraEmulator

RANK_FIELD = "customfield_10019"
NOTIFY_REFUSED = (
    "To discard the user notification either admin or project admin permissions are required."
)
_AUTHOR = history.MYSELF


@dataclass
class WriteRules:
    """How the emulated site answers writes (tests change these)."""

    #: Whether the user may send ``notifyUsers=false``.
    admin: bool = True
    #: Issue key (or ``*`` for every issue) -> field ids not on that issue's edit screen.
    off_screen: dict[str, set[str]] = field(default_factory=dict)
    #: Issues a rank call cannot move (listed as failed in a 207 answer).
    unrankable: set[str] = field(default_factory=set)
    #: Issues per rank call.
    rank_limit: int = 50


def _error(status: int, *messages: str, **errors: str) -> tuple[int, Any]:
    return status, {"errorMessages": list(messages), "errors": errors}


def route_write(
    emulator: JiraEmulator, method: str, path: str, params: dict[str, list[str]], body: Any
) -> tuple[int, Any] | None:
    """The answer to a write request, or None when ``path`` is no write endpoint."""
    if path.rstrip("/") == "/rest/agile/1.0/issue/rank" and method == "PUT":
        return _rank(emulator, body)
    parts = path.strip("/").split("/")
    if len(parts) < 5 or parts[:2] != ["rest", "api"] or parts[3] != "issue":
        return None
    version, key = parts[2], parts[4]
    if len(parts) == 5 and method == "PUT":
        return _edit(emulator, key, params, body)
    if len(parts) == 6 and parts[5] == "comment" and method in ("GET", "POST"):
        issue = emulator.issue(key)
        if issue is None:
            return _error(404, "Issue does not exist or you do not have permission to see it.")
        if method == "POST":
            return _add_comment(emulator, issue, version, body)
        return _comments(issue, version, params)
    return None


def _edit(
    emulator: JiraEmulator, key: str, params: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    issue = emulator.issue(key)
    if issue is None:
        return _error(404, "Issue does not exist or you do not have permission to see it.")
    if params.get("notifyUsers", ["true"])[0] == "false" and not emulator.writes.admin:
        return _error(403, NOTIFY_REFUSED)
    if not isinstance(body, dict) or not (body.get("fields") or body.get("update")):
        return _error(400, "No fields or update operations in the request.")
    schema = {entry["id"]: entry["schema"]["type"] for entry in field_list()}
    hidden = emulator.writes.off_screen.get("*", set()) | emulator.writes.off_screen.get(
        issue["key"], set()
    )
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in (body.get("fields") or {}).items():
        if name not in schema or name in hidden or name == RANK_FIELD:
            errors[name] = (
                f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."
            )
        elif schema[name] == "number" and not (
            value is None or (isinstance(value, int | float) and not isinstance(value, bool))
        ):
            errors[name] = "Operation value must be a number."
        else:
            changes[name] = value
    labels = list(issue["fields"].get("labels") or [])
    for name, operations in (body.get("update") or {}).items():
        if name != "labels" or "labels" in hidden:
            errors[name] = (
                f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."
            )
            continue
        for operation in operations if isinstance(operations, list) else []:
            for verb, label in operation.items():
                if not isinstance(label, str) or " " in label or not label:
                    errors["labels"] = f"The label '{label}' contains spaces which is invalid."
                elif verb == "add" and label not in labels:
                    labels.append(label)
                elif verb == "remove" and label in labels:
                    labels.remove(label)
        changes["labels"] = labels
    if errors:
        return _error(400, **errors)
    history.record_edit(emulator, issue["key"], changes)
    emulator.update_issue(issue["key"], **changes)
    return 204, None


def between(low: str, high: str | None) -> str:
    """A text sorting strictly between ``low`` and ``high`` (None: no upper bound)."""
    if high is None or not high.startswith(low):
        return low + "m"
    rest = high[len(low) :]
    if rest[0] <= "!":
        raise ValueError(f"no room before {high!r}")
    return low + chr(ord(rest[0]) - 1) + "m"


def _rank(emulator: JiraEmulator, body: Any) -> tuple[int, Any]:
    if not isinstance(body, dict) or not isinstance(body.get("issues"), list):
        return _error(400, "The request must list the issues to rank.")
    keys = [str(key) for key in body["issues"]]
    before, after = body.get("rankBeforeIssue"), body.get("rankAfterIssue")
    if not keys or (before is None) == (after is None):
        return _error(400, "Either rankBeforeIssue or rankAfterIssue must be given.")
    if len(keys) > emulator.writes.rank_limit:
        return _error(400, f"Cannot rank more than {emulator.writes.rank_limit} issues at once.")
    if body.get("rankCustomFieldId") not in (None, 10019):
        return _error(400, "The rank custom field is invalid.")
    anchor = emulator.issue(str(before or after))
    if anchor is None or anchor["key"] in keys:
        return _error(400, "The issue to rank before or after does not exist or is ranked.")
    movable = [
        key
        for key in keys
        if emulator.issue(key) is not None and key not in emulator.writes.unrankable
    ]
    board = sorted(emulator.issues, key=lambda issue: issue["fields"].get(RANK_FIELD) or "")
    order = [issue["key"] for issue in board if issue["key"] not in movable]
    spot = order.index(anchor["key"]) + (1 if after is not None else 0)
    low = _rank_of(emulator, order[spot - 1]) if spot > 0 else ""
    high = _rank_of(emulator, order[spot]) if spot < len(order) else None
    for key in movable:
        low = between(low, high)
        history.record_edit(emulator, key, {RANK_FIELD: low})
        emulator.update_issue(key, **{RANK_FIELD: low})
    if len(movable) == len(keys):
        return 204, None
    entries: list[dict[str, Any]] = []
    for key in keys:
        issue = emulator.issue(key)
        entry: dict[str, Any] = {"issueId": int(issue["id"]) if issue else 0, "issueKey": key}
        if key in movable:
            entry["status"] = 200
        else:
            entry.update(status=400, errors=["The issue cannot be ranked."])
        entries.append(entry)
    return 207, {"entries": entries}


def _rank_of(emulator: JiraEmulator, key: str) -> str:
    issue = emulator.issue(key)
    return str(issue["fields"].get(RANK_FIELD) or "") if issue else ""


def _comment_block(issue: dict[str, Any]) -> dict[str, Any]:
    block = issue["fields"].get("comment")
    if not isinstance(block, dict):
        block = {"comments": [], "maxResults": 0, "total": 0, "startAt": 0}
    return block


def _add_comment(
    emulator: JiraEmulator, issue: dict[str, Any], version: str, body: Any
) -> tuple[int, Any]:
    text = body.get("body") if isinstance(body, dict) else None
    if not text or (version == "3" and not isinstance(text, dict)):
        return _error(400, "Comment body can not be empty!", comment="Comment body is invalid.")
    block = _comment_block(issue)
    stamp = jira_datetime(dt.datetime.now(dt.UTC))
    number = sum(len(_comment_block(other)["comments"]) for other in emulator.issues)
    comment = {
        "id": str(90000 + number),
        "author": dict(_AUTHOR),
        "updateAuthor": dict(_AUTHOR),
        "body": text,
        "created": stamp,
        "updated": stamp,
    }
    comments = [*block["comments"], comment]
    emulator.update_issue(
        issue["key"],
        comment={**block, "comments": comments, "total": len(comments)},
    )
    return 201, comment


def _comments(issue: dict[str, Any], version: str, params: dict[str, list[str]]) -> tuple[int, Any]:
    from jira_emulator.server import _adf_text

    comments = _comment_block(issue)["comments"]
    start = int(params.get("startAt", ["0"])[0])
    size = min(int(params.get("maxResults", ["50"])[0]), 100)
    page = [
        {**entry, "body": _adf_text(entry["body"])} if version == "2" else entry
        for entry in comments[start : start + size]
    ]
    return 200, {"startAt": start, "maxResults": size, "total": len(comments), "comments": page}
