"""What every rank renderer shows: the columns and cell texts of a ranking."""

from __future__ import annotations

from backlogctl.models import ScoredItem
from backlogctl.scoring.numbers import format_number
from backlogctl.scoring.ranking import Ranking


def input_cells(ranking: Ranking, item: ScoredItem) -> list[str]:
    """The model's main inputs of ``item`` as display texts (empty when absent)."""
    cells = []
    for path in ranking.model.main_inputs:
        value = item.inputs.get(path)
        if value is None:
            cells.append("")
        elif isinstance(value, str):
            cells.append(value)
        else:
            cells.append(format_number(value))
    return cells


def score_text(item: ScoredItem) -> str:
    """The score as shown in tables (at most three decimals)."""
    return format_number(item.score)
