"""The ranking as CSV: ranked rows, then unscored rows with an empty rank and a reason.

Text cells that a spreadsheet would run as a formula (``=HYPERLINK(...)`` in a title typed
by anyone with write access to the backlog) get a leading apostrophe, as OWASP advises for
CSV exports, also when the formula character hides behind leading spaces (NBSP, ideographic
space, newline) or is its fullwidth form (``＝``), which spreadsheets read alike. Control and
bidi characters are shown as escapes (newline and tab are kept: CSV quotes them). Numbers
are written as numbers, at full precision.
"""

from __future__ import annotations

import csv
import io

from backlogctl.output.rank_common import RankView
from backlogctl.sanitize import visible

#: First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula,
#: with their fullwidth forms.
_FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")


def _text(value: str) -> str:
    """Text as a spreadsheet shows it, never as a formula it would run."""
    shown = visible(value, multiline=True)
    stripped = shown.lstrip()
    if shown[:1] in _FORMULA_STARTS or stripped[:1] in _FORMULA_STARTS:
        return "'" + shown
    return shown


def _cell(value: float | str | None) -> str:
    """Numbers at full precision, integral ones without ``.0``; text made formula-safe."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _text(value)
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


def render_rank_csv(view: RankView) -> str:
    """Columns: rank, key, title, score, the model's inputs (dotted names), status,
    [explanation,] unscored_reason, type, [normalized_score] (added columns go last; the
    others keep their place). Every unscored item is listed.
    """
    ranking = view.ranking
    explain = view.explain
    inputs = list(ranking.model.main_inputs)
    normalized = view.normalized
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    extra = ["explanation"] if explain else []
    last = ["normalized_score"] if normalized is not None else []
    writer.writerow(
        [
            "rank",
            "key",
            "title",
            "score",
            *inputs,
            "status",
            *extra,
            "unscored_reason",
            "type",
            *last,
        ]
    )
    values = normalized.values if normalized is not None else [None] * len(ranking.ranked)
    for item, value in zip(ranking.ranked, values, strict=True):
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
                *([] if normalized is None else [_cell(value)]),
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
                *([""] if normalized is not None else []),
            ]
        )
    return buffer.getvalue()
