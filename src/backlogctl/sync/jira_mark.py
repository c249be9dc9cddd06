"""``jira mark``: put a label on the issues with selected lint findings, take it off the others.

The plan comes from the query's lint findings (on the pulled backlog, where backlogctl's own
writes are not activity) and from a fresh search for every issue carrying the label, in the
query or not, so an issue that left the query (became Done, moved project) loses the label
too. Issues carrying a ``lint.exempt_labels`` label are never flagged. ``--comment`` is posted
once, when the label is added, ending with ``MARK_MARKER``; it is not posted when any of the
issue's comments carries the marker already. Applying records the writes in the cache
(``jira_apply.record_own_writes``) so the next pull does not take them for activity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from backlogctl.connectors.jira_activity import MARK_MARKER
from backlogctl.connectors.jira_pages import bulkfetch, jql_string
from backlogctl.connectors.jira_types import scalar_text
from backlogctl.errors import InputError
from backlogctl.lint.engine import Selection, lint_backlog
from backlogctl.lint.plan import ALL
from backlogctl.models import Backlog
from backlogctl.scoring.ranking import natural_key
from backlogctl.sync.jira_plan import AddComment, AddLabel, JiraPlan, RemoveLabel

if TYPE_CHECKING:
    from pathlib import Path

    from backlogctl.config import Config
    from backlogctl.connectors.jira_write import WriteClient
    from backlogctl.sync.jira_apply import ApplyReport

Warn = Callable[[str], None]

#: Label operations of a plan that ``jira mark --apply-plan`` accepts.
MARK_OPERATIONS = (AddLabel, RemoveLabel, AddComment)


@dataclass(frozen=True)
class MarkOptions:
    """What to mark: the query, the rule codes or prefixes, the label, the comment."""

    jql: str
    select: tuple[str, ...]
    label: str
    comment: str | None = None
    as_of: dt.datetime | None = None


@dataclass
class MarkPlan:
    """The plan, and why each issue is in it (for the table)."""

    plan: JiraPlan
    #: Issue key -> the selected codes it has findings for (flagged issues only).
    codes: dict[str, list[str]] = field(default_factory=dict)
    #: Issue key -> title, for every issue the plan touches.
    titles: dict[str, str] = field(default_factory=dict)
    #: Keys of issues that carry the label but are not in the query.
    outside: set[str] = field(default_factory=set)
    #: Open issues of the query that ``lint.exempt_labels`` keeps from being flagged.
    exempt: list[str] = field(default_factory=list)


def comment_text(comment: str) -> str:
    """The comment as posted: the user's text, then the marker on its own line."""
    return f"{comment.rstrip()}\n\n{MARK_MARKER}"


def plan_mark(
    client: WriteClient,
    config: Config,
    options: MarkOptions,
    *,
    timeout: float | None = None,
    warn: Warn,
) -> MarkPlan:
    """Pull the query, lint it with the selected rules, read the label's current holders and
    each newly flagged issue's comments, and plan the label and comment writes."""
    from backlogctl.connectors.jira import pull_backlog
    from backlogctl.lint.plan import LintPlan
    from backlogctl.lint.registry import RULES

    selection = Selection(select=options.select)
    LintPlan(config, selection, RULES)  # an unknown code is exit 2 before any request
    pulled = pull_backlog(
        options.jql,
        config,
        url=client.credentials.url,
        email=client.credentials.email,
        timeout=timeout,
        warn=warn,
    )
    items = {item.key: item for item in pulled.backlog.items}
    result = lint_backlog(
        Backlog(items=list(items.values())),
        config,
        as_of=options.as_of or dt.datetime.now(dt.UTC),
        selection=selection,
    )
    codes: dict[str, list[str]] = {}
    for entry in result.entries:
        if ALL in options.select or any(entry.code.startswith(p) for p in options.select):
            codes.setdefault(entry.key, []).append(entry.code)
    # The engine keeps exempt items from the S rules; other selected rules may still flag them.
    exempt = sorted(
        (
            key
            for key, item in items.items()
            if item.status_category != "done" and config.lint.exempts(item.labels)
        ),
        key=natural_key,
    )
    for key in exempt:
        codes.pop(key, None)
    holders = _label_holders(client, options.label)
    mark = MarkPlan(JiraPlan.of([], server=client.credentials.url, jql=options.jql, board_order=[]))
    mark.codes = {key: sorted(set(found)) for key, found in codes.items()}
    mark.exempt = exempt
    operations: list[Any] = []
    for key in sorted(codes, key=natural_key):
        mark.titles[key] = items[key].title
        if key in holders:
            continue
        operations.append(AddLabel(key=key, new=options.label))
        if options.comment and not _has_marker(client, key):
            operations.append(AddComment(key=key, new=comment_text(options.comment)))
    for key in sorted(holders, key=natural_key):
        if key in codes:
            continue
        label, title = holders[key]
        mark.titles[key] = items[key].title if key in items else title
        if key not in items:
            mark.outside.add(key)
        operations.append(RemoveLabel(key=key, old=label))
    mark.plan = JiraPlan.of(
        operations, server=client.credentials.url, jql=options.jql, board_order=[]
    )
    return mark


def _label_holders(client: WriteClient, label: str) -> dict[str, tuple[str, str]]:
    """Every issue carrying ``label`` now: key -> (the label as the issue spells it, title).

    One search on the label, never the pull cache: it also finds issues outside the query.
    """
    wanted = label.casefold()
    holders: dict[str, tuple[str, str]] = {}
    jql = f"labels = {jql_string(label)}"
    for issue in client.current_issues(jql, ["labels", "summary"]):
        fields = issue.get("fields")
        fields = fields if isinstance(fields, dict) else {}
        labels = fields.get("labels")
        spelled = [
            text
            for value in (labels if isinstance(labels, list) else [])
            if (text := scalar_text(value)).casefold() == wanted
        ]
        if spelled:
            key = scalar_text(issue.get("key"))
            holders[key] = (spelled[0], scalar_text(fields.get("summary")) or key)
    return holders


def _has_marker(client: WriteClient, key: str) -> bool:
    """Whether any comment of ``key`` carries the mark marker (the comment was posted)."""
    return any(MARK_MARKER in comment.text for comment in client.comments(key))


def stale_operations(client: WriteClient, plan: JiraPlan) -> dict[int, str]:
    """For ``--apply-plan``: operation index -> why it is skipped, because the issue's state
    is no longer the one the plan was made from (label already there or gone, comment posted).

    Refuses (exit 2) a plan holding other operations (field writes, rank moves: ``jira push``).
    """
    for op in plan.operations:
        if not isinstance(op, MARK_OPERATIONS):
            raise InputError(
                f"--apply-plan: the plan holds a {op.op!r} operation: "
                "apply it with 'jira push --apply-plan'"
            )
    operations = [op for op in plan.operations if isinstance(op, MARK_OPERATIONS)]
    labels = _current_labels(client, sorted({op.key for op in operations}))
    skips: dict[int, str] = {}
    for index, op in enumerate(operations):
        current = labels.get(op.key)
        if current is None:
            skips[index] = "the issue no longer exists or cannot be seen"
        elif isinstance(op, AddLabel) and op.new.casefold() in current:
            skips[index] = f"it carries {op.new!r} already"
        elif isinstance(op, RemoveLabel) and op.old.casefold() not in current:
            skips[index] = f"it no longer carries {op.old!r}"
        elif isinstance(op, AddComment) and _has_marker(client, op.key):
            skips[index] = "the comment was posted already"
    return skips


def _current_labels(client: WriteClient, keys: Sequence[str]) -> dict[str, set[str]]:
    """Each existing issue's labels now (casefolded); issues that are gone are absent.

    Read by key, never by a ``key in (...)`` search, which fails whole on one deleted issue.
    """
    from backlogctl.connectors.jira_write import JiraReplyError

    found: dict[str, set[str]] = {}
    issues: list[dict[str, Any]] = []
    what = "reading the current labels"
    if client.deployment == "cloud":
        for start in range(0, len(keys), 100):
            issues += bulkfetch(client, keys[start : start + 100], ["labels"], what=what)
    else:
        for key in keys:
            try:
                reply = client.send(
                    "GET",
                    f"api/2/issue/{quote(key, safe='')}",
                    what=what,
                    params={"fields": "labels"},
                )
            except JiraReplyError as exc:
                if exc.status == 404:
                    continue
                raise
            if isinstance(reply, dict):
                issues.append(reply)
    for issue in issues:
        fields = issue.get("fields")
        labels = fields.get("labels") if isinstance(fields, dict) else None
        found[scalar_text(issue.get("key"))] = {
            scalar_text(value).casefold()
            for value in (labels if isinstance(labels, list) else [])
            if scalar_text(value)
        }
    return found


@dataclass
class MarkRun:
    """A ``jira mark`` run: the plan, and when it was applied, each operation's outcome."""

    mark: MarkPlan
    applied: ApplyReport | None = None
    #: Operation index -> why ``--apply-plan`` skipped it.
    skips: dict[int, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """Whether a write failed or was not sent (the exit code is then 3)."""
        if self.applied is None:
            return False
        return bool(
            self.applied.counted("failed") or self.applied.counted("not_sent") or self.applied.stops
        )


def run_mark(
    config: Config,
    options: MarkOptions | None,
    *,
    apply: bool,
    max_operations: int,
    plan_file: Path | None = None,
    plan_out: Path | None = None,
    url: str | None = None,
    email: str | None = None,
    timeout: float | None = None,
    warn: Warn,
) -> MarkRun:
    """Plan (from ``options``) or load (``plan_file``) the marking, and apply it when asked.

    The bound is checked before any write (exit 2). ``plan_file`` is applied exactly, minus
    the operations whose issue changed since (reported as skipped; listed in a dry run).
    """
    from backlogctl.connectors.jira_credentials import resolve_credentials
    from backlogctl.connectors.jira_write import WriteClient
    from backlogctl.sync.jira_apply import apply_plan
    from backlogctl.sync.jira_plan import check_bound, load_plan, save_plan

    credentials = resolve_credentials(config, url=url, email=email, warn=warn)
    client = WriteClient(credentials, config, timeout=timeout)
    client.detect_deployment()
    skips: dict[int, str] = {}
    if plan_file is not None:
        plan = load_plan(plan_file)
        if plan.server.rstrip("/") != credentials.url.rstrip("/"):
            raise InputError(
                f"the plan was made for {plan.server or 'no server'}, not {credentials.url}",
                location=str(plan_file),
            )
        check_bound(plan, max_operations)
        mark = MarkPlan(plan)
        skips = stale_operations(client, plan)
        if not apply:
            return MarkRun(mark, skips=skips)
    else:
        if options is None:
            raise InputError("jira mark: nothing to plan")
        mark = plan_mark(client, config, options, timeout=timeout, warn=warn)
        if plan_out is not None:
            save_plan(mark.plan, plan_out)
        if not apply:
            return MarkRun(mark)
        check_bound(mark.plan, max_operations)
    report = apply_plan(client, mark.plan, concurrency=config.jira.concurrency, skips=skips)
    for problem in report.warnings:
        warn(problem)
    return MarkRun(mark, report, skips)
