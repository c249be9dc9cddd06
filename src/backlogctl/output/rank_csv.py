"""The ranking as CSV: ranked rows, then unscored rows with an empty rank and a reason.

Text cells that a spreadsheet would run as a formula (``=HYPERLINK(...)`` in a title typed
by anyone with write access to the backlog) get a leading apostrophe, as OWASP advises for
CSV exports; numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io

from backlogctl.scoring.ranking import Ranking

#: First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """Text as a spreadsheet shows it, never as a formula it would run."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _cell(value: float | str | None) -> str:
    """Numbers at full precision, integral ones without ``.0``; text made formula-safe."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _text(value)
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


def render_rank_csv(ranking: Ranking, *, explain: bool = False) -> str:
    """Columns: rank, key, title, score, the model's inputs (dotted names), status,
    [explanation,] unscored_reason, type (last: added after the others, which keep their place).
    """
    inputs = list(ranking.model.main_inputs)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    extra = ["explanation"] if explain else []
    writer.writerow(
        ["rank", "key", "title", "score", *inputs, "status", *extra, "unscored_reason", "type"]
    )
    for item in ranking.ranked:
        explanation = [_text(item.explanation or "")] if explain else []
        writer.writerow(
            [
                str(item.rank),
                _text(item.key),
                _text(item.title),
                _cell(item.score),
                *(_cell(item.inputs.get(path)) for path in inputs),
                _text(item.status),
                *explanation,
                "",
                _text(item.type),
            ]
        )
    for unscored in ranking.unscored:
        blank_explanation = [""] if explain else []
        writer.writerow(
            [
                "",
                _text(unscored.key),
                _text(unscored.title),
                "",
                *("" for _ in inputs),
                _text(unscored.status),
                *blank_explanation,
                _text(unscored.reason),
                _text(unscored.type),
            ]
        )
    return buffer.getvalue()
