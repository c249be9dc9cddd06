"""The plan on a terminal (Rich tables fitted to its width) or as plain text when piped.

One table per sprint (key, title, points, score, note), then the items left out with why,
then notes and warnings. Titles give way first, then the note and reason columns wrap; at
the narrowest the title column is left out with a note. Every value goes through ``shown``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rich.text import Text

from backlogctl.insights.capacity import CapacityPlan, SprintPlan, Task
from backlogctl.output.layout import Column, Layout, build_table, first_fit
from backlogctl.output.plan_common import (
    footer_lines,
    heading,
    left_out_heading,
    method_line,
    note_text,
    points_text,
    score_text,
    sprint_heading,
)
from backlogctl.output.rich_console import string_console
from backlogctl.output.text import align, no_command_lines, shown, truncate, wrap_line

#: Narrowest a title gets before it is left out.
MIN_TITLE = 12
#: Narrowest a wrapping column (note, reason) gets: its longest word, but at least this.
MIN_WRAPPED = 10
_TITLE_LEFT_OUT = "Titles left out to fit the terminal: widen it, or see --format markdown."


def render_plan_table(
    plan: CapacityPlan, model: str, *, rich: bool = False, color: bool = False, width: int = 120
) -> str:
    """The plan as tables: Rich fitted to ``width`` (a terminal) or plain stable text."""
    if rich:
        return no_command_lines(_render_rich(plan, model, color=color, width=width))
    return no_command_lines(_render_plain(plan, model))


def _top_lines(plan: CapacityPlan, model: str) -> list[str]:
    lines = [shown(heading(plan, model))]
    method = method_line(plan)
    if method:
        lines.append(shown(method))
    return lines


def _bottom_lines(plan: CapacityPlan) -> list[str]:
    lines = footer_lines(plan)
    if plan.warnings:
        lines += ["Warnings:", *(f"  {shown(warning.message)}" for warning in plan.warnings)]
    return lines


def _render_plain(plan: CapacityPlan, model: str) -> str:
    lines = _top_lines(plan, model)
    for sprint in plan.sprints:
        lines += ["", sprint_heading(sprint)]
        if not sprint.placements:
            lines.append("  Nothing planned.")
            continue
        rows = [
            [
                shown(item.task.key),
                points_text(item.task.estimate),
                score_text(item.task.score),
                truncate(shown(item.task.title)),
                shown(note_text(item)),
            ]
            for item in sprint.placements
        ]
        lines += [
            f"  {line}" for line in align(["Key", "Points", "Score", "Title", "Note"], rows, {1, 2})
        ]
    if plan.unplanned:
        lines += ["", left_out_heading(plan)]
        rows = [
            [
                shown(entry.task.key),
                points_text(entry.task.estimate),
                truncate(shown(entry.task.title)),
                shown(entry.detail),
            ]
            for entry in plan.unplanned
        ]
        lines += [f"  {line}" for line in align(["Key", "Points", "Title", "Why"], rows, {1})]
    bottom = _bottom_lines(plan)
    if bottom:
        lines += ["", *bottom]
    return "\n".join(lines) + "\n"


def _render_rich(plan: CapacityPlan, model: str, *, color: bool, width: int) -> str:
    console, buffer = string_console(width, color=color)
    for number, line in enumerate(_top_lines(plan, model)):
        for part in wrap_line(line, width):
            console.print(Text(part, style="" if number else "bold"))
    for sprint in plan.sprints:
        console.print()
        if not sprint.placements:
            console.print(Text(f"{sprint_heading(sprint)}: nothing planned."))
            continue
        console.print(build_table(*first_fit(_sprint_layouts(sprint), width)))
    if plan.unplanned:
        console.print()
        console.print(build_table(*first_fit(_left_out_layouts(plan), width)))
    bottom = _bottom_lines(plan)
    if bottom:
        console.print()
        for line in bottom:
            for part in wrap_line(line, width):
                console.print(Text(part, style="yellow" if line.startswith("  ") else ""))
    return buffer.getvalue()


def _task_columns(tasks: Sequence[Task]) -> tuple[Column, Column, Column]:
    """The key, title and points columns both tables start with."""
    key = Column("Key", [Text(shown(task.key)) for task in tasks], style="cyan")
    title = Column(
        "Title",
        [Text(shown(task.title)) for task in tasks],
        min_width=MIN_TITLE,
        shrink=0,
        truncate=True,
    )
    points = Column("Points", [Text(points_text(task.estimate)) for task in tasks], justify="right")
    return key, title, points


def _sprint_layouts(sprint: SprintPlan) -> list[Layout]:
    items = sprint.placements
    key, title, points = _task_columns([item.task for item in items])
    score = Column(
        "Score",
        [Text(score_text(item.task.score)) for item in items],
        justify="right",
        style="green",
    )
    note = Column(
        "Note", [Text(shown(note_text(item))) for item in items], min_width=MIN_WRAPPED, shrink=1
    )
    full = Layout(sprint_heading(sprint), [key, title, points, score, note])
    return [full, replace(full, columns=[key, points, score, note], notes=[_TITLE_LEFT_OUT])]


def _left_out_layouts(plan: CapacityPlan) -> list[Layout]:
    entries = plan.unplanned
    key, title, points = _task_columns([entry.task for entry in entries])
    why = Column(
        "Why",
        [Text(shown(entry.detail)) for entry in entries],
        min_width=MIN_WRAPPED + 6,
        shrink=1,
        style="yellow",
    )
    full = Layout(left_out_heading(plan), [key, title, points, why])
    return [full, replace(full, columns=[key, points, why], notes=[_TITLE_LEFT_OUT])]
