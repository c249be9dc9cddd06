"""Jira writes: issue edits, agile Rank moves, comments, and the fresh reads that plan them.

Everything goes through ``JiraClient``'s session, retry policy and token scrubbing. Writes
differ from reads in how a refusal ends: a read's 400/403 fails the whole command, while a
write's refusal is one issue's failure (``JiraReplyError`` with Jira's message), which the
caller reports before going on with the other issues. 401 still fails the run.

Endpoints: ``PUT /rest/api/{3|2}/issue/{key}`` (3 on Cloud, 2 on Server/DC) with only the
changed field or ``update: {labels: [{add|remove}]}``; ``PUT /rest/agile/1.0/issue/rank``
(at most ``RANK_BATCH`` issues, 204 or a 207 listing each issue's outcome);
``POST``/``GET /rest/api/{3|2}/issue/{key}/comment``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote

from backlogctl.connectors.jira_adf import adf_to_text
from backlogctl.connectors.jira_client import JiraClient
from backlogctl.connectors.jira_pages import search_pages
from backlogctl.connectors.jira_types import scalar_text
from backlogctl.errors import InputError, SourceError
from backlogctl.sanitize import quoted, shorten

if TYPE_CHECKING:
    from backlogctl.connectors.jira_client import _HttpStatusError

#: Jira Software's Rank field is found by this custom type, whatever its name or id.
RANK_TYPE = "com.pyxis.greenhopper.jira:gh-lexo-rank"
#: The agile rank endpoint takes at most this many issues per call.
RANK_BATCH = 50
#: Jira's answer when ``notifyUsers=false`` is sent without admin rights.
NOTIFY_HINT = (
    "--no-notify needs the Administer Jira or Administer Projects permission; "
    "run without --no-notify"
)

_ORDER_BY = re.compile(r"\border\s+by\b.*$", re.IGNORECASE | re.DOTALL)


class JiraReplyError(SourceError):
    """Jira refused a write (any 4xx but 401, or 429/5xx once the retries are spent).

    ``status`` and Jira's own ``details`` (scrubbed, shortened) let the caller report the
    issue's failure and group identical failures.
    """

    def __init__(self, message: str, *, status: int, details: str, location: str) -> None:
        super().__init__(message, location=location)
        self.status = status
        self.details = details


class RankFailure(NamedTuple):
    """One issue a rank call could not move (from a 207 answer)."""

    key: str
    message: str


class Comment(NamedTuple):
    """A comment as read back: its id, author account (id or name), date and plain text."""

    id: str
    author: str
    created: str
    text: str


class WriteClient(JiraClient):
    """``JiraClient`` plus the write endpoints and the reads that plan writes."""

    def restart_budget(self) -> None:
        """Give the writes their own time budget (``--timeout``), apart from the reads'."""
        self.deadline = time.monotonic() + self.timeout

    def send(
        self,
        method: str,
        path: str,
        *,
        what: str,
        body: Any = None,
        params: dict[str, str] | None = None,
        idempotent: bool = True,
    ) -> Any:
        """``method`` ``{url}/rest/{path}``: the decoded reply, None when empty (204).

        A request that is not ``idempotent`` (posting a comment) is retried only after a
        429, which Jira sends before doing anything: after a 5xx, a timeout or a dropped
        connection the comment may exist already, and a second one would be visible to all.
        """
        url = f"{self.credentials.url}/rest/{path}"

        def attempt(timeout: float) -> Any:
            import requests

            self._count()
            session = self._thread_session()
            session.timeout = timeout
            try:
                response = session.request(
                    method, url, json=body, params=params, allow_redirects=False
                )
            except (requests.exceptions.Timeout, requests.exceptions.ConnectionError):
                if idempotent:
                    raise
                raise self._error(
                    f"{what}: no answer (connection failed or timed out); not retried because "
                    "Jira may have done it already"
                ) from None
            if 300 <= response.status_code < 400:
                raise self._redirect_error(what, response)
            if not response.content.strip():
                return None
            return self._decode(what, response.content)

        def final(exc: _HttpStatusError, what: str, last_try: bool) -> None:
            if exc.status == 401:
                raise self._auth_error("HTTP 401")
            retryable = exc.status == 429 or (idempotent and exc.status >= 500)
            if last_try or not retryable:
                raise self._refusal(exc, what, notify=not (params or {}).get("notifyUsers"))

        return self._with_retry(what, attempt, final)

    def _refusal(self, exc: _HttpStatusError, what: str, *, notify: bool) -> JiraReplyError:
        details = "; ".join(exc.messages) or f"HTTP {exc.status}"
        if exc.status == 403 and not notify:
            details = f"{details} ({NOTIFY_HINT})"
        details = self.credentials.scrub(details)
        return JiraReplyError(
            self.credentials.scrub(f"{what}: HTTP {exc.status}: {details}"),
            status=exc.status,
            details=details,
            location=self.credentials.url,
        )

    # -- writes --------------------------------------------------------------------------
    def edit_issue(
        self,
        key: str,
        *,
        fields: dict[str, Any] | None = None,
        update: dict[str, Any] | None = None,
        notify: bool = True,
    ) -> None:
        """``PUT issue/{key}`` with only what changes (``fields`` set, ``update`` add/remove)."""
        body: dict[str, Any] = {}
        if fields:
            body["fields"] = fields
        if update:
            body["update"] = update
        self.send(
            "PUT",
            f"api/{self.api_version}/issue/{quote(key, safe='')}",
            what=f"editing {shorten(key)}",
            body=body,
            params=None if notify else {"notifyUsers": "false"},
        )

    def rank_issues(
        self,
        keys: Sequence[str],
        *,
        before: str | None = None,
        after: str | None = None,
        rank_field: str | None = None,
    ) -> list[RankFailure]:
        """Move ``keys`` (in this order) just before ``before`` or after ``after``.

        Returns the issues a 207 answer says were not moved (empty when all were).
        """
        if not keys or len(keys) > RANK_BATCH or (before is None) == (after is None):
            raise ValueError("rank_issues: 1-50 keys and exactly one of before/after")
        body: dict[str, Any] = {"issues": list(keys)}
        if before is not None:
            body["rankBeforeIssue"] = before
        else:
            body["rankAfterIssue"] = after
        number = re.fullmatch(r"customfield_(\d+)", rank_field or "")
        if number:
            body["rankCustomFieldId"] = int(number.group(1))
        more = f" and {len(keys) - 1} more" if len(keys) > 1 else ""
        what = f"ranking {shorten(keys[0])}{more}"
        reply = self.send("PUT", "agile/1.0/issue/rank", what=what, body=body)
        return _rank_failures(reply)

    def add_comment(self, key: str, text: str) -> None:
        """``POST issue/{key}/comment``: ``text`` as one ADF paragraph per line block (v3) or
        as wiki text (v2). Not retried after an ambiguous failure (see ``send``)."""
        body: Any = text if self.api_version == "2" else _adf(text)
        self.send(
            "POST",
            f"api/{self.api_version}/issue/{quote(key, safe='')}/comment",
            what=f"commenting on {shorten(key)}",
            body={"body": body},
            idempotent=False,
        )

    # -- reads ---------------------------------------------------------------------------
    def comments(self, key: str, *, page: int = 100) -> list[Comment]:
        """Every comment of ``key``, oldest first, as plain text."""
        found: list[Comment] = []
        start = 0
        what = f"reading the comments of {shorten(key)}"
        while True:
            reply = self.request_object(
                "GET",
                f"issue/{quote(key, safe='')}/comment?startAt={start}&maxResults={page}",
                what=what,
            )
            listed = reply.get("comments")
            if not isinstance(listed, list):
                raise self.shape_error(what, "'comments' to be an array", listed)
            found.extend(_comment(entry) for entry in listed if isinstance(entry, dict))
            start += len(listed)
            total = reply.get("total")
            if not listed or not isinstance(total, int) or start >= total:
                return found

    def current_issues(
        self, jql: str, fields: Sequence[str], *, by_rank: bool = False
    ) -> Iterator[dict[str, Any]]:
        """The issues of ``jql`` now (never the pull cache) with ``fields``; ``by_rank``
        replaces the query's ORDER BY with Jira's Rank order (the boards' order)."""
        query = _ORDER_BY.sub("", jql).strip() + " ORDER BY Rank ASC" if by_rank else jql
        what = "reading the current values"
        for page in search_pages(self, query, list(dict.fromkeys(fields)), what=what):
            yield from page.issues


def find_rank_field(server_fields: list[dict[str, Any]]) -> str:
    """The id of Jira Software's Rank field (custom type ``gh-lexo-rank``); exit 2 if none."""
    hits = [
        scalar_text(entry.get("id"))
        for entry in server_fields
        if isinstance(entry.get("schema"), dict) and entry["schema"].get("custom") == RANK_TYPE
    ]
    if not hits:
        raise InputError(
            "--rank: this server has no Rank field (custom type gh-lexo-rank): "
            "ranking needs Jira Software"
        )
    return sorted(hits)[0]


def find_number_field(server_fields: list[dict[str, Any]], wanted: str, option: str) -> str:
    """The id of the numeric field ``wanted`` names (id, name or JQL clause name,
    case-insensitive); exit 2 when it matches none, several, or a field that is no number."""
    lowered = wanted.strip().lower()
    hits = [
        entry
        for entry in server_fields
        if scalar_text(entry.get("id")) == wanted
        or lowered == scalar_text(entry.get("name")).lower()
        or lowered in (scalar_text(c).lower() for c in _texts(entry.get("clauseNames")))
    ]
    ids = sorted({scalar_text(entry.get("id")) for entry in hits})
    if not ids:
        raise InputError(
            f"{option}: no Jira field named {quoted(wanted)}; "
            "run 'backlogctl jira fields --search TEXT' to list the server's fields"
        )
    if len(ids) > 1:
        raise InputError(f"{option}: {quoted(wanted)} names several fields ({', '.join(ids)})")
    schema = hits[0].get("schema")
    kind = scalar_text(schema.get("type")) if isinstance(schema, dict) else ""
    if kind != "number":
        raise InputError(
            f"{option}: {quoted(wanted)} ({ids[0]}) is not a number field "
            f"(type {kind or 'unknown'})"
        )
    return ids[0]


def _texts(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _adf(text: str) -> dict[str, Any]:
    """``text`` as an ADF document: one paragraph per block, hard breaks inside a block."""
    paragraphs: list[dict[str, Any]] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        content: list[dict[str, Any]] = []
        for index, line in enumerate(block.split("\n")):
            if index:
                content.append({"type": "hardBreak"})
            if line:
                content.append({"type": "text", "text": line})
        paragraphs.append({"type": "paragraph", "content": content})
    return {"type": "doc", "version": 1, "content": paragraphs}


def _comment(entry: dict[str, Any]) -> Comment:
    author = entry.get("author")
    author = author if isinstance(author, dict) else {}
    who = scalar_text(author.get("accountId")) or scalar_text(author.get("name"))
    return Comment(
        id=scalar_text(entry.get("id")),
        author=who,
        created=scalar_text(entry.get("created")),
        text=adf_to_text(entry.get("body")) or "",
    )


def _rank_failures(reply: Any) -> list[RankFailure]:
    """The issues a 207 answer lists with an error status (a 204 has no body: none)."""
    if not isinstance(reply, dict) or not isinstance(reply.get("entries"), list):
        return []
    failures: list[RankFailure] = []
    for entry in reply["entries"]:
        if not isinstance(entry, dict):
            continue
        status = entry.get("status")
        if isinstance(status, int) and status < 300:
            continue
        errors = entry.get("errors")
        texts = [shorten(text) for text in _texts(errors) if isinstance(text, str)]
        key = scalar_text(entry.get("issueKey")) or scalar_text(entry.get("issueId"), "?")
        failures.append(RankFailure(key, "; ".join(texts) or f"HTTP {status}"))
    return failures
