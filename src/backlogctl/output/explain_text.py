"""The explain report as plain text: fields, formula, placements, neighbours, what-ifs, lint.

Every value from the item or its findings is made safe with ``text.shown``. Given a terminal
``width``, the score block puts each formula on its own line under its model when the table
would be wider, and every longer line wraps; piped output (no width) keeps one line each.
"""

from __future__ import annotations

from backlogctl.explain import Explanation, ordinal
from backlogctl.output.text import (
    TITLE_WIDTH,
    align,
    cell_width,
    no_command_lines,
    readable_number,
    readable_numbers,
    shown,
    truncate,
    wrap_line,
)

#: Narrowest neighbour title on a terminal.
_MIN_TITLE = 16


def render_explain_text(explanation: Explanation, *, width: int | None = None) -> str:
    """The explanation as plain text sections; fitted to ``width`` columns when given."""
    lines = [f"{shown(explanation.key)}: {shown(explanation.title)}"]
    lines += [f"  source: {shown(explanation.source)}", "", "Fields"]
    lines += [f"  {shown(name)}: {_value(value)}" for name, value in explanation.fields.items()]
    lines += ["", "Scores", *_scores(explanation, width)]
    lines += ["", f"Neighbours under {shown(explanation.model)}"]
    neighbours = [*explanation.above, *explanation.below]
    if neighbours:
        rows = [
            [str(n.rank), shown(n.key), shown(n.title), readable_number(n.score)]
            for n in neighbours
        ]
        rows.insert(
            len(explanation.above),
            [
                str(explanation.rank),
                f"{shown(explanation.key)} <",
                shown(explanation.title),
                readable_number(explanation.score or 0.0),
            ],
        )
        title_width = _title_width(rows, width)
        for row in rows:
            row[2] = truncate(row[2], title_width)
        lines += ["  " + line for line in align(["Rank", "Key", "Title", "Score"], rows, {0, 3})]
    else:
        lines.append(f"  (not ranked under {shown(explanation.model)})")
    model = shown(explanation.model)
    lines += ["", f"What would move it into the top {explanation.top} ({model})"]
    if explanation.done:
        lines.append("  nothing: done items are not ranked")
    elif explanation.in_top:
        lines.append(
            f"  already ranked {ordinal(explanation.rank or 0)}, in the top {explanation.top}"
        )
    elif explanation.what_if:
        lines += [f"  {shown(readable_numbers(answer.summary))}" for answer in explanation.what_if]
    elif explanation.score is None:
        # The missing inputs, not their values, keep it out: say so rather than "no change".
        reason = next(
            (p.reason for p in explanation.placements if p.model == explanation.model), None
        )
        lines.append(
            f"  not scored under {model}: {shown(reason or 'unscorable')}; fill in its inputs first"
        )
    else:
        lines.append("  no single-input change on its scale reaches the top")
    lines += ["", "Lint findings"]
    if explanation.findings is None:
        lines.append("  (lint not run)")
    elif not explanation.findings:
        lines.append("  none")
    else:
        lines += [
            f"  {shown(finding.code)} {finding.severity}: {shown(finding.message)}"
            for finding in explanation.findings
        ]
    if width is not None:
        lines = [part for line in lines for part in wrap_line(line, width)]
    return no_command_lines("\n".join(lines) + "\n")


def _scores(explanation: Explanation, width: int | None) -> list[str]:
    """The score of every model: one table row each, or with a terminal ``width`` too narrow
    for that, the formula and note on indented lines under each model's row."""
    rows = [
        [
            shown(placement.model),
            "-" if placement.rank is None else f"{placement.rank}/{placement.ranked}",
            "-" if placement.score is None else readable_number(placement.score),
            shown(readable_numbers(placement.explanation or "")),
            shown(placement.reason or ""),
        ]
        for placement in explanation.placements
    ]
    table = ["  " + line for line in align(["Model", "Rank", "Score", "Formula", "Note"], rows)]
    if width is None or max(cell_width(line) for line in table) <= width:
        return table
    short = align(["Model", "Rank", "Score"], [row[:3] for row in rows], {1, 2})
    lines = ["  " + short[0]]
    for line, row in zip(short[1:], rows, strict=True):
        lines.append("  " + line)
        lines += [f"      {text}" for text in row[3:] if text]
    return lines


def _title_width(rows: list[list[str]], width: int | None) -> int:
    """Widest neighbour title: 50 when piped; on a terminal what the other columns leave."""
    if width is None:
        return TITLE_WIDTH
    table = [["Rank", "Key", "Title", "Score"], *rows]
    others = sum(max(cell_width(row[column]) for row in table) for column in (0, 1, 3))
    # Two of indent, three gaps of two between the four columns.
    return max(width - others - 2 - 6, _MIN_TITLE)


def _value(value: object) -> str:
    """A field value on one line: numbers as people write them, groups as ``name value``."""
    if isinstance(value, dict):
        return ", ".join(f"{name} {_value(inner)}" for name, inner in value.items())
    if isinstance(value, list):
        return "; ".join(_value(inner) for inner in value)
    if isinstance(value, float):
        return readable_number(value)
    return shown(str(value))
