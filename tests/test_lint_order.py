"""The lint engine's report order, and rules run together finding what each finds alone.

Findings are sorted by (file or URL, line, code, key, message); running every rule in one
pass must find exactly what each rule finds when selected alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from backlogctl.config import Config
from backlogctl.lint.engine import Selection, lint_backlog
from backlogctl.lint.registry import RULES
from backlogctl.lint.result import LintResult, ReportedFinding
from backlogctl.lint.rule import Rule
from backlogctl.models import Backlog, BacklogItem, SourceLocation

AS_OF = dt.datetime(2026, 11, 25, 23, 59, 59, tzinfo=dt.UTC)

_STATUSES = {
    "To Do": "todo",
    "In Progress": "in_progress",
    "Done": "done",
    "Ready": "todo",
    "Blocked": "todo",
    "Parked": "todo",
}
_TYPES = ["story", "bug", "task", "epic", "spike"]


def _source(number: int) -> SourceLocation:
    """Files out of name order (b.yaml first), Jira URLs, and two items on one line."""
    if number % 7 == 0:
        return SourceLocation(url=f"https://example.atlassian.net/browse/SHOP-{number}")
    if number < 300:
        return SourceLocation(file="backlog/b.yaml", line=1 + 3 * number)
    return SourceLocation(file="backlog/a.yaml", line=1 + 3 * (number // 2))


def _item(number: int) -> BacklogItem:
    """An item breaking a varying mix of rules (several E004 inputs on some)."""
    fields: dict[str, Any] = {
        "key": f"SHOP-{number}",
        "title": ["Gift wrapping at checkout", "Fix", "Coupon rounding on invoices"][number % 3],
        "type": _TYPES[number % len(_TYPES)],
        "status": list(_STATUSES)[number % len(_STATUSES)],
        "status_category": list(_STATUSES.values())[number % len(_STATUSES)],
        "updated": f"2026-{1 + number % 11:02d}-15",
        "status_changed": f"2026-{1 + number % 11:02d}-01",
        "due": f"2026-{1 + number % 12:02d}-20",
        "source": _source(number),
    }
    if number % 4 != 3:
        fields["estimate"] = [3, 21, 40][number % 3]
    if number % 2:
        fields["rank"] = number
    if number % 3 == 0:
        fields["rice"] = {"reach": 10 * number, "impact": 1, "confidence": 0.8, "effort": 1}
    if number % 5 == 0:
        fields["ice"] = {"impact": 12, "confidence": 5, "ease": 0}
    if number % 4 == 1:
        fields["parent"] = f"SHOP-{number - 1}" if number % 8 == 1 else "SHOP-9999"
    if number % 12 != 7:
        fields["assignee"] = "dana"
    if number % 10 == 4:
        fields["blocked_since"] = "2026-11-01"
    if number % 9 == 0:
        # Below it under RICE (H009), unknown (H007), and pairs waiting for each other (H008).
        fields["depends_on"] = [f"SHOP-{number - 3}"]
        fields["depends_on"] += ["SHOP-8888"] if number % 18 == 0 else []
        fields["depends_on"] += [f"SHOP-{number + 90 if number % 180 == 90 else number - 90}"]
    return BacklogItem(**fields)


ITEMS = [_item(number) for number in range(1, 601)]  # over two slices of per-item rules


def _lint(selection: Selection | None = None, rules: dict[str, Rule] | None = None) -> LintResult:
    return lint_backlog(
        Backlog(items=ITEMS), Config(), as_of=AS_OF, selection=selection, rules=rules
    )


def _report_order(entry: ReportedFinding) -> tuple[str, int, str, str, str]:
    return (entry.source or entry.url or "", entry.line or 0, entry.code, entry.key, entry.message)


def test_findings_are_sorted_by_file_line_code_key_and_message() -> None:
    entries = _lint().entries
    assert entries == sorted(entries, key=_report_order)
    files = [entry.source for entry in entries if entry.source]
    assert files[0] == "backlog/a.yaml" and files[-1] == "backlog/b.yaml"
    several = [entry.message for entry in entries if entry.key == "SHOP-5"]
    assert [message for message in several if message.startswith("ice.")] == [
        "ice.ease 0 is outside 1..10",
        "ice.impact 12 is outside 1..10",
    ]


def test_all_rules_together_find_what_each_rule_finds_alone() -> None:
    together = _lint().entries
    alone = [
        entry
        for code, rule in RULES.items()
        if rule.check is not None
        for entry in _lint(Selection(select=(code,))).entries
    ]
    assert {rule.code for rule in RULES.values() if rule.check is not None} - {
        entry.code for entry in together
    } == {"H005", "H006", "H010"}  # all but those find something (nothing declared, no cycle)
    assert sorted(together, key=_report_order) == sorted(alone, key=_report_order)


def test_a_very_large_line_number_sorts_by_line() -> None:
    far = BacklogItem(key="SHOP-2", title="Fix", source=SourceLocation(file="b.yaml", line=2**40))
    near = BacklogItem(key="SHOP-1", title="Fix", source=SourceLocation(file="b.yaml", line=9))
    result = lint_backlog(Backlog(items=[far, near]), Config(), as_of=AS_OF)
    assert result.entries[0].key == "SHOP-1"
    assert result.entries == sorted(result.entries, key=_report_order)
