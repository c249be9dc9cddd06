"""Gather every section of ``backlogctl report`` into one ``Report``.

``build_report(backlog, config, model=..., as_of=..., sources=...)`` ranks the open items
under the report's model and under every other model (for the agreement section), runs lint
with the config's rule selection, and builds the sections. Lint always sees the real items;
with ``redact`` every other section sees titles replaced by keys and assignees and
stakeholders by numbered placeholders, so nothing downstream can show the real ones. The
OKR and stakeholder sections are ``insights``' results; the history section compares with
snapshots the caller loaded (the CLI opens the history file).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from backlogctl.config import Config
from backlogctl.insights.okr import summarize_okrs
from backlogctl.insights.stakeholders import summarize_stakeholders
from backlogctl.lint.engine import lint_backlog
from backlogctl.models import Backlog, BacklogItem
from backlogctl.report.agreement import model_agreement
from backlogctl.report.history_section import current_state, history_section
from backlogctl.report.matrix import PLOT_LIMIT, build_matrix
from backlogctl.report.model import Report, SourceInfo
from backlogctl.report.redact import redact_backlog
from backlogctl.report.sections import headline, lint_summary, top_rows
from backlogctl.scoring.current import CurrentOrder
from backlogctl.scoring.ranking import Ranking, rank_items
from backlogctl.scoring.registry import CURRENT, available_models, get_model

if TYPE_CHECKING:
    # Types only: the store's sqlite3 loads only when the CLI opens a history file.
    from backlogctl.history.store import Snapshot

#: Items in the top list unless ``--top`` says otherwise.
DEFAULT_TOP = 10

#: Top-N size of the agreement section ("4 of the top 10 shared").
AGREEMENT_TOP = 10


def build_report(
    backlog: Backlog,
    config: Config,
    *,
    model: str,
    as_of: dt.datetime,
    sources: Sequence[str],
    top: int = DEFAULT_TOP,
    redact: bool = False,
    plot_limit: int = PLOT_LIMIT,
    snapshots: Sequence[Snapshot] | None = None,
) -> Report:
    """The report of ``backlog`` under ``model`` as of ``as_of``.

    ``snapshots`` are the history the report compares with (the last one counts, see
    ``history_section.load_snapshot``): None leaves the history section out, an empty list
    (or snapshots without this model) gives a section saying why there is no comparison.
    Raises ``InputError`` for an unknown model, ``ConfigError`` for a broken lint or model
    configuration (exit 2).
    """
    scoring_model = get_model(model, config)
    lint = lint_backlog(backlog, config, as_of=as_of)
    shown = redact_backlog(backlog) if redact else backlog
    items = shown.items
    rankings = _rankings(items, config, scoring_model.name)
    ranking = rankings[scoring_model.name]
    history = history_note = None
    if snapshots is not None:
        current = current_state(items, ranking, lint)
        history = history_section(snapshots, current, ranking, as_of=as_of, redact=redact)
        if history is None:
            history_note = (
                f"no snapshot ranks under {scoring_model.name} yet: take one with "
                f"'backlogctl snapshot --model {scoring_model.name}'"
                if snapshots
                else "no snapshot taken on or before the as-of date"
            )
    has_stakeholders = bool(shown.stakeholders) or any(item.stakeholders for item in items)
    return Report(
        source=SourceInfo(
            sources=tuple(sources),
            as_of=as_of,
            model=scoring_model.name,
            formula=scoring_model.formula,
            model_description=scoring_model.description,
            items_total=len(items),
            redacted=redact,
        ),
        headline=headline(items, ranking, lint),
        top=top_rows(ranking, top),
        top_limit=top,
        input_names=scoring_model.main_inputs,
        matrix=build_matrix(ranking.entries(), scoring_model, limit=plot_limit),
        lint=lint_summary(lint, items),
        agreement=model_agreement(scoring_model.name, rankings, top=AGREEMENT_TOP),
        okr=summarize_okrs(shown, ranking, as_of=as_of, top=top) if shown.objectives else None,
        stakeholders=(
            summarize_stakeholders(shown, ranking, as_of=as_of, top=top)
            if has_stakeholders
            else None
        ),
        history=history,
        history_note=history_note,
    )


def _rankings(items: Sequence[BacklogItem], config: Config, first: str) -> dict[str, Ranking]:
    """The open items ranked under every model (the report's first, then the stored order)."""
    models = available_models(config)
    order = [first, *(name for name in models if name != first)]
    rankings = {name: rank_items(items, models[name], explain=False) for name in order}
    rankings[CURRENT] = rank_items(items, CurrentOrder(), explain=False)
    return rankings
