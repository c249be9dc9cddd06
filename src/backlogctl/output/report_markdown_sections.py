"""The Markdown report's optional sections: OKR, stakeholders, since the last snapshot.

Same content as the HTML templates ``okr.html.j2``, ``stakeholders.html.j2`` and
``history.html.j2``; item and people text through ``markdown_cell``, never into Mermaid
except as ``mermaid_name`` reduces it.
"""

from __future__ import annotations

from backlogctl.output.markdown import code_span, markdown_cell, markdown_table
from backlogctl.output.report_mermaid import bar_chart
from backlogctl.output.report_words import (
    any_metric,
    change_words,
    delivery_words,
    grid_words,
    metric_words,
    move_words,
    percent,
    share_of,
)
from backlogctl.output.text import readable_number
from backlogctl.report.model import Report


def okr_lines(report: Report) -> list[str]:
    """Objectives with their delivery, key results in a table, those with no planned work."""
    okr = report.okr
    if okr is None:
        return []
    lines = ["", "## Objectives and key results"]
    for objective in okr.objectives:
        lines += [
            "",
            f"### {code_span(objective.key)} {markdown_cell(objective.title)}",
            "",
            markdown_cell(delivery_words(objective)),
        ]
        if not objective.key_results:
            continue
        metrics = any_metric(objective.key_results)
        headers = ["Key result", "Title", "Open", "Done", "Delivered"]
        headers += ["Metric"] if metrics else []
        headers += ["Best rank", f"In top {okr.top}"]
        aligns = [
            "---",
            "---",
            "---:",
            "---:",
            "---:",
            *(["---"] if metrics else []),
            "---:",
            "---:",
        ]
        rows = []
        for result in objective.key_results:
            row = [
                code_span(result.key),
                markdown_cell(result.title),
                str(result.open_items),
                str(result.done_items),
                percent(result.delivery_progress),
            ]
            row += [markdown_cell(metric_words(result))] if metrics else []
            row += [str(result.best_rank or "—"), share_of(result.top_share, okr.top)]
            rows.append(row)
        lines += ["", *markdown_table(headers, aligns, rows)]
    idle = [warning for warning in okr.warnings if warning.kind == "no_open_items"]
    others = [warning for warning in okr.warnings if warning.kind != "no_open_items"]
    lines += ["", "### Key results with no planned work", ""]
    if idle:
        lines += [f"- ▲ {code_span(w.key)}: {markdown_cell(w.message)}" for w in idle]
    else:
        lines.append("Every key result has open items serving it.")
    if others:
        lines += ["", "### Needs attention", ""]
        lines += [f"- ▲ {code_span(w.key)}: {markdown_cell(w.message)}" for w in others]
    if okr.unlinked_open_items:
        lines += [
            "",
            f"{okr.unlinked_open_items} open items ({readable_number(okr.unlinked_open_points)} "
            "points) serve no objective.",
        ]
    return lines


def stakeholder_lines(report: Report) -> list[str]:
    """Open requests per stakeholder as a bar chart and a table."""
    result = report.stakeholders
    if result is None:
        return []
    people = result.stakeholders
    lines = ["", "## Stakeholders", ""]
    with_open = [person for person in people if person.open]
    if with_open:
        lines += bar_chart(
            "Open items per stakeholder",
            [person.name for person in with_open],
            [len(person.open) for person in with_open],
            "Open items",
        )
        lines.append("")
    grid = any(person.quadrant for person in people)
    headers = ["Stakeholder", *(["Influence/interest"] if grid else []), "Open"]
    headers += [f"In top {result.top}", "Waiting longest", f"Delivered since {result.since}"]
    aligns = ["---", *(["---"] if grid else []), "---:", "---:", "---", "---:"]
    rows = []
    for person in people:
        name = markdown_cell(person.name) + ("" if person.declared else " (undeclared)")
        waiting = (
            f"{code_span(person.oldest_waiting)}, {person.oldest_waiting_days} days"
            if person.oldest_waiting
            else "—"
        )
        row = [name, *([grid_words(person.quadrant)] if grid else []), str(len(person.open))]
        row += [str(person.in_top_n), waiting, str(len(person.delivered))]
        rows.append(row)
    return lines + markdown_table(headers, aligns, rows)


def history_lines(report: Report) -> list[str]:
    """Delivered items, the top now with its moves, what left the top."""
    history = report.history
    if history is None and report.history_note is None:
        return []
    lines = ["", "## Since the last snapshot", ""]
    if history is None:
        return [*lines, f"No comparison: {markdown_cell(report.history_note or '')}."]
    since = history.since
    note = f" ({markdown_cell(since.note)})" if since.note else ""
    lines.append(
        f"Compared with snapshot {since.id} of {since.taken.date().isoformat()}{note}: "
        f"{len(history.delivered)} delivered, {history.added} added, {history.removed} removed; "
        f"{history.new_findings} new and {history.fixed_findings} fixed lint findings."
    )
    redacted = report.source.redacted
    lines += ["", "### Delivered", ""]
    if not history.delivered:
        lines.append("Nothing was finished since then.")
    for item in history.delivered:
        title = "" if redacted else f" {markdown_cell(item.title)}"
        was = f" (was rank {item.from_rank})" if item.from_rank else ""
        lines.append(f"- {code_span(item.key)}{title}{was}")
    move = f"Move since {since.taken.date().isoformat()}"
    headers = ["Rank", "Key", *([] if redacted else ["Title"]), move, "What changed"]
    aligns = ["---:", "---", *([] if redacted else ["---"]), "---", "---"]
    rows = [
        [
            str(top_move.rank),
            code_span(top_move.key),
            *([] if redacted else [markdown_cell(top_move.title)]),
            move_words(top_move),
            markdown_cell(change_words(top_move.changes)),
        ]
        for top_move in history.top
    ]
    lines += ["", f"### The top {history.followed} now", "", *markdown_table(headers, aligns, rows)]
    if history.left_top:
        headers = ["Key", *([] if redacted else ["Title"]), "Was", "Now"]
        aligns = ["---", *([] if redacted else ["---"]), "---:", "---"]
        rows = [
            [
                code_span(item.key),
                *([] if redacted else [markdown_cell(item.title)]),
                str(item.previous),
                str(item.rank) if item.rank else item.now,
            ]
            for item in history.left_top
        ]
        lines += [
            "",
            f"### Left the top {history.followed}",
            "",
            *markdown_table(headers, aligns, rows),
        ]
    return lines
