"""``backlogctl jira mark`` output: the plan (and what applying it did) as a table or JSON.

The table has one row per write: key, title, the change (``+ label``, ``- label``,
``+ comment``; the label is named in the summary) and why (the selected codes found, "no
selected finding", "left the query"), plus each write's result once applied. On a terminal
it is a Rich table fitted to the width (``output/layout.py``); piped it is plain aligned
text. The summary lines go to stderr (the CLI's), so stdout is only the table or JSON.
JSON is the plan document of ``sync/jira_plan.py`` (``schema_version`` 1), plus
``findings``, ``exempt`` and, once applied, ``results`` and ``stops``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backlogctl.output.text import align, shown, truncate
from backlogctl.sync.jira_plan import AddComment, AddLabel, RemoveLabel, plan_json

if TYPE_CHECKING:
    from backlogctl.sync.jira_mark import MarkRun
    from backlogctl.sync.jira_plan import Operation

HEADERS = ("key", "title", "change", "why")


def render_mark_json(run: MarkRun) -> str:
    """The plan document, with the findings behind it and, when applied, each outcome."""
    extra: dict[str, Any] = {
        "findings": run.mark.codes,
        "exempt": run.mark.exempt,
    }
    if run.applied is not None:
        extra["results"] = [
            {
                "op": o.op.op,
                "key": getattr(o.op, "key", ""),
                "status": o.status,
                "message": o.message,
            }
            for o in run.applied.outcomes
        ]
        extra["stops"] = run.applied.stops
    return plan_json(run.mark.plan, **extra)


def _rows(run: MarkRun) -> list[list[str]]:
    """One row of plain (not yet escaped) cells per operation."""
    mark = run.mark
    outcomes = run.applied.outcomes if run.applied is not None else []
    rows: list[list[str]] = []
    for index, op in enumerate(mark.plan.operations):
        key = getattr(op, "key", "")
        row = [key, mark.titles.get(key, ""), _change(op), _why(run, op, index)]
        if run.applied is not None:
            outcome = outcomes[index] if index < len(outcomes) else None
            status = "" if outcome is None else outcome.status.replace("_", " ")
            message = "" if outcome is None or not outcome.message else f": {outcome.message}"
            row.append(status + message)
        rows.append(row)
    return rows


def _change(op: Operation) -> str:
    if isinstance(op, AddLabel):
        return "+ label"
    if isinstance(op, RemoveLabel):
        return "- label"
    if isinstance(op, AddComment):
        return "+ comment"
    return op.op


def _why(run: MarkRun, op: Operation, index: int) -> str:
    mark = run.mark
    key = getattr(op, "key", "")
    if run.applied is None and index in run.skips:
        return f"would be skipped: {run.skips[index]}"
    if not mark.titles:  # a saved plan: the reasons were shown when it was made
        return ""
    if isinstance(op, AddLabel):
        return ", ".join(mark.codes.get(key, []))
    if isinstance(op, AddComment):
        return "newly flagged"
    return "left the query" if key in mark.outside else "no selected finding"


def _headers(run: MarkRun) -> list[str]:
    return [*HEADERS, "result"] if run.applied is not None else list(HEADERS)


def summary(run: MarkRun) -> list[str]:
    """The summary lines (for stderr): counts, exempt issues, early stops."""
    plan = run.mark.plan
    adds = sum(isinstance(op, AddLabel) for op in plan.operations)
    removes = sum(isinstance(op, RemoveLabel) for op in plan.operations)
    comments = sum(isinstance(op, AddComment) for op in plan.operations)
    labels = sorted(
        {op.new for op in plan.operations if isinstance(op, AddLabel)}
        | {op.old for op in plan.operations if isinstance(op, RemoveLabel)}
    )
    named = f" {', '.join(repr(label) for label in labels)}" if labels else ""
    lines = [
        f"{plan.count} write operations: label{named} added to {adds}, removed from {removes}; "
        f"{comments} comment{'s' if comments != 1 else ''}"
    ]
    if run.applied is None:
        lines[0] += " (dry run: --apply writes them)"
    else:
        done = run.applied.counted("done")
        skipped = run.applied.counted("skipped")
        failed = run.applied.counted("failed") + run.applied.counted("not_sent")
        lines.append(f"applied: {done} done, {skipped} skipped, {failed} failed or not sent")
        lines += run.applied.stops
    if run.mark.exempt:
        keys = ", ".join(run.mark.exempt[:10]) + (" ..." if len(run.mark.exempt) > 10 else "")
        lines.append(f"never flagged, exempt by lint.exempt_labels: {keys}")
    return [shown(line) for line in lines]


def render_mark_text(run: MarkRun) -> str:
    """Plain aligned text (piped output): full width, titles cut at 50 columns."""
    rows = [[shown(cell) for cell in row] for row in _rows(run)]
    for row in rows:
        row[1] = truncate(row[1])
    if not rows:
        return ""
    return "\n".join(align(_headers(run), rows)) + "\n"


def render_mark_table(run: MarkRun, *, width: int, color: bool) -> str:
    """A Rich table fitted to ``width`` columns (titles shrink first, then the texts wrap)."""
    from rich.text import Text

    from backlogctl.output.layout import Column, Layout, build_table, fit_widths
    from backlogctl.output.rich_console import string_console

    rows = _rows(run)
    if not rows:
        return ""
    console, buffer = string_console(width, color=color)
    cells = [[Text(shown(row[index])) for row in rows] for index in range(len(rows[0]))]
    columns = [
        Column("key", cells[0], style="cyan"),
        Column("title", cells[1], min_width=12, shrink=1, truncate=True),
        Column("change", cells[2], min_width=9, shrink=3),
        Column("why", cells[3], min_width=10, shrink=2),
    ]
    if len(cells) > 4:
        columns.append(Column("result", cells[4], min_width=10, shrink=2))
    layout = Layout("jira mark", columns)
    console.print(build_table(layout, fit_widths(layout.columns, width)))
    return buffer.getvalue()
