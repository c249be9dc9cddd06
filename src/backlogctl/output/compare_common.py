"""The compare report as format-neutral sections (title, columns, rows, highlights).

The table (plain or Rich) and Markdown renderers draw the same sections, so they always show the
same facts in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backlogctl.scoring.compare import Comparison
from backlogctl.scoring.stability import StabilityReport

#: Marks a biggest mover in outputs without colour.
MOVER_MARK = "*"


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


def decimal(value: float | None) -> str:
    """A correlation with three decimals, ``n/a`` when undefined."""
    return "n/a" if value is None else f"{value:.3f}"


def percent(share: float) -> str:
    """A share 0..1 as a whole percentage."""
    return f"{share * 100:.0f}%"


def rank_cell(rank: int | None) -> str:
    """A rank, or ``-`` when the model could not score the item."""
    return "-" if rank is None else str(rank)


def heading(comparison: Comparison) -> str:
    """One line naming the models, the backlog size and N."""
    return (
        f"Comparing {', '.join(comparison.models)} on {comparison.items_total} items "
        f"(top {comparison.top})"
    )


def compare_sections(comparison: Comparison) -> list[Section]:
    """Agreement, ranks, consensus and contested items, movers, unscored, stability."""
    sections = [_agreement(comparison), _ranks(comparison), _contested(comparison)]
    sections.append(_movers(comparison))
    if any(comparison.unscored.values()):
        sections.append(_unscored(comparison))
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
        ]
        for pair, stats in comparison.correlation.items()
    ]
    return Section(
        title="Agreement between models",
        headers=[
            "Models",
            "Kendall tau-b",
            "Spearman rho",
            "Compared",
            "Excluded",
            f"Top-{top} overlap",
            "Jaccard",
        ],
        rows=rows,
        right=frozenset(range(1, 7)),
        notes=["Excluded: items unscored under one or both models of the pair."],
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
    )


def _unscored(comparison: Comparison) -> Section:
    rows = [
        [name, entry.key, entry.title, entry.type, entry.reason]
        for name, entries in comparison.unscored.items()
        for entry in entries
    ]
    counts = ", ".join(
        f"{name} {len(entries)}" for name, entries in comparison.unscored.items() if entries
    )
    return Section(
        title="Unscored items (left out of that model's statistics)",
        headers=["Model", "Key", "Title", "Type", "Reason"],
        rows=rows,
        notes=[f"Unscored per model: {counts}."],
    )


def _stability(report: StabilityReport) -> Section:
    rows = [
        [name, str(item.rank), item.key, item.title, percent(item.stayed)]
        for name, model in report.models.items()
        for item in model.items
    ]
    notes = [
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
