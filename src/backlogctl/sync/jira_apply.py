"""Apply a Jira write plan: issue writes in parallel (bounded), rank moves in order.

Each issue's writes run one after the other in one task; up to ``concurrency`` issues are
written at once. A refusal (``JiraReplyError``: a field not on the issue's screen, no
permission, the issue gone) is that operation's failure, reported with Jira's message, and
the others go on. When the first ``STOP_AFTER`` writes of one field all fail in exactly the
same way (the field is on no screen, editing needs a permission the user lacks), the rest of
that field's writes are not sent and the failure is reported once. Any other error (the
credentials stop working, the time budget is spent, the server is unreachable after the
retries) stops everything not yet sent. Rank moves anchor on each other, so they run in plan
order, and after a move fails outright the later ones are not sent. Re-running the same
command after a partial failure plans exactly what is left.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from backlogctl.connectors.jira_write import JiraReplyError, WriteClient
from backlogctl.errors import SourceError
from backlogctl.sync.jira_plan import (
    AddComment,
    AddLabel,
    IssueOperation,
    JiraPlan,
    RankMove,
    RemoveLabel,
    SetField,
)

#: Writes of one field that must all fail the same way before the rest are not sent.
STOP_AFTER = 3

Status = Literal["done", "skipped", "failed", "not_sent"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one operation (``message``: Jira's error or the reason it was skipped)."""

    op: IssueOperation | RankMove
    status: Status
    message: str = ""


@dataclass
class ApplyReport:
    """Every operation's outcome, in plan order, and the early stops (one line each)."""

    outcomes: list[Outcome] = field(default_factory=list)
    stops: list[str] = field(default_factory=list)
    #: Problems that did not stop a write (recording the writes in the cache failed).
    warnings: list[str] = field(default_factory=list)

    def counted(self, status: Status) -> int:
        """How many operations ended with ``status``."""
        return sum(outcome.status == status for outcome in self.outcomes)

    @property
    def complete(self) -> bool:
        """Whether nothing failed and nothing was held back by a failure."""
        return not (self.counted("failed") or self.counted("not_sent"))


def group_of(op: IssueOperation) -> str:
    """The field an operation writes: early stops apply per field."""
    return op.field


class _State:
    """Shared between the worker threads: the early stops and the abort."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.first: dict[str, list[str | None]] = {}
        self.stopped: dict[str, str] = {}
        self.aborted: str | None = None
        self.stops: list[str] = []

    def held_back(self, group: str) -> str | None:
        with self.lock:
            if self.aborted is not None:
                return f"not sent: stopped after: {self.aborted}"
            if group in self.stopped:
                return f"not sent: every earlier write of {group} failed: {self.stopped[group]}"
            return None

    def record(self, group: str, failure: str | None) -> None:
        """Note a write's result (``failure`` None: it worked) for the early-stop rule."""
        with self.lock:
            seen = self.first.setdefault(group, [])
            if len(seen) >= STOP_AFTER:
                return
            seen.append(failure)
            if len(seen) == STOP_AFTER and seen[0] is not None and len(set(seen)) == 1:
                self.stopped[group] = seen[0]
                self.stops.append(
                    f"{group}: the first {STOP_AFTER} writes all failed the same way, the "
                    f"others were not sent: {seen[0]}"
                )

    def abort(self, message: str) -> None:
        with self.lock:
            if self.aborted is None:
                self.aborted = message
                self.stops.append(f"stopped: {message}")


def apply_plan(
    client: WriteClient,
    plan: JiraPlan,
    *,
    notify: bool = True,
    concurrency: int = 4,
    rank_field: str | None = None,
    skips: Mapping[int, str] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> ApplyReport:
    """Send the plan's writes; ``skips`` maps operation indexes to the reason they are not
    sent (``--apply-plan`` found the value changed since the plan)."""
    skips = skips or {}
    state = _State()
    results: dict[int, Outcome] = {}
    by_issue: dict[str, list[int]] = {}
    for index, op in enumerate(plan.operations):
        if not isinstance(op, RankMove):
            by_issue.setdefault(op.key, []).append(index)

    def finish(index: int, outcome: Outcome) -> None:
        results[index] = outcome
        if on_outcome is not None:
            on_outcome(outcome)

    def write_issue(indexes: list[int]) -> None:
        for index in indexes:
            op = plan.operations[index]
            assert not isinstance(op, RankMove)
            finish(index, _write(client, op, notify, state, skips.get(index)))

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for future in [pool.submit(write_issue, indexes) for indexes in by_issue.values()]:
            future.result()
    failed_move = False
    for index, op in enumerate(plan.operations):
        if isinstance(op, RankMove):
            outcome = _move(client, op, rank_field, state, skips.get(index), failed_move)
            # A partial move (207) still placed the others: later moves can anchor on them.
            failed_move = failed_move or (
                outcome.status == "failed" and not outcome.message.startswith("partly")
            )
            finish(index, outcome)
    report = ApplyReport([results[index] for index in sorted(results)], state.stops)
    problem = record_own_writes(client, report)
    if problem:
        report.warnings.append(problem)
    return report


def record_own_writes(client: WriteClient, report: ApplyReport) -> str | None:
    """Record in the cache what was written (issue key -> field ids, ``labels``, ``comment``,
    ``rank``; and the labels), so the next pull does not take backlogctl's own writes for
    activity on the issues (``connectors/jira_activity.py``). A warning when it fails."""
    from backlogctl.connectors.jira_cache import record_writes

    written: dict[str, list[str]] = {}
    labels: set[str] = set()
    for outcome in report.outcomes:
        op = outcome.op
        if outcome.status != "done":
            continue
        if isinstance(op, RankMove):
            for key in op.keys:
                written.setdefault(key, []).append("rank")
            continue
        written.setdefault(op.key, []).append(op.field)
        if isinstance(op, AddLabel):
            labels.add(op.new)
        elif isinstance(op, RemoveLabel):
            labels.add(op.old)
    return record_writes(
        client.credentials.url, client.credentials.email, written, labels=sorted(labels)
    )


def _write(
    client: WriteClient, op: IssueOperation, notify: bool, state: _State, skip: str | None
) -> Outcome:
    if skip is not None:
        return Outcome(op, "skipped", skip)
    group = group_of(op)
    held = state.held_back(group)
    if held is not None:
        return Outcome(op, "not_sent", held)
    try:
        if isinstance(op, SetField):
            client.edit_issue(op.key, fields={op.field: op.new}, notify=notify)
        elif isinstance(op, AddLabel):
            client.edit_issue(op.key, update={"labels": [{"add": op.new}]}, notify=notify)
        elif isinstance(op, RemoveLabel):
            client.edit_issue(op.key, update={"labels": [{"remove": op.old}]}, notify=notify)
        elif isinstance(op, AddComment):
            client.add_comment(op.key, op.new)
    except JiraReplyError as exc:
        failure = f"HTTP {exc.status}: {exc.details}"
        state.record(group, failure)
        return Outcome(op, "failed", failure)
    except SourceError as exc:
        state.abort(exc.message)
        return Outcome(op, "failed", exc.message)
    state.record(group, None)
    return Outcome(op, "done")


def _move(
    client: WriteClient,
    op: RankMove,
    rank_field: str | None,
    state: _State,
    skip: str | None,
    after_failure: bool,
) -> Outcome:
    if skip is not None:
        return Outcome(op, "skipped", skip)
    if state.aborted is not None:
        return Outcome(op, "not_sent", f"not sent: stopped after: {state.aborted}")
    if after_failure:
        return Outcome(op, "not_sent", "not sent: it anchors on a rank move that failed")
    try:
        failures = client.rank_issues(
            op.keys, before=op.before, after=op.after, rank_field=rank_field
        )
    except JiraReplyError as exc:
        return Outcome(op, "failed", f"HTTP {exc.status}: {exc.details}")
    except SourceError as exc:
        state.abort(exc.message)
        return Outcome(op, "failed", exc.message)
    if failures:
        listed = "; ".join(f"{failure.key}: {failure.message}" for failure in failures)
        return Outcome(op, "failed", f"partly: {len(failures)} not moved: {listed}")
    return Outcome(op, "done")
