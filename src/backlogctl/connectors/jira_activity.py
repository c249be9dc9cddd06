"""backlogctl's own writes are not activity: the last change to an issue by someone else.

Adding the mark label, pushing a score, moving an issue in Rank or posting the mark comment
bumps Jira's ``updated``. Taken at face value, a nightly ``jira mark`` would flag a stale
issue one night (S001), see it "updated" the next and remove the label again. So for the
issues backlogctl has written to (recorded in the cache by ``record_writes``) and those
carrying a mark label, the pull reads the changelog (whatever ``jira.changelog`` says) and the
comments, and sets the item's ``updated`` to the last activity that is not backlogctl's own:
a change by another account, a change by backlogctl's account to a field it does not write
(or to other labels), a comment by another account or without the mark marker; else the
issue's creation. It is never later than Jira's ``updated``.

Cloud: ``POST changelog/bulkfetch`` (up to 1,000 issues per call, paged) and the ``comment``
field through ``issue/bulkfetch`` (100 issues per call). Server/DC: ``search`` with
``expand=changelog`` and the ``comment`` field, 100 keys per query, paged with ``startAt``.
A comment list Jira cut short is completed by reading the issue's newest comments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from backlogctl.connectors.jira_types import scalar_text

if TYPE_CHECKING:
    from backlogctl.config import Config
    from backlogctl.connectors.jira_cache import OwnWrites
    from backlogctl.connectors.jira_client import JiraClient
    from backlogctl.models import BacklogItem

#: The last line of the comment ``jira mark --comment`` posts: it is never posted twice, and a
#: comment carrying it is backlogctl's own, not activity.
MARK_MARKER = "[backlogctl:mark]"
#: Fields whose changes by backlogctl's account are its own whatever the record says:
#: Rank moves (``jira push --rank``); labels are judged by which labels changed.
ALWAYS_OWN_FIELDS = frozenset({"rank"})
#: Issues per ``changelog/bulkfetch`` call (Atlassian's limit) and histories per page.
CHANGELOG_ISSUES = 1000
CHANGELOG_PAGE = 1000
#: Issues per comment read (``issue/bulkfetch`` and Server/DC ``key in (...)`` searches).
COMMENT_BATCH = 100
#: Newest comments read when Jira cut an issue's comment list short.
COMMENT_TAIL = 100


@dataclass(frozen=True)
class _Own:
    """What counts as backlogctl's own on one issue."""

    me: frozenset[str]
    labels: frozenset[str]
    fields: frozenset[str]


def own_labels(config: Config, writes: OwnWrites) -> frozenset[str]:
    """The labels only backlogctl sets (casefolded): the mark label and any it recorded."""
    return frozenset({config.jira.mark.label.casefold(), *(x.casefold() for x in writes.labels)})


def issues_to_check(
    items: Iterable[BacklogItem], writes: OwnWrites, labels: frozenset[str]
) -> list[BacklogItem]:
    """Items backlogctl wrote to, or carrying one of its ``labels``."""
    return [
        item
        for item in items
        if item.key in writes.issues or any(label.casefold() in labels for label in item.labels)
    ]


def discount_own_writes(
    client: JiraClient, config: Config, items: Sequence[BacklogItem]
) -> list[BacklogItem]:
    """``items`` with ``updated`` set to the last activity that is not backlogctl's own.

    Costs no request when no item was written by backlogctl nor carries its label.
    """
    from backlogctl.connectors.jira_cache import load_writes

    writes = load_writes(client.credentials.url, client.credentials.email)
    labels = own_labels(config, writes)
    checked = issues_to_check(items, writes, labels)
    if not checked:
        return list(items)
    me = _identities(client.myself())
    keys = [item.key for item in checked]
    if client.deployment == "cloud":
        comments, ids = _cloud_comments(client, keys)
        histories = _cloud_changelogs(client, keys, ids)
    else:
        histories, comments = _server_history(client, keys)
    names = _field_names(client, writes, keys)
    # The configured push score field is backlogctl's even without a record (a fresh CI cache).
    if config.jira.push.score_field:
        names |= {config.jira.push.score_field.casefold()}
    activity: dict[str, dt.datetime] = {}
    for item in checked:
        own = _Own(me, labels, frozenset(_lower(writes.issues.get(item.key, ()))) | names)
        moments = [
            moment
            for history in histories.get(item.key, [])
            if not _own_history(history, own) and (moment := _moment(history.get("created")))
        ]
        moments += [
            moment
            for comment in comments.get(item.key, [])
            for moment in _comment_activity(comment, own)
        ]
        latest = max(moments, default=item.created)
        if latest is not None and (item.updated is None or latest < item.updated):
            activity[item.key] = latest
    return [
        item.model_copy(update={"updated": activity[item.key]}) if item.key in activity else item
        for item in items
    ]


def _lower(values: Iterable[str]) -> set[str]:
    return {value.casefold() for value in values}


def _identities(user: Any) -> frozenset[str]:
    """An account's identifiers: Cloud ``accountId``, Server/DC ``name`` and ``key``."""
    if not isinstance(user, dict):
        return frozenset()
    found = (scalar_text(user.get(name)) for name in ("accountId", "name", "key"))
    return frozenset(value for value in found if value)


def _own_history(history: dict[str, Any], own: _Own) -> bool:
    """A change by backlogctl's account that touches only what backlogctl writes."""
    if not own.me & _identities(history.get("author")):
        return False
    items = history.get("items")
    if not isinstance(items, list) or not items:
        return False
    return all(isinstance(entry, dict) and _own_item(entry, own) for entry in items)


def _own_item(entry: dict[str, Any], own: _Own) -> bool:
    names = {
        scalar_text(entry.get("field")).casefold(),
        scalar_text(entry.get("fieldId")).casefold(),
    }
    names.discard("")
    if "labels" in names:
        before = set(scalar_text(entry.get("fromString")).casefold().split())
        after = set(scalar_text(entry.get("toString")).casefold().split())
        return bool(before ^ after) and (before ^ after) <= own.labels
    return bool(names & (own.fields | ALWAYS_OWN_FIELDS))


def _comment_activity(comment: Any, own: _Own) -> list[dt.datetime]:
    """The moments a comment counts as activity: written or edited by another account, or
    by backlogctl's account without the mark marker (someone wrote it by hand)."""
    if not isinstance(comment, dict):
        return []
    from backlogctl.connectors.jira_adf import adf_to_text

    body = comment.get("body")
    text = body if isinstance(body, str) else adf_to_text(body) or ""
    marked = MARK_MARKER in text
    moments: list[dt.datetime] = []
    for who, when in (("author", "created"), ("updateAuthor", "updated")):
        mine = bool(own.me & _identities(comment.get(who)))
        moment = _moment(comment.get(when))
        if moment is not None and not (mine and marked):
            moments.append(moment)
    return moments


def _moment(value: Any) -> dt.datetime | None:
    """A Jira date-time: ISO text, or epoch milliseconds (``changelog/bulkfetch``)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value / 1000, dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    from backlogctl.connectors.jira_fields import jira_datetime_or_none

    return jira_datetime_or_none(value)


def _field_names(client: JiraClient, writes: OwnWrites, keys: Sequence[str]) -> frozenset[str]:
    """Names of the custom fields backlogctl wrote to these issues (Server/DC changelogs name
    fields, never their ids); no request when there are none."""
    ids = {
        field for key in keys for field in writes.issues.get(key, ()) if field.startswith("custom")
    }
    if not ids or client.deployment == "cloud":
        return frozenset()
    return frozenset(
        scalar_text(entry.get("name")).casefold()
        for entry in client.fields()
        if scalar_text(entry.get("id")) in ids
    )


def _cloud_changelogs(
    client: JiraClient, keys: Sequence[str], ids: dict[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """Each issue's change histories; ``ids`` maps the issue ids the answer names to keys."""
    what = "reading changelogs"
    found: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(keys), CHANGELOG_ISSUES):
        chunk = list(keys[start : start + CHANGELOG_ISSUES])
        token: str | None = None
        while True:
            body: dict[str, Any] = {"issueIdsOrKeys": chunk, "maxResults": CHANGELOG_PAGE}
            if token:
                body["nextPageToken"] = token
            reply = client.request_object("POST", "changelog/bulkfetch", what=what, body=body)
            logs = reply.get("issueChangeLogs")
            if not isinstance(logs, list):
                raise client.shape_error(what, "'issueChangeLogs' to be an array", logs)
            for log in logs:
                if not isinstance(log, dict):
                    continue
                issue = scalar_text(log.get("issueId"))
                histories = log.get("changeHistories")
                if isinstance(histories, list):
                    key = ids.get(issue, issue)
                    found.setdefault(key, []).extend(h for h in histories if isinstance(h, dict))
            token = scalar_text(reply.get("nextPageToken")) or None
            if token is None:
                break
    return found


def _cloud_comments(
    client: JiraClient, keys: Sequence[str]
) -> tuple[dict[str, list[Any]], dict[str, str]]:
    """Each issue's comments, and issue id -> key (the bulk changelog names ids only)."""
    from backlogctl.connectors.jira_pages import bulkfetch

    what = "reading comments"
    comments: dict[str, list[Any]] = {}
    ids: dict[str, str] = {}
    for start in range(0, len(keys), COMMENT_BATCH):
        batch = keys[start : start + COMMENT_BATCH]
        for issue in bulkfetch(client, batch, ["comment"], what=what):
            key = scalar_text(issue.get("key"))
            ids[scalar_text(issue.get("id"))] = key
            comments[key] = _comments_of(client, key, issue)
    return comments, ids


def _server_history(
    client: JiraClient, keys: Sequence[str]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[Any]]]:
    from backlogctl.connectors.jira_pages import jql_string, server_pages

    what = "reading changelogs"
    histories: dict[str, list[dict[str, Any]]] = {}
    comments: dict[str, list[Any]] = {}
    for start in range(0, len(keys), COMMENT_BATCH):
        listed = ", ".join(jql_string(key) for key in keys[start : start + COMMENT_BATCH])
        pages = server_pages(
            client,
            f"key in ({listed})",
            ["comment"],
            what=what,
            size=COMMENT_BATCH,
            changelog=True,
        )
        for issue in (issue for page in pages for issue in page.issues):
            key = scalar_text(issue.get("key"))
            log = issue.get("changelog")
            entries = log.get("histories") if isinstance(log, dict) else None
            entries = entries if isinstance(entries, list) else []
            histories[key] = [entry for entry in entries if isinstance(entry, dict)]
            comments[key] = _comments_of(client, key, issue)
    return histories, comments


def _comments_of(client: JiraClient, key: str, issue: dict[str, Any]) -> list[Any]:
    """The issue's comments from its ``comment`` field, its newest ones read when cut short."""
    fields = issue.get("fields")
    field = fields.get("comment") if isinstance(fields, dict) else None
    if not isinstance(field, dict):
        return []
    listed = field.get("comments")
    listed = listed if isinstance(listed, list) else []
    total = field.get("total")
    if not isinstance(total, int) or total <= len(listed):
        return listed
    start = max(total - COMMENT_TAIL, 0)
    path = f"issue/{quote(key, safe='')}/comment?startAt={start}&maxResults={COMMENT_TAIL}"
    reply = client.request_object("GET", path, what=f"reading the comments of {key}")
    newest = reply.get("comments")
    return newest if isinstance(newest, list) else listed
