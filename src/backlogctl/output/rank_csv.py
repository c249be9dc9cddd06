"""The ranking as CSV: ranked rows, then unscored rows with an empty rank and a reason."""

from __future__ import annotations

import csv
import io

from backlogctl.scoring.ranking import Ranking


def _cell(value: float | str | None) -> str:
    """Numbers at full precision, integral ones without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


def render_rank_csv(ranking: Ranking, *, explain: bool = False) -> str:
    """Columns: rank, key, title, score, the model's inputs (dotted names), status,
    [explanation,] unscored_reason."""
    inputs = list(ranking.model.main_inputs)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    extra = ["explanation"] if explain else []
    writer.writerow(["rank", "key", "title", "score", *inputs, "status", *extra, "unscored_reason"])
    for item in ranking.ranked:
        explanation = [item.explanation or ""] if explain else []
        writer.writerow(
            [
                str(item.rank),
                item.key,
                item.title,
                _cell(item.score),
                *(_cell(item.inputs.get(path)) for path in inputs),
                item.status,
                *explanation,
                "",
            ]
        )
    for unscored in ranking.unscored:
        blank_explanation = [""] if explain else []
        writer.writerow(
            [
                "",
                unscored.key,
                unscored.title,
                "",
                *("" for _ in inputs),
                unscored.status,
                *blank_explanation,
                unscored.reason,
            ]
        )
    return buffer.getvalue()
