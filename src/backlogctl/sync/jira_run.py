"""The I/O around Jira plans: connect, read what a plan needs, check a saved plan.

``prepare_push`` pulls the backlog (the model's inputs), ranks it and reads the values to
write afresh; ``check_saved_plan`` compares a reviewed plan with what Jira holds now and
returns the operations to skip, each with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from backlogctl.connectors.jira import pull_backlog
from backlogctl.connectors.jira_credentials import resolve_credentials
from backlogctl.connectors.jira_types import ProgressFactory, Warn, scalar_text
from backlogctl.connectors.jira_write import (
    JiraReplyError,
    WriteClient,
    find_number_field,
    find_rank_field,
)
from backlogctl.errors import InputError
from backlogctl.sanitize import quoted
from backlogctl.scoring.ranking import rank_items
from backlogctl.sync.jira_plan import (
    AddComment,
    AddLabel,
    JiraPlan,
    RankMove,
    RemoveLabel,
    SetField,
)
from backlogctl.sync.jira_push import PushPlan, plan_push, same_value

if TYPE_CHECKING:
    from backlogctl.config import Config
    from backlogctl.scoring.base import ScoringModel


@dataclass(frozen=True)
class Connection:
    """Where and how to reach Jira (the commands' ``--url``, ``--email``, ``--timeout``)."""

    url: str | None = None
    email: str | None = None
    timeout: float | None = None


def open_writer(config: Config, connection: Connection, warn: Warn | None = None) -> WriteClient:
    """A write client for the configured server, its deployment (Cloud or Server) known."""
    credentials = resolve_credentials(config, url=connection.url, email=connection.email, warn=warn)
    client = WriteClient(credentials, config, timeout=connection.timeout)
    client.detect_deployment()
    return client


@dataclass
class PreparedPush:
    """A push plan and the client and Rank field to apply it with."""

    push: PushPlan
    client: WriteClient
    rank_field: str | None


def prepare_push(
    config: Config,
    jql: str,
    model: ScoringModel,
    *,
    score_field: str | None,
    rank: bool,
    connection: Connection,
    warn: Warn | None = None,
    progress: ProgressFactory | None = None,
    apply: bool = False,
) -> PreparedPush:
    """Pull and rank ``jql``'s issues, read the score field and Rank afresh, plan the writes.

    A score field that is also mapped in ``jira.fields`` is warned about in a dry run and
    refused (exit 2) with ``apply``, before the pull.
    """
    client = open_writer(config, connection, warn)
    server_fields = client.fields()
    score_id = (
        find_number_field(server_fields, score_field, "--score-field") if score_field else None
    )
    try:
        rank_field: str | None = find_rank_field(server_fields)
    except InputError:
        if rank:
            raise
        rank_field = None  # no Rank on this server: positions are not shown
    if score_id:
        _check_not_input(config, score_id, server_fields, warn, refuse=apply)
    backlog = pull_backlog(
        jql,
        config,
        url=connection.url,
        email=connection.email,
        timeout=connection.timeout,
        warn=warn,
        progress=progress,
    ).backlog
    ranking = rank_items(backlog.items, model, explain=False)
    wanted = ["summary", "status", *([score_id] if score_id else [])]
    if rank_field:
        wanted.append(rank_field)
    current = [
        issue
        for issue in client.current_issues(jql, wanted, by_rank=rank_field is not None)
        if _category(issue) != "done"
    ]
    names = {
        scalar_text(entry.get("id")): scalar_text(entry.get("name")) for entry in server_fields
    }
    push = plan_push(
        ranking,
        current,
        server=client.credentials.url,
        jql=jql,
        score_field=score_id,
        score_field_name=names.get(score_id or "") or score_id,
        rank=rank,
        ordered=rank_field is not None,
    )
    return PreparedPush(push, client, rank_field)


def _check_not_input(
    config: Config,
    score_id: str,
    server_fields: list[dict[str, Any]],
    warn: Warn | None,
    *,
    refuse: bool,
) -> None:
    """Warn (or with ``refuse``, exit 2) when the score field is also mapped as an item field:
    the scores would overwrite that input, and the next run, reading them, would score anew
    and write again (never idempotent)."""
    names = {score_id.lower()} | {
        scalar_text(entry.get("name")).lower()
        for entry in server_fields
        if scalar_text(entry.get("id")) == score_id
    }
    for target, wanted in config.jira.fields.items():
        if wanted.strip().lower() not in names:
            continue
        message = (
            f"--score-field {score_id} is also read as jira.fields.{target}: the pushed "
            "scores become that item field on the next pull"
        )
        if refuse:
            raise InputError(f"{message}; nothing was written: pick a field of its own")
        if warn is not None:
            warn(f"{message} (--apply refuses it)")


def _category(issue: dict[str, Any]) -> str:
    status = (issue.get("fields") or {}).get("status")
    category = status.get("statusCategory") if isinstance(status, dict) else None
    return scalar_text(category.get("key")) if isinstance(category, dict) else ""


def check_saved_plan(client: WriteClient, plan: JiraPlan) -> tuple[dict[int, str], str | None]:
    """For ``--apply-plan``: the operations to skip (index -> reason) and the Rank field.

    A field whose value is no longer the plan's ``old`` is skipped (one already at ``new``
    too: nothing to do); labels already added or removed, comments already posted and issues
    gone are skipped; every rank move is skipped when the current order of the plan's
    ``board_order`` issues is not the one the plan was made from.
    """
    if plan.server.rstrip("/") != client.credentials.url.rstrip("/"):
        raise InputError(
            f"the plan was made for {quoted(plan.server)}, not {quoted(client.credentials.url)}"
        )
    moves = plan.rank_moves
    rank_field = find_rank_field(client.fields()) if moves else None
    fields = {op.field for op in plan.operations if isinstance(op, SetField)}
    if any(isinstance(op, AddLabel | RemoveLabel) for op in plan.operations):
        fields.add("labels")
    wanted = sorted(fields | ({rank_field} if rank_field else set()))
    needed = {op.key for op in plan.issue_operations} | set(plan.board_order)
    found: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    if plan.jql:
        for issue in client.current_issues(plan.jql, wanted or ["summary"], by_rank=bool(moves)):
            if issue["key"] in needed:
                found[issue["key"]] = issue.get("fields") or {}
                order.append(issue["key"])
    missing = _read_each(client, sorted(needed - set(found)), wanted)
    found.update(missing)
    skips: dict[int, str] = {}
    commenting = {op.key for op in plan.operations if isinstance(op, AddComment)}
    commented = {key: _comments(client, key) for key in sorted(commenting & set(found))}
    for index, op in enumerate(plan.operations):
        if isinstance(op, RankMove):
            continue
        now = found.get(op.key)
        if now is None:
            skips[index] = "skipped: the issue no longer exists or is not visible"
            continue
        reason = _changed(op, now, commented.get(op.key, set()))
        if reason:
            skips[index] = reason
    if moves:
        still = [key for key in order if key in set(plan.board_order)]
        if still != plan.board_order:
            for index, op in enumerate(plan.operations):
                if isinstance(op, RankMove):
                    skips[index] = (
                        "skipped: the current order of the plan's issues is no longer the one "
                        "it was made from (plan again)"
                    )
    return skips, rank_field


def _read_each(client: WriteClient, keys: Iterable[str], fields: list[str]) -> dict[str, Any]:
    """Issues outside the plan's query, one GET each (404: left out)."""
    found: dict[str, Any] = {}
    for key in keys:
        try:
            reply = client.send(
                "GET",
                f"api/{client.api_version}/issue/{quote(key, safe='')}",
                what=f"reading {key}",
                params={"fields": ",".join(fields or ["summary"])},
            )
        except JiraReplyError as exc:
            if exc.status == 404:
                continue
            raise
        if isinstance(reply, dict):
            found[key] = reply.get("fields") or {}
    return found


def _comments(client: WriteClient, key: str) -> set[str]:
    """The issue's comment texts, whitespace runs as one space."""
    return {" ".join(comment.text.split()) for comment in client.comments(key)}


def _changed(op: Any, now: dict[str, Any], comments: set[str]) -> str | None:
    """Why ``op`` is not sent any more (None: it still applies)."""
    if isinstance(op, SetField):
        value = now.get(op.field)
        if same_value(value, op.new):
            return "skipped: already has the planned value"
        if not (same_value(value, op.old) or (value is None and op.old is None)):
            return f"skipped: changed since the plan (now {quoted(_text(value))})"
        return None
    labels = now.get("labels")
    labels = labels if isinstance(labels, list) else []
    if isinstance(op, AddLabel) and op.new in labels:
        return "skipped: already has the label"
    if isinstance(op, RemoveLabel) and op.old not in labels:
        return "skipped: the label is already gone"
    if isinstance(op, AddComment) and " ".join(op.new.split()) in comments:
        return "skipped: the comment is already there"
    return None


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return scalar_text(value, "?") if value is not None else "empty"
