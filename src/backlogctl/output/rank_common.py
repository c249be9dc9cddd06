"""What every rank renderer shows: the options of a ranking's display and its cell texts.

Texts here are raw (item text as written); each renderer makes them safe for its format
(``text.shown`` for tables, ``markdown.markdown_cell`` for Markdown).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from backlogctl.models import ScoredItem, UnscoredItem
from backlogctl.output.text import key_list, legend, readable_number
from backlogctl.scoring.normalize import Normalized, normalize
from backlogctl.scoring.ranking import Ranking


@dataclass(frozen=True)
class RankView:
    """A ranking and how to show it.

    ``normalize``: add the 0-100 score (over every ranked item, not just the top N shown).
    ``summarize_epics``: table and Markdown name unscored epics in one line instead of a row
    each (``rank --top N`` without ``--show-unscored``); JSON and CSV list every item.
    """

    ranking: Ranking
    explain: bool = False
    normalize: bool = False
    summarize_epics: bool = False

    @cached_property
    def normalized(self) -> Normalized | None:
        """The 0-100 scores of the shown items (in rank order), when asked for."""
        if not self.normalize:
            return None
        every = normalize([entry.value for entry in self.ranking.ordered])
        return Normalized(every.method, every.values[: len(self.ranking.entries())])

    def score_texts(self) -> list[str]:
        """The Score column: readable scores, or the 0-100 scores with ``normalize``."""
        if self.normalized is not None:
            return [f"{value:.1f}" for value in self.normalized.values]
        return [readable_number(item.score) for item in self.ranking.ranked]

    def score_header(self) -> str:
        """``Score``, or ``Score 0-100`` with ``normalize``."""
        return "Score 0-100" if self.normalize else "Score"

    @cached_property
    def _epics(self) -> list[UnscoredItem]:
        if not self.summarize_epics:
            return []
        return [item for item in self.ranking.unscored if item.type.casefold() == "epic"]

    def listed_unscored(self) -> list[UnscoredItem]:
        """Unscored items shown as rows (all but the summarised epics)."""
        summarised = {id(item) for item in self._epics}
        return [item for item in self.ranking.unscored if id(item) not in summarised]

    def unscored_heading(self) -> str:
        """``Unscored (12)``; with epics summarised, how many of them are epics.

        The count is every unscored item, as in JSON and CSV: the heading says how many of
        them the table leaves to the summary line.
        """
        total = len(self.ranking.unscored)
        epics = len(self._epics)
        if not epics:
            return f"Unscored ({total})"
        if epics == total:
            noun = "epic" if total == 1 else "epics"
            return f"Unscored ({total}, all {noun}, summarised below)"
        return f"Unscored ({total}, {epics} of them epics summarised below)"

    def epic_summary(self) -> tuple[str, list[str]] | None:
        """``("3 unscored epics not listed", keys)`` when epics are summarised, else None.

        Keys are raw; the renderer escapes them and joins them (``summary_line``).
        """
        if not self._epics:
            return None
        count = len(self._epics)
        noun = "epic" if count == 1 else "epics"
        return f"{count} unscored {noun} not listed", [item.key for item in self._epics]

    def notes(self) -> list[str]:
        """Lines under the ranked table: the input legend and what the 0-100 score is."""
        notes = []
        spelled = legend(self.ranking.model.main_inputs)
        if spelled is not None:
            notes.append(spelled)
        if self.normalized is not None:
            notes.append(self.normalized.describe())
        return notes


def summary_line(head: str, keys: list[str]) -> str:
    """``head: K1, K2, … and 3 more (--show-unscored lists them).`` from escaped ``keys``."""
    return f"{head}: {key_list(keys)} (--show-unscored lists them)."


def input_cells(
    ranking: Ranking, item: ScoredItem, escape: Callable[[str], str] = str
) -> list[str]:
    """The model's main inputs of ``item`` as readable texts (empty when absent); text
    values (a custom model's string field) pass through ``escape``."""
    cells = []
    for path in ranking.model.main_inputs:
        value = item.inputs.get(path)
        if value is None:
            cells.append("")
        elif isinstance(value, str):
            cells.append(escape(value))
        else:
            cells.append(readable_number(value))
    return cells
