"""The explain report as plain text: fields, formula, placements, neighbours, what-ifs, lint."""

from __future__ import annotations

from backlogctl.output.text import align, one_line, truncate
from backlogctl.scoring.explain import Explanation, ordinal
from backlogctl.scoring.numbers import format_number


def render_explain_text(explanation: Explanation) -> str:
    """The explanation as stable plain text sections."""
    lines = [f"{explanation.key}: {one_line(explanation.title)}", f"  source: {explanation.source}"]
    lines += ["", "Fields"]
    lines += [f"  {name}: {_value(value)}" for name, value in explanation.fields.items()]
    lines += ["", "Scores"]
    rows = [
        [
            placement.model,
            "-" if placement.rank is None else f"{placement.rank}/{placement.ranked}",
            "-" if placement.score is None else format_number(placement.score),
            placement.explanation or "",
            placement.reason or "",
        ]
        for placement in explanation.placements
    ]
    lines += ["  " + line for line in align(["Model", "Rank", "Score", "Formula", "Note"], rows)]
    lines += ["", f"Neighbours under {explanation.model}"]
    neighbours = [*explanation.above, *explanation.below]
    if neighbours:
        rows = [[str(n.rank), n.key, truncate(n.title), format_number(n.score)] for n in neighbours]
        rows.insert(
            len(explanation.above),
            [
                str(explanation.rank),
                f"{explanation.key} <",
                truncate(explanation.title),
                format_number(explanation.score or 0.0),
            ],
        )
        lines += ["  " + line for line in align(["Rank", "Key", "Title", "Score"], rows, {0, 3})]
    else:
        lines.append(f"  (not ranked under {explanation.model})")
    lines += ["", f"What would move it into the top {explanation.top} ({explanation.model})"]
    if explanation.done:
        lines.append("  nothing: done items are not ranked")
    elif explanation.in_top:
        lines.append(
            f"  already ranked {ordinal(explanation.rank or 0)}, in the top {explanation.top}"
        )
    elif explanation.what_if:
        lines += [f"  {answer.summary}" for answer in explanation.what_if]
    elif explanation.score is None:
        # The missing inputs, not their values, keep it out: say so rather than "no change".
        reason = next(
            (p.reason for p in explanation.placements if p.model == explanation.model), None
        )
        lines.append(
            f"  not scored under {explanation.model}: {reason or 'unscorable'}; "
            "fill in its inputs first"
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
            f"  {finding.code} {finding.severity}: {finding.message}"
            for finding in explanation.findings
        ]
    return "\n".join(lines) + "\n"


def _value(value: object) -> str:
    """A field value on one line: numbers as people write them, groups as ``name value``."""
    if isinstance(value, dict):
        return ", ".join(f"{name} {_value(inner)}" for name, inner in value.items())
    if isinstance(value, list):
        return "; ".join(_value(inner) for inner in value)
    if isinstance(value, float):
        return format_number(value)
    return one_line(str(value))
