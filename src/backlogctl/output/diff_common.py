"""The diff as titled sections of plain cells, shared by the table and Markdown renderers.

Cells hold the raw text (item titles untrusted): each renderer escapes them for its format.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from backlogctl.history.diff import Change, Endpoint, FindingChange, HistoryDiff, ItemChange
from backlogctl.lint.registry import RULES
from backlogctl.output.text import readable_number

ARROW = "→"
#: What a move without changes of its own says.
OTHERS_MOVED = "(others moved)"


@dataclass(frozen=True)
class DiffSection:
    """One titled table of the diff; ``wrap`` is the column that wraps (changes, reason)."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    right: frozenset[int] = frozenset()
    wrap: str | None = None
    #: Rows left out by the limit (``--top``).
    more: int = 0

    def more_text(self) -> str:
        """The line under a cut section, empty when nothing was left out."""
        if not self.more:
            return ""
        return f"... and {self.more} more (raise --top, or see --format json)"


def value_text(value: float | str | None) -> str:
    """An input value for people: numbers as tables show them, ``none`` when absent."""
    if value is None:
        return "none"
    if isinstance(value, str):
        return value
    return readable_number(value)


def change_text(change: Change) -> str:
    """``rice.impact 0.25 → 3``."""
    return f"{change.field} {value_text(change.old)} {ARROW} {value_text(change.new)}"


def changes_text(changes: tuple[Change, ...], separator: str = "; ") -> str:
    """An item's own input changes, or what a move without any means."""
    return separator.join(change_text(change) for change in changes) or OTHERS_MOVED


def endpoint_text(endpoint: Endpoint) -> str:
    """``snapshot 3 (2026-11-25 09:30 UTC, "sprint 12")`` or ``the current backlog (...)``."""
    when = endpoint.taken.strftime("%Y-%m-%d %H:%M UTC")
    if endpoint.id is None:
        return f"the current backlog ({when})"
    note = f', "{endpoint.note}"' if endpoint.note else ""
    return f"snapshot {endpoint.id} ({when}{note})"


def heading(diff: HistoryDiff) -> str:
    """The diff's one-line heading."""
    return (
        f"Changes from {endpoint_text(diff.source)} to {endpoint_text(diff.target)}, "
        f"ranked by {diff.model}"
    )


def _rank(value: int | None) -> str:
    return "-" if value is None else str(value)


def _move(change: ItemChange) -> str:
    return f"{_rank(change.from_rank)} {ARROW} {_rank(change.to_rank)}"


def _rule(code: str) -> str:
    rule = RULES.get(code)
    return rule.name if rule is not None else ""


def _findings(title: str, findings: list[FindingChange]) -> DiffSection:
    return DiffSection(
        f"{title} ({len(findings)})",
        ["Key", "Code", "Rule", "Severity"],
        [
            [finding.key, finding.code, _rule(finding.code), finding.severity]
            for finding in findings
        ],
    )


def diff_sections(diff: HistoryDiff, limit: int | None = None) -> list[DiffSection]:
    """The non-empty sections, agenda order: moves, added, done, removed, ranking entries and
    exits, then findings; each cut to its first ``limit`` rows (None: all)."""
    sections = [
        DiffSection(
            f"Moves ({len(diff.moves)}, largest first)",
            ["Key", "Rank", "Title", "Own input changes"],
            [[c.key, _move(c), c.title, changes_text(c.changes)] for c in diff.moves],
            right=frozenset({1}),
            wrap="Own input changes",
        ),
        DiffSection(
            f"Added ({len(diff.added)})",
            ["Key", "Rank", "Title"],
            [[c.key, _rank(c.to_rank), c.title] for c in diff.added],
            right=frozenset({1}),
        ),
        DiffSection(
            f"Done ({len(diff.done)})",
            ["Key", "Was", "Title"],
            [[c.key, _rank(c.from_rank), c.title] for c in diff.done],
            right=frozenset({1}),
        ),
        DiffSection(
            f"Removed ({len(diff.removed)})",
            ["Key", "Was", "Title"],
            [[c.key, _rank(c.from_rank), c.title] for c in diff.removed],
            right=frozenset({1}),
        ),
        DiffSection(
            f"Now ranked ({len(diff.now_ranked)}: scorable again, or reopened)",
            ["Key", "Rank", "Title", "Own input changes"],
            [[c.key, _rank(c.to_rank), c.title, changes_text(c.changes)] for c in diff.now_ranked],
            right=frozenset({1}),
            wrap="Own input changes",
        ),
        DiffSection(
            f"Now unscored ({len(diff.now_unscored)})",
            ["Key", "Was", "Title", "Reason"],
            [[c.key, _rank(c.from_rank), c.title, c.reason or ""] for c in diff.now_unscored],
            right=frozenset({1}),
            wrap="Reason",
        ),
        _findings("New findings", diff.new_findings),
        _findings("Fixed findings", diff.fixed_findings),
    ]
    return [_cut(section, limit) for section in sections if section.rows]


def _cut(section: DiffSection, limit: int | None) -> DiffSection:
    if limit is None or len(section.rows) <= limit:
        return section
    return replace(section, rows=section.rows[:limit], more=len(section.rows) - limit)


def no_changes(diff: HistoryDiff) -> str:
    """What an empty diff says."""
    return f"No changes under {diff.model}: same items, ranks, inputs and findings."
