"""The report's smaller sections: headline numbers, the top N, the lint summary by rule family.

Each function reads results computed elsewhere (a ranking, a lint result) and keeps only what
the report shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from backlogctl.lint.result import LintResult
from backlogctl.models import SEVERITY_ORDER, BacklogItem
from backlogctl.report.model import FamilyCount, Headline, LintSummary, TopRow, WorstItem
from backlogctl.scoring.ranking import Ranking

#: Rule families by code letter (docs/architecture.md, "Machine-readable output").
FAMILIES: dict[str, str] = {
    "S": "Staleness and flow",
    "D": "Definition",
    "E": "Estimation and scoring",
    "H": "Hierarchy and objectives",
    "W": "Workflow",
    "L": "Lint's own findings",
}

#: How many items the lint summary lists as the worst.
WORST_ITEMS = 10


def headline(items: Sequence[BacklogItem], ranking: Ranking, lint: LintResult) -> Headline:
    """Open items and their points, progress, scored and unscored items, findings by severity."""
    open_items = [item for item in items if not item.is_done]
    estimates = [item.estimate for item in open_items if item.estimate is not None]
    return Headline(
        open_items=len(open_items),
        open_points=float(sum(estimates)),
        estimated_items=len(estimates),
        in_progress=sum(1 for item in open_items if item.status_category == "in_progress"),
        done_items=len(items) - len(open_items),
        scored=len(ranking.ordered),
        unscored=len(ranking.unscored),
        findings=lint.summary(),
    )


def top_rows(ranking: Ranking, count: int) -> tuple[TopRow, ...]:
    """The first ``count`` ranked items with their inputs, status and assignee."""
    shown = ranking.top(count)
    rows = []
    for record, entry in zip(shown.ranked, shown.entries(), strict=True):
        rows.append(
            TopRow(
                rank=record.rank,
                key=record.key,
                title=record.title,
                score=record.score,
                inputs=tuple(record.inputs.items()),
                status=record.status,
                assignee=entry.item.assignee,
                url=entry.item.source.url,
            )
        )
    return tuple(rows)


def lint_summary(lint: LintResult, items: Sequence[BacklogItem]) -> LintSummary:
    """Findings per rule family and severity; the items with the most severe findings."""
    by_family: dict[str, dict[str, int]] = {}
    by_item: dict[str, dict[str, int]] = {}
    codes: dict[str, set[str]] = {}
    for entry in lint.entries:
        family = by_family.setdefault(entry.code[:1], {"error": 0, "warning": 0, "info": 0})
        family[entry.severity] += 1
        counts = by_item.setdefault(entry.key, {"error": 0, "warning": 0, "info": 0})
        counts[entry.severity] += 1
        codes.setdefault(entry.key, set()).add(entry.code)
    families = tuple(
        FamilyCount(letter, FAMILIES.get(letter, letter), **counts)
        for letter, counts in sorted(
            by_family.items(),
            key=lambda pair: (
                list(FAMILIES).index(pair[0]) if pair[0] in FAMILIES else len(FAMILIES),
                pair[0],
            ),
        )
    )
    position = {item.key: index for index, item in enumerate(items)}
    by_key = {item.key: item for item in items}

    def severity_order(key: str) -> tuple[int, ...]:
        counts = by_item[key]
        weights = sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.__getitem__, reverse=True)
        return (*(-counts[name] for name in weights), position.get(key, len(position)))

    worst = []
    for key in sorted(by_item, key=severity_order)[:WORST_ITEMS]:
        item = by_key.get(key)
        worst.append(
            WorstItem(
                key=key,
                title=item.title if item is not None else "",
                codes=tuple(sorted(codes[key])),
                url=item.source.url if item is not None else None,
                **by_item[key],
            )
        )
    return LintSummary(
        families=families,
        worst=tuple(worst),
        total=len(lint.entries),
        items_with_findings=len(by_item),
    )
