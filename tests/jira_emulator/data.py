"""Issue and field fixtures in Atlassian's JSON shapes (REST v3, ADF descriptions).

Issues are stored as v3 JSON; the server renders v2 (wiki-markup text) on the fly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

STATUS_CATEGORIES: dict[str, dict[str, Any]] = {
    "new": {"id": 2, "key": "new", "colorName": "blue-gray", "name": "To Do"},
    "indeterminate": {
        "id": 4,
        "key": "indeterminate",
        "colorName": "yellow",
        "name": "In Progress",
    },
    "done": {"id": 3, "key": "done", "colorName": "green", "name": "Done"},
}

#: Workflow status name -> statusCategory key, as a typical Jira Software project has them.
STATUSES: dict[str, str] = {
    "To Do": "new",
    "Backlog": "new",
    "In Progress": "indeterminate",
    "In Review": "indeterminate",
    "Done": "done",
}

_SYSTEM_FIELDS: list[tuple[str, str, str]] = [
    ("summary", "Summary", "string"),
    ("status", "Status", "status"),
    ("issuetype", "Issue Type", "issuetype"),
    ("priority", "Priority", "priority"),
    ("assignee", "Assignee", "user"),
    ("reporter", "Reporter", "user"),
    ("labels", "Labels", "array"),
    ("components", "Components", "array"),
    ("parent", "Parent", "issuelink"),
    ("created", "Created", "datetime"),
    ("updated", "Updated", "datetime"),
    ("duedate", "Due date", "date"),
    ("resolutiondate", "Resolved", "datetime"),
    ("description", "Description", "string"),
    ("project", "Project", "project"),
]

#: (id, name, schema type, custom type)
CUSTOM_FIELDS: list[tuple[str, str, str, str]] = [
    ("customfield_10014", "Epic Link", "any", "com.pyxis.greenhopper.jira:gh-epic-link"),
    (
        "customfield_10016",
        "Story point estimate",
        "number",
        "com.pyxis.greenhopper.jira:jsw-story-points",
    ),
    ("customfield_10019", "Rank", "any", "com.pyxis.greenhopper.jira:gh-lexo-rank"),
    (
        "customfield_10026",
        "Story Points",
        "number",
        "com.atlassian.jira.plugin.system.customfieldtypes:float",
    ),
    (
        "customfield_10100",
        "Reach",
        "number",
        "com.atlassian.jira.plugin.system.customfieldtypes:float",
    ),
    (
        "customfield_10101",
        "Impact",
        "number",
        "com.atlassian.jira.plugin.system.customfieldtypes:float",
    ),
    (
        "customfield_10102",
        "Confidence",
        "number",
        "com.atlassian.jira.plugin.system.customfieldtypes:float",
    ),
    (
        "customfield_10103",
        "Effort",
        "number",
        "com.atlassian.jira.plugin.system.customfieldtypes:float",
    ),
    (
        "customfield_10110",
        "Business Value",
        "number",
        "com.atlassian.jira.plugin.system.customfieldtypes:float",
    ),
    (
        "customfield_10111",
        "Time Criticality",
        "number",
        "com.atlassian.jira.plugin.system.customfieldtypes:float",
    ),
    (
        "customfield_10112",
        "Risk Reduction",
        "number",
        "com.atlassian.jira.plugin.system.customfieldtypes:float",
    ),
    (
        "customfield_10113",
        "Job Size",
        "number",
        "com.atlassian.jira.plugin.system.customfieldtypes:float",
    ),
    (
        "customfield_10120",
        "Objective",
        "option",
        "com.atlassian.jira.plugin.system.customfieldtypes:select",
    ),
    (
        "customfield_10121",
        "Acceptance Criteria",
        "string",
        "com.atlassian.jira.plugin.system.customfieldtypes:textarea",
    ),
    (
        "customfield_10130",
        "Revenue Impact",
        "number",
        "com.atlassian.jira.plugin.system.customfieldtypes:float",
    ),
]


def field_list() -> list[dict[str, Any]]:
    """The ``GET /field`` array (FieldDetails shape with clauseNames)."""
    fields: list[dict[str, Any]] = [
        {
            "id": field_id,
            "key": field_id,
            "name": name,
            "custom": False,
            "orderable": True,
            "navigable": True,
            "searchable": True,
            "clauseNames": [field_id],
            "schema": {"type": kind, "system": field_id},
        }
        for field_id, name, kind in _SYSTEM_FIELDS
    ]
    for field_id, name, kind, custom in CUSTOM_FIELDS:
        number = int(field_id.rpartition("_")[2])
        fields.append(
            {
                "id": field_id,
                "key": field_id,
                "name": name,
                "custom": True,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": [f"cf[{number}]", name],
                "schema": {"type": kind, "custom": custom, "customId": number},
            }
        )
    return fields


def jira_datetime(moment: dt.datetime) -> str:
    """Jira's datetime format: ``2024-01-15T10:30:00.000+0000``."""
    moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


def _user(name: str) -> dict[str, Any]:
    account = "557058:" + name.lower().replace(" ", "-")
    return {
        "self": f"https://example.atlassian.net/rest/api/3/user?accountId={account}",
        "accountId": account,
        "displayName": name,
        "active": True,
        "timeZone": "Etc/GMT",
        "accountType": "atlassian",
    }


def adf_paragraph(text: str) -> dict[str, Any]:
    """An ADF document with one paragraph."""
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    }


def make_issue(
    number: int,
    *,
    project: str = "SHOP",
    summary: str | None = None,
    status: str = "To Do",
    issuetype: str = "Story",
    updated: dt.datetime | None = None,
    created: dt.datetime | None = None,
    description: Any = "default",
    custom: dict[str, Any] | None = None,
    lean: bool = False,
    **fields: Any,
) -> dict[str, Any]:
    """One issue in the v3 IssueBean shape; ``fields`` override or add raw field values.

    ``lean`` leaves out what a real site adds under ``*all`` (comments, avatars, dozens of
    empty custom fields...).
    """
    base = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    created = created or base + dt.timedelta(minutes=number)
    updated = updated or created + dt.timedelta(days=1)
    issue_id = str(10000 + number)
    body: dict[str, Any] = {
        "summary": summary or f"Improve checkout step {number}",
        "status": {
            "name": status,
            "id": str(10000 + list(STATUSES).index(status)) if status in STATUSES else "10999",
            "statusCategory": STATUS_CATEGORIES[STATUSES.get(status, "new")],
        },
        "issuetype": {"id": "10001", "name": issuetype, "subtask": False, "hierarchyLevel": 0},
        "priority": {"id": "3", "name": "Medium"},
        "assignee": _user("Ada Lovelace") if number % 3 == 0 else None,
        "reporter": _user("Grace Hopper"),
        "labels": ["checkout"] if number % 2 == 0 else [],
        "components": [{"id": "10000", "name": "Web"}],
        "parent": None,
        "created": jira_datetime(created),
        "updated": jira_datetime(updated),
        "duedate": None,
        "resolutiondate": None,
        "description": adf_paragraph(f"As a shopper I want step {number} to be faster.")
        if description == "default"
        else description,
        "project": {"id": "10000", "key": project, "name": project.title()},
        "customfield_10014": None,
        "customfield_10016": float(number % 8 + 1),
        "customfield_10019": f"0|i{number:05d}:",
        "customfield_10026": None,
        "customfield_10100": float(100 * (number % 10 + 1)),
        "customfield_10101": 2.0,
        "customfield_10102": 80.0,
        "customfield_10103": float(number % 5 + 1),
        "customfield_10110": 8.0,
        "customfield_10111": 5.0,
        "customfield_10112": 3.0,
        "customfield_10113": float(number % 13 + 1),
        "customfield_10120": {"id": "10300", "value": "KR-2.1"},
        "customfield_10121": None,
        "customfield_10130": 1000.0 + number,
    }
    if not lean:
        body.update(_navigable_noise(number, project, created))
    body.update(custom or {})
    body.update(fields)
    return {"id": issue_id, "key": f"{project}-{number}", "fields": body, "changelog": []}


def _navigable_noise(number: int, project: str, created: dt.datetime) -> dict[str, Any]:
    """The other fields a real Cloud issue carries under ``*all``: avatars, watchers, votes,
    comments, time tracking and the many (mostly empty) custom fields of a typical site."""
    avatars = {
        size: f"https://example.atlassian.net/avatar/{size}.png"
        for size in ("48x48", "24x24", "16x16", "32x32")
    }
    comment_author = {**_user("Grace Hopper"), "avatarUrls": avatars, "emailAddress": None}
    stamp = jira_datetime(created)
    noise: dict[str, Any] = {
        "creator": comment_author,
        "statuscategorychangedate": stamp,
        "lastViewed": None,
        "resolution": None,
        "environment": None,
        "security": None,
        "fixVersions": [],
        "versions": [],
        "issuelinks": [],
        "subtasks": [],
        "attachment": [],
        "timetracking": {},
        "timespent": None,
        "timeestimate": None,
        "timeoriginalestimate": None,
        "aggregatetimespent": None,
        "progress": {"progress": 0, "total": 0},
        "aggregateprogress": {"progress": 0, "total": 0},
        "workratio": -1,
        "votes": {
            "self": "https://example.atlassian.net/rest/api/3/issue/votes",
            "votes": 0,
            "hasVoted": False,
        },
        "watches": {
            "self": "https://example.atlassian.net/rest/api/3/issue/watchers",
            "watchCount": 1,
            "isWatching": True,
        },
        "worklog": {"startAt": 0, "maxResults": 20, "total": 0, "worklogs": []},
        "comment": {
            "comments": [
                {
                    "id": str(30000 + number * 2 + index),
                    "author": comment_author,
                    "updateAuthor": comment_author,
                    "body": adf_paragraph(f"Discussed in refinement, see note {index + 1}."),
                    "created": stamp,
                    "updated": stamp,
                    "jsdPublic": True,
                }
                for index in range(2)
            ],
            "maxResults": 2,
            "total": 2,
            "startAt": 0,
        },
    }
    # A typical Cloud site has dozens of custom fields, null on most issues.
    noise.update({f"customfield_{10200 + index}": None for index in range(60)})
    noise["project"] = {
        "id": "10000",
        "key": project,
        "name": project.title(),
        "projectTypeKey": "software",
        "simplified": False,
        "avatarUrls": avatars,
    }
    return noise


def make_issues(count: int, **kwargs: Any) -> list[dict[str, Any]]:
    """``count`` issues numbered 1..count."""
    return [make_issue(number, **kwargs) for number in range(1, count + 1)]


#: Link types as a Jira site has them: name, inward and outward descriptions.
LINK_TYPES: dict[str, tuple[str, str]] = {
    "Blocks": ("is blocked by", "blocks"),
    "Relates": ("relates to", "relates to"),
    "Duplicate": ("is duplicated by", "duplicates"),
}


def _linked(issue: dict[str, Any]) -> dict[str, Any]:
    """The linked issue as a link names it: key, id and a few fields (status among them)."""
    fields = issue["fields"]
    return {
        "id": issue["id"],
        "key": issue["key"],
        "fields": {name: fields[name] for name in ("summary", "status", "priority", "issuetype")},
    }


def link(source: dict[str, Any], target: dict[str, Any], kind: str = "Blocks") -> None:
    """Link ``source`` -> ``target`` with ``kind`` (``Blocks``: source blocks target).

    Adds the entry to both issues' ``issuelinks`` as Jira shows them: the target sees the
    source as its ``inwardIssue`` ("is blocked by"), the source sees the target as its
    ``outwardIssue`` ("blocks"). Each link carries the other issue's status at linking time.
    """
    inward, outward = LINK_TYPES.get(kind, (f"{kind} inward", f"{kind} outward"))
    number = 20000 + sum(len(issue["fields"].get("issuelinks") or []) for issue in (source, target))
    link_type = {"id": "10000", "name": kind, "inward": inward, "outward": outward}
    target["fields"].setdefault("issuelinks", []).append(
        {"id": str(number), "type": link_type, "inwardIssue": _linked(source)}
    )
    source["fields"].setdefault("issuelinks", []).append(
        {"id": str(number + 1), "type": link_type, "outwardIssue": _linked(target)}
    )
