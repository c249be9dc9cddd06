"""The plan as GitHub-flavoured Markdown: a table per sprint, the items left out, warnings.

Every value goes through ``markdown_cell`` (inert on GitHub).
"""

from __future__ import annotations

from backlogctl.insights.capacity import CapacityPlan
from backlogctl.output.markdown import markdown_cell, markdown_table
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
from backlogctl.output.text import no_command_lines


def render_plan_markdown(plan: CapacityPlan, model: str) -> str:
    """A heading, one table per sprint, the left-out table, then notes and warnings."""
    lines = ["## Capacity plan", "", markdown_cell(heading(plan, model))]
    method = method_line(plan)
    if method:
        lines += ["", markdown_cell(method)]
    for sprint in plan.sprints:
        lines += ["", f"### {markdown_cell(sprint_heading(sprint))}", ""]
        if not sprint.placements:
            lines.append("Nothing planned.")
            continue
        rows = [
            [
                markdown_cell(item.task.key),
                markdown_cell(item.task.title),
                points_text(item.task.estimate),
                score_text(item.task.score),
                markdown_cell(note_text(item)),
            ]
            for item in sprint.placements
        ]
        lines += markdown_table(
            ["Key", "Title", "Points", "Score", "Note"], ["---", "---", "---:", "---:", "---"], rows
        )
    if plan.unplanned:
        lines += ["", f"### {markdown_cell(left_out_heading(plan))}", ""]
        rows = [
            [
                markdown_cell(entry.task.key),
                markdown_cell(entry.task.title),
                points_text(entry.task.estimate),
                score_text(entry.task.score),
                markdown_cell(entry.detail),
            ]
            for entry in plan.unplanned
        ]
        lines += markdown_table(
            ["Key", "Title", "Points", "Score", "Why"], ["---", "---", "---:", "---:", "---"], rows
        )
    for line in footer_lines(plan):
        lines += ["", markdown_cell(line)]
    if plan.warnings:
        lines += ["", "### Warnings", ""]
        lines += [f"- {markdown_cell(warning.message)}" for warning in plan.warnings]
    return no_command_lines("\n".join(lines) + "\n")
