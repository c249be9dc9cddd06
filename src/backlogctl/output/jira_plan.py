"""``jira push`` output: the dry-run table, the JSON plan document, the summary and apply
report lines (the CLI prints those on stderr, so stdout is only the table or JSON).

Titles, keys, field names and Jira's messages are untrusted: every one passes through
``shown`` (tables, lines) or stays exact in JSON. Scores are shown with the 6 significant
digits that are written, so a change in the sixth digit is visible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backlogctl.connectors.jira_types import scalar_text
from backlogctl.output.json_text import json_document, terminal_safe
from backlogctl.output.text import align, no_command_lines, readable_number, shown, truncate
from backlogctl.sync.jira_plan import RankMove, plan_json
from backlogctl.sync.jira_push import SCORE_DIGITS

if TYPE_CHECKING:
    from backlogctl.sync.jira_apply import ApplyReport, Status
    from backlogctl.sync.jira_plan import IssueOperation, JiraPlan
    from backlogctl.sync.jira_push import PushPlan, PushRow

ARROW = "→"
RANK_IS_GLOBAL = (
    "Rank is global: every board and filter showing these issues sees the new order too."
)
_HEADERS = ["Key", "Title", "Score", "Position"]


def _number(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return readable_number(float(value), SCORE_DIGITS)
    return "-" if value is None else shown(scalar_text(value, "?"))


def _score_cell(push: PushPlan, row: PushRow) -> str:
    if push.score_field is None:
        return readable_number(row.new_score, SCORE_DIGITS)
    if row.writes_score:
        return f"{_number(row.old_score)} {ARROW} {_number(row.new_score)}"
    return _number(row.new_score)


def _position_cell(row: PushRow) -> str:
    old = "-" if row.old_position is None else str(row.old_position)
    if row.old_position == row.new_position:
        return old
    return f"{old} {ARROW} {row.new_position}"


def changed_rows(push: PushPlan) -> list[PushRow]:
    """The rows the plan writes something for (a score, a move, or a new position)."""
    return [
        row
        for row in push.rows
        if row.writes_score or row.moves or (push.rank and row.old_position != row.new_position)
    ]


def heading(push: PushPlan) -> str:
    """The table's title line."""
    parts = []
    if push.score_field:
        name = push.score_field_name or push.score_field
        parts.append(f"scores to {shown(name)} ({shown(push.score_field)})")
    if push.rank:
        parts.append("Jira Rank")
    return "Push to Jira: " + " and ".join(parts)


def summary(push: PushPlan, max_operations: int) -> list[str]:
    """The summary lines (for stderr): counts, the Rank caveat, the bound."""
    plan = push.plan
    writes = len(plan.issue_operations)
    calls = len(plan.rank_moves)
    lines = []
    unchanged = len(push.rows) - len(changed_rows(push))
    if unchanged:
        lines.append(f"{unchanged} of {len(push.rows)} scored issues already match.")
    if push.score_field:
        lines.append(f"Score writes: {writes} (6 significant digits; only changed values).")
    if push.rank:
        lines.append(
            f"Rank: {push.moved} of {len(push.rows)} issues move, in {calls} "
            f"call{'s' if calls != 1 else ''}. {RANK_IS_GLOBAL}"
        )
    lines.append(
        f"{plan.count} write operation{'s' if plan.count != 1 else ''} "
        f"(--max-operations {max_operations})."
    )
    if push.left_alone:
        lines.append(f"{push.left_alone} issues of the query were not in the pulled backlog.")
    return lines


def render_push_table(
    push: PushPlan,
    *,
    rich: bool = False,
    color: bool = False,
    width: int = 120,
) -> str:
    """The dry-run table (changed issues only) and the unscored issues: Rich fitted to
    ``width`` on a terminal, plain stable text when piped (the summary is ``summary``)."""
    rows = changed_rows(push)
    cells = [
        [shown(row.key), shown(row.title), _score_cell(push, row), _position_cell(row)]
        for row in rows
    ]
    if rich:
        text = _rich(push, cells, color=color, width=width)
    else:
        lines = [heading(push), ""]
        if cells:
            plain = [[key, truncate(title), score, pos] for key, title, score, pos in cells]
            lines += align(_HEADERS, plain, right={2, 3})
        else:
            lines += ["Nothing to change."]
        lines += _unscored_lines(push)
        text = "\n".join(lines) + "\n"
    return no_command_lines(text)


def _unscored_lines(push: PushPlan) -> list[str]:
    if not push.unscored:
        return []
    what = "their score field keeps its value" if push.score_field else "they are not moved"
    rows = [
        [shown(row.key), truncate(shown(row.title), 40), _number(row.old_score), shown(row.reason)]
        for row in push.unscored
    ]
    return ["", f"Not scored ({what}):", *align(["Key", "Title", "Current", "Reason"], rows)]


def _rich(push: PushPlan, cells: list[list[str]], *, color: bool, width: int) -> str:
    from rich.text import Text

    from backlogctl.output.layout import Column, Layout, build_table, first_fit
    from backlogctl.output.rich_console import string_console

    console, buffer = string_console(width, color=color)
    columns = [
        Column("Key", [Text(row[0]) for row in cells], style="cyan"),
        Column("Title", [Text(row[1]) for row in cells], min_width=12, shrink=0, truncate=True),
        Column("Score", [Text(row[2]) for row in cells], justify="right", style="green"),
        Column("Position", [Text(row[3]) for row in cells], justify="right"),
    ]
    if cells:
        layout = Layout(heading(push), columns)
        console.print(build_table(*first_fit([layout], width)))
    else:
        console.print(Text(heading(push), style="bold"))
        console.print(Text("Nothing to change."))
    if push.unscored:
        what = "their score field keeps its value" if push.score_field else "they are not moved"
        unscored = Layout(
            f"Not scored ({what})",
            [
                Column("Key", [Text(shown(row.key)) for row in push.unscored], style="cyan"),
                Column(
                    "Title",
                    [Text(shown(row.title)) for row in push.unscored],
                    min_width=8,
                    shrink=0,
                    truncate=True,
                ),
                Column(
                    "Current",
                    [Text(_number(row.old_score)) for row in push.unscored],
                    justify="right",
                ),
                Column(
                    "Reason",
                    [Text(shown(row.reason)) for row in push.unscored],
                    min_width=12,
                    shrink=1,
                    style="yellow",
                ),
            ],
        )
        console.print(build_table(*first_fit([unscored], width)))
    return buffer.getvalue()


def render_push_json(push: PushPlan, report: ApplyReport | None = None) -> str:
    """The plan document, plus ``unscored`` and, after an apply, ``results`` (one per
    operation, in order) and ``stops``."""
    extra: dict[str, Any] = {
        "unscored": [
            {"key": row.key, "title": row.title, "reason": row.reason, "old": row.old_score}
            for row in push.unscored
        ]
    }
    if report is not None:
        extra.update(_results(report))
    return terminal_safe(plan_json(push.plan, **extra))


def render_applied_json(report: ApplyReport | None, document: dict[str, Any]) -> str:
    """``document`` (a loaded plan's) with the apply ``results`` and ``stops``, if any."""
    extra = {} if report is None else _results(report)
    return json_document({**document, **extra})


def _results(report: ApplyReport) -> dict[str, Any]:
    return {
        "results": [
            {"status": outcome.status, "message": outcome.message} for outcome in report.outcomes
        ],
        "stops": report.stops,
    }


def describe(op: IssueOperation | RankMove) -> str:
    """One operation in words: ``SHOP-3 customfield_10130 = 12.5``, ``rank SHOP-1, SHOP-2
    before SHOP-9``."""
    if isinstance(op, RankMove):
        where = f"before {op.before}" if op.before else f"after {op.after}"
        keys = ", ".join(op.keys[:3]) + (
            f" and {len(op.keys) - 3} more" if len(op.keys) > 3 else ""
        )
        return shown(f"rank {keys} {where}")
    if op.op == "set_field":
        return shown(f"{op.key} {op.field} = {_number(op.new)}")
    if op.op == "add_label":
        return shown(f"{op.key} add label {op.new}")
    if op.op == "remove_label":
        return shown(f"{op.key} remove label {op.old}")
    return shown(f"{op.key} comment")


def report_lines(report: ApplyReport) -> list[str]:
    """What an apply did: one line per operation not done, the early stops, a count line."""
    lines = [
        f"{outcome.status.replace('_', ' ')}: {describe(outcome.op)}: {shown(outcome.message)}"
        for outcome in report.outcomes
        if outcome.status != "done"
    ]
    lines += [shown(stop) for stop in report.stops]
    statuses: list[Status] = ["done", "skipped", "failed", "not_sent"]
    counts = [
        f"{report.counted(status)} {status.replace('_', ' ')}"
        for status in statuses
        if report.counted(status) or status == "done"
    ]
    lines.append(f"applied {len(report.outcomes)} operations: " + ", ".join(counts))
    return lines


def check_lines(plan: JiraPlan, skips: dict[int, str]) -> list[str]:
    """``--apply-plan`` without ``--apply``: what would be written and what skipped, one line
    per operation (the count is the CLI's note)."""
    lines = [
        f"{'skip' if index in skips else 'write'}: {describe(op)}"
        + (f": {shown(skips[index])}" if index in skips else "")
        for index, op in enumerate(plan.operations)
    ]
    return lines
