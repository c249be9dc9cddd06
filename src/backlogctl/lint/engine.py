"""The lint run: executes the planned rules, stamps severities, applies suppressions.

Rules are pure functions of items (``rule.py``); the plan (``plan.py``) says which rule runs
on which items with which options. This module runs them, isolates a crashing rule (an L000
finding per item it crashed on), drops findings suppressed per item (``lint: {ignore: [...]}``
or a Jira label ``backlogctl-ignore-CODE``, by code or prefix) or accepted by the baseline,
reports suppressions that suppressed nothing (L001), and sorts what is left into the report
order. Items carrying one of ``lint.exempt_labels`` are not handed to the S rules at all.
The result types live in ``result.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from backlogctl.config import Config
from backlogctl.errors import BacklogctlError
from backlogctl.lint.baseline import Baseline
from backlogctl.lint.context import LintContext
from backlogctl.lint.plan import ALL, Batch, LintPlan, Selection, known_prefix
from backlogctl.lint.registry import INTERNAL_ERROR, RULES, UNUSED_SUPPRESSION
from backlogctl.lint.result import DEFAULT_FAIL_ON, FailOn, LintResult, ReportedFinding
from backlogctl.lint.rule import Rule, Violation
from backlogctl.models import Backlog, BacklogItem

__all__ = [
    "DEFAULT_FAIL_ON",
    "EXEMPT_FAMILY",
    "LABEL_PREFIX",
    "FailOn",
    "LintResult",
    "ReportedFinding",
    "Selection",
    "item_suppressions",
    "lint_backlog",
]

#: The rule family ``lint.exempt_labels`` exempts items from: staleness and flow.
EXEMPT_FAMILY = "S"

#: Jira label prefix that suppresses a rule on one issue, e.g. ``backlogctl-ignore-S001``.
LABEL_PREFIX = "backlogctl-ignore-"


def lint_backlog(
    backlog: Backlog,
    config: Config,
    *,
    as_of: dt.datetime,
    selection: Selection | None = None,
    baseline: Baseline | None = None,
    rules: dict[str, Rule] | None = None,
) -> LintResult:
    """Run the selected rules on ``backlog`` as of ``as_of``.

    Raises ``ConfigError``/``InputError`` (exit 2) for unknown codes, bad options or a bad
    selection before any rule runs.
    """
    table = RULES if rules is None else rules
    plan = LintPlan(config, selection or Selection(), table)
    context = LintContext(
        as_of=as_of,
        config=config,
        items=backlog.items,
        objectives=backlog.objectives,
        dependency_statuses=backlog.dependency_statuses,
        stakeholders=backlog.stakeholders,
    )
    run = _Run(plan, baseline, item_suppressions(backlog.items))
    for planned in plan.batches(backlog.items):
        batch = _without_exempt(planned, config)
        violations, crashes = _check_isolated(batch, context)
        run.add(batch.rule, violations)
        for crash in crashes:
            run.add_engine_finding(INTERNAL_ERROR, crash)
    run.report_unused_suppressions(context.by_key)
    entries = sorted(run.entries, key=_report_order)
    return LintResult(entries, table, suppressed=run.suppressed, baselined=run.baselined)


def item_suppressions(items: Sequence[BacklogItem]) -> dict[str, tuple[str, ...]]:
    """The codes or prefixes each item suppresses, by key (items suppressing nothing left out).

    From the item's ``lint: {ignore: [...]}`` and its ``backlogctl-ignore-CODE`` labels.
    """
    suppressions: dict[str, tuple[str, ...]] = {}
    for item in items:
        codes = list(item.lint.ignore) if item.lint is not None else []
        codes += [
            label[len(LABEL_PREFIX) :]
            for label in item.labels
            if label.lower().startswith(LABEL_PREFIX)
        ]
        cleaned = tuple(code.strip().upper() for code in codes if code.strip())
        if cleaned:
            suppressions[item.key] = cleaned
    return suppressions


def _without_exempt(batch: Batch, config: Config) -> Batch:
    """``batch`` without the items ``lint.exempt_labels`` exempts from its rule."""
    settings = config.lint
    if not settings.exempt_labels or not batch.rule.code.startswith(EXEMPT_FAMILY):
        return batch
    kept = [item for item in batch.items if not settings.exempts(item.labels)]
    return batch if len(kept) == len(batch.items) else Batch(batch.rule, batch.options, kept)


def _report_order(entry: ReportedFinding) -> tuple[str, int, str, str, str]:
    """The report order: file (or URL), line, code, key, message."""
    return (entry.source or entry.url or "", entry.line or 0, entry.code, entry.key, entry.message)


def _check_isolated(batch: Batch, context: LintContext) -> tuple[list[Violation], list[Violation]]:
    """The rule's violations, and an internal error for each item it crashed on."""
    rule, items, options = batch.rule, batch.items, batch.options
    assert rule.check is not None  # the plan only batches rules that have a check
    try:
        return list(rule.check(items, context, options)), []
    except BacklogctlError:
        raise
    except Exception as first:  # a crashing rule must not hide the other rules' findings
        violations: list[Violation] = []
        crashes: list[Violation] = []
        for item in items:
            try:
                violations.extend(rule.check([item], context, options))
            except BacklogctlError:
                raise
            except Exception as exc:
                crashes.append(_crash(rule, item, exc))
        if not crashes and items:
            crashes.append(_crash(rule, items[0], first))
        return violations, crashes


def _crash(rule: Rule, item: BacklogItem, exc: Exception) -> Violation:
    return Violation(
        item,
        f"rule {rule.code} ({rule.name}) failed on {item.key}: {type(exc).__name__}: {exc}",
        subject=rule.code,
    )


@dataclass
class _Run:
    """Accumulates findings while applying suppressions and the baseline."""

    plan: LintPlan
    baseline: Baseline | None
    suppressions: dict[str, tuple[str, ...]]
    entries: list[ReportedFinding] = field(default_factory=list)
    suppressed: int = 0
    baselined: int = 0
    #: (key, suppression) pairs that suppressed at least one finding.
    _used: set[tuple[str, str]] = field(default_factory=set)

    def add(self, rule: Rule, violations: list[Violation]) -> None:
        """Record a rule's violations: suppressed, baselined or reported."""
        for violation in violations:
            key = violation.item.key
            if key in self.suppressions:
                matched = [code for code in self.suppressions[key] if rule.code.startswith(code)]
                if matched:
                    self._used.update((key, code) for code in matched)
                    self.suppressed += 1
                    continue
            self._record(rule, violation)

    def add_engine_finding(self, rule: Rule, violation: Violation) -> None:
        """Record an internal error (L000): never suppressed nor baselined."""
        self.entries.append(self._finding(rule, violation))

    def report_unused_suppressions(self, by_key: dict[str, BacklogItem]) -> None:
        """L001 for each suppression that matched nothing (or names no rule).

        An L001 finding is baselined like any rule's: a baseline written from a run then
        makes that same run pass.
        """
        for key, codes in self.suppressions.items():
            item = by_key[key]
            enabled = self.plan.effective_for(item).enabled
            if UNUSED_SUPPRESSION.code not in enabled:
                continue
            if self.plan.config.lint.exempts(item.labels):
                # The S rules never see an exempt item: suppressing them is moot, not wrong
                # (it matters again once the exempt label goes).
                enabled = frozenset(c for c in enabled if not c.startswith(EXEMPT_FAMILY))
            problems: list[tuple[str, str]] = []
            for code in codes:
                if not known_prefix(code, self.plan.rules) or code == ALL:
                    problems.append((code, f"suppression names unknown rule code {code!r}"))
                elif (key, code) in self._used or UNUSED_SUPPRESSION.code.startswith(code):
                    continue
                elif any(rule.startswith(code) for rule in enabled):
                    problems.append((code, f"suppression of {code} matches no finding: remove it"))
            if any(UNUSED_SUPPRESSION.code.startswith(code) for code in codes):
                self.suppressed += len(problems)  # the item suppresses L001 itself
                continue
            for code, message in problems:
                self._record(UNUSED_SUPPRESSION, Violation(item, message, subject=code))

    def _record(self, rule: Rule, violation: Violation) -> None:
        """Record a finding unless the baseline accepts it."""
        finding = self._finding(rule, violation)
        if self.baseline is not None and self.baseline.contains(
            finding.code, finding.key, finding.fingerprint
        ):
            self.baselined += 1
            return
        self.entries.append(finding)

    def _finding(self, rule: Rule, violation: Violation) -> ReportedFinding:
        item, source = violation.item, violation.item.source
        return ReportedFinding(
            rule.code,
            self.plan.severity[rule.code],
            item.key,
            violation.message,
            source.file,
            source.line,
            source.url,
            rule.name,
            violation.subject,
        )
