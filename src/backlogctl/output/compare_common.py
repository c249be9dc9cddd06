"""The compare report as format-neutral sections (title, columns, rows, highlights).

The table (plain or Rich) and Markdown renderers draw the same sections, so they always show the
same facts in the same order. Cell texts are raw (item text as written): each renderer makes
them safe for its format.

Each correlation gets a plain-language reading from Kendall's tau-b (``READINGS``): at 0.7 and
above the two models order items in much the same way ("strong agreement"), from 0.4
"moderate agreement", from 0.1 "weak agreement", between -0.1 and 0.1 "no relation", from
-0.4 "some disagreement", and below -0.4 "mostly disagree" (one tends to put first what the
other puts last). Tau-b counts pairs of items the two models order alike minus pairs they
order oppositely, as a share of all pairs, so these bands read as "how many more pairs agree
than disagree".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backlogctl.output.text import key_list
from backlogctl.scoring.compare import Comparison
from backlogctl.scoring.stability import StabilityReport

#: Marks a biggest mover in outputs without colour.
MOVER_MARK = "*"

#: Lower bounds of Kendall's tau-b and their plain reading, strongest first (module docstring).
READINGS = (
    (0.7, "strong agreement"),
    (0.4, "moderate agreement"),
    (0.1, "weak agreement"),
    (-0.1, "no relation"),
    (-0.4, "some disagreement"),
)
#: Below the last bound of ``READINGS``.
OPPOSED = "mostly disagree"

#: The stability method in one sentence for people who do not do statistics.
STABILITY_METHOD = (
    "How it works: each trial nudges every item's inputs by as much as their stated "
    "uncertainty allows (listed per model below) and ranks the backlog again; 'stayed' is the "
    "share of trials in which the item was still in the top {top}."
)


@dataclass(frozen=True)
class Section:
    """One titled table of the report, with optional lines of text before it."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    right: frozenset[int] = frozenset()
    highlight: frozenset[int] = frozenset()
    notes: list[str] = field(default_factory=list)
    #: What an empty section says (the notes may describe something else, e.g. consensus).
    empty: str = "none"
    #: Columns a narrow terminal folds into one cell of ``header value`` lines, and that
    #: cell's header (the agreement statistics, the ranks under each model).
    fold: frozenset[int] = frozenset()
    fold_header: str = ""
    #: Whether a terminal too narrow for the folded cell may leave those columns out.
    fold_optional: bool = False


def decimal(value: float | None) -> str:
    """A correlation with three decimals, ``n/a`` when undefined."""
    return "n/a" if value is None else f"{value:.3f}"


def percent(share: float) -> str:
    """A share 0..1 as a whole percentage."""
    return f"{share * 100:.0f}%"


def rank_cell(rank: int | None) -> str:
    """A rank, or ``-`` when the model could not score the item."""
    return "-" if rank is None else str(rank)


def reading(tau: float | None) -> str:
    """Kendall's tau-b in words (thresholds in ``READINGS``)."""
    if tau is None:
        return "not enough items"
    return next((words for bound, words in READINGS if tau >= bound), OPPOSED)


def heading(comparison: Comparison) -> str:
    """One line naming the models, the backlog size and N."""
    return (
        f"Comparing {', '.join(comparison.models)} on {comparison.items_total} items "
        f"(top {comparison.top})"
    )


def compare_sections(comparison: Comparison, *, summarize_epics: bool = True) -> list[Section]:
    """Agreement, ranks, consensus and contested items, movers, unscored, stability.

    ``summarize_epics``: unscored epics are named in one line per model instead of a row each.
    """
    sections = [_agreement(comparison), _ranks(comparison), _contested(comparison)]
    sections.append(_movers(comparison))
    if any(comparison.unscored.values()):
        sections.append(_unscored(comparison, summarize_epics=summarize_epics))
    if comparison.stability is not None:
        sections.append(_stability(comparison.stability))
    return sections


def _agreement(comparison: Comparison) -> Section:
    top = comparison.top
    rows = [
        [
            pair.replace(":", " vs "),
            decimal(stats.kendall_tau),
            decimal(stats.spearman),
            str(stats.n),
            str(stats.excluded),
            f"{comparison.top_overlap[pair].count}/{comparison.top_overlap[pair].possible}",
            f"{comparison.top_overlap[pair].jaccard:.2f}",
            reading(stats.kendall_tau),
        ]
        for pair, stats in comparison.correlation.items()
    ]
    return Section(
        title="Agreement between models",
        # Short headers that wrap at spaces keep the table within 80 columns for two models.
        headers=[
            "Models",
            "Kendall τ",
            "Spearman ρ",
            "Items",
            "Left out",
            f"Top-{top} overlap",
            "Jaccard",
            "Reading",
        ],
        rows=rows,
        right=frozenset(range(1, 7)),
        notes=[
            "Kendall τ: Kendall's tau-b; Spearman ρ: Spearman's rho. Items: compared (scored "
            "under both models); left out: unscored under one or both models of the pair.",
            "Reading (Kendall τ): 0.7 and above strong agreement, 0.4 moderate, 0.1 weak, "
            "-0.1 to 0.1 no relation, down to -0.4 some disagreement, below mostly disagree.",
        ],
        fold=frozenset(range(2, 7)),
        fold_header="Details",
        fold_optional=True,
    )


def _ranks(comparison: Comparison) -> Section:
    movers = {mover.key for mover in comparison.movers}
    rows = [
        [
            item.key,
            item.title,
            *(rank_cell(item.ranks[name]) for name in comparison.models),
            rank_cell(item.spread) + (f" {MOVER_MARK}" if item.key in movers else ""),
        ]
        for item in comparison.items
    ]
    count = len(comparison.models)
    return Section(
        title=f"Ranks of the items in any model's top {comparison.top}",
        headers=["Key", "Title", *comparison.models, "Spread"],
        rows=rows,
        right=frozenset(range(2, 3 + count)),
        highlight=frozenset(i for i, item in enumerate(comparison.items) if item.key in movers),
        notes=[f"{MOVER_MARK} biggest movers; - unscored under that model."],
        fold=frozenset(range(2, 2 + count)),
        fold_header="Ranks",
    )


def _contested(comparison: Comparison) -> Section:
    consensus = ", ".join(comparison.consensus) or "none"
    rows = [
        [
            item.key,
            item.title,
            ", ".join(item.in_top),
            ", ".join(f"{name} {rank_cell(rank)}" for name, rank in item.outside_top.items()),
        ]
        for item in comparison.contested
    ]
    return Section(
        title=f"Consensus and contested items (top {comparison.top})",
        headers=["Key", "Title", f"In top {comparison.top} of", "Outside it in (rank)"],
        rows=rows,
        notes=[f"Consensus (in every model's top {comparison.top}): {consensus}"],
        empty="no contested items",
    )


def _movers(comparison: Comparison) -> Section:
    rows = [
        [
            mover.key,
            mover.title,
            f"{mover.from_model} {mover.from_rank}",
            f"{mover.to_model} {mover.to_rank}",
            str(mover.delta),
        ]
        for mover in comparison.movers
    ]
    return Section(
        title="Biggest movers between two models",
        headers=["Key", "Title", "Best rank", "Worst rank", "Moved"],
        rows=rows,
        right=frozenset({4}),
        highlight=frozenset(range(len(rows))),
        notes=["Moved: places between its best and its worst rank."],
    )


def _unscored(comparison: Comparison, *, summarize_epics: bool) -> Section:
    rows = []
    # Models that leave out the same epics share one summary line.
    epics_by_keys: dict[tuple[str, ...], list[str]] = {}
    counts: dict[str, tuple[int, int]] = {}
    for name, entries in comparison.unscored.items():
        epics = [e for e in entries if summarize_epics and e.type.casefold() == "epic"]
        if entries:
            counts[name] = (len(entries), len(epics))
        summarised = {id(epic) for epic in epics}
        rows += [
            [name, e.key, e.title, e.type, e.reason] for e in entries if id(e) not in summarised
        ]
        if epics:
            epics_by_keys.setdefault(tuple(epic.key for epic in epics), []).append(name)
    notes = []
    for keys, names in epics_by_keys.items():
        noun = "epic" if len(keys) == 1 else "epics"
        where = "every model" if len(names) == len(comparison.models) else ", ".join(names)
        notes.append(f"Under {where}: {len(keys)} unscored {noun} not listed: {key_list(keys)}.")
    if notes:
        notes.append("--show-unscored lists the epics too.")
    return Section(
        title="Unscored items (left out of that model's statistics)",
        headers=["Model", "Key", "Title", "Type", "Reason"],
        rows=rows,
        notes=[_unscored_counts(counts), *notes],
        empty="only the epics above",
    )


def _unscored_counts(counts: dict[str, tuple[int, int]]) -> str:
    """``Unscored per model: rice 12, wsjf 14 (10 of each are the epics below).``

    ``counts``: per model, its unscored items and how many of them are summarised epics.
    """
    epics = {summarised for _, summarised in counts.values()}
    if epics == {0}:
        return f"Unscored per model: {', '.join(f'{n} {t}' for n, (t, _) in counts.items())}."
    if len(epics) == 1:
        each = "" if len(counts) == 1 else " of each"
        listed = ", ".join(f"{name} {total}" for name, (total, _) in counts.items())
        return f"Unscored per model: {listed} ({epics.pop()}{each} are the epics below)."
    listed = ", ".join(f"{name} {t} ({e} epics below)" for name, (t, e) in counts.items())
    return f"Unscored per model: {listed}."


def _stability(report: StabilityReport) -> Section:
    rows = [
        [name, str(item.rank), item.key, item.title, percent(item.stayed)]
        for name, model in report.models.items()
        for item in model.items
    ]
    notes = [STABILITY_METHOD.format(top=report.top)]
    notes += [
        f"{name}: top {report.top} kept {percent(model.robustness)} of the time on average; "
        f"perturbed {', '.join(f'{path} ({how})' for path, how in model.perturbed.items())}"
        for name, model in report.models.items()
    ]
    notes += [f"{name}: not assessed ({why})" for name, why in report.skipped.items()]
    return Section(
        title=f"Rank stability ({report.trials} trials, seed {report.seed})",
        headers=["Model", "Rank", "Key", "Title", f"Stayed in top {report.top}"],
        rows=rows,
        right=frozenset({1, 4}),
        notes=notes,
    )
