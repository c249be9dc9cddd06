"""The rule registry: every rule by code, checked for duplicate codes and names at import.

Families (docs/architecture.md): ``S`` staleness and flow, ``D`` definition, ``E`` estimation and
scoring, ``H`` hierarchy and objectives, ``W`` workflow, and ``L`` for lint's own findings
(an internal error in a rule, an unused or unknown suppression).
"""

from __future__ import annotations

from backlogctl.lint.rule import Rule
from backlogctl.lint.rules import (
    d001_missing_description,
    d002_missing_acceptance_criteria,
    d003_possible_duplicate,
    d004_vague_title,
    e001_missing_estimate,
    e002_oversized,
    e003_missing_model_inputs,
    e004_invalid_model_inputs,
    h001_no_parent,
    h002_unknown_parent,
    h003_no_objective,
    h004_open_under_done_parent,
    h005_undeclared_objective,
    h006_parent_cycle,
    h007_unknown_dependency,
    h008_dependency_cycle,
    h009_dependency_ranked_below,
    h010_undeclared_stakeholder,
    s001_stale,
    s002_in_progress_too_long,
    s003_overdue,
    s004_blocked_too_long,
    w001_unassigned_in_progress,
    w002_wip_limit,
    w003_rank_drift,
    w004_unknown_status,
)

INTERNAL_ERROR = Rule(
    "L000",
    "internal-error",
    "error",
    """L000 internal-error: a rule failed on an item (a bug in backlogctl, not in your backlog).

Why: one rule crashing on a strange item must not hide what every other rule found, so the
crash is reported as a finding naming the rule and the item, and lint exits non-zero
whatever ``--fail-on`` says.

How to fix: report it (with ``--debug`` output) and, meanwhile, ignore the failing rule for
that item. This finding cannot be suppressed.
""",
)

UNUSED_SUPPRESSION = Rule(
    "L001",
    "unused-suppression",
    "warning",
    """L001 unused-suppression: a per-item suppression that suppresses nothing.

Why: like ruff's unused ``noqa``, a suppression that no longer matches a finding hides the
next real one; one naming an unknown code is a typo.

How to fix: remove the code from the item's ``lint: {ignore: [...]}`` (or its Jira label
``backlogctl-ignore-CODE``). Suppressions of rules that are not selected are not reported.

Failing example::

    - key: SHOP-25
      title: Gift cards in the mini cart
      updated: 2026-11-20
      lint: {ignore: [S001], reason: "parked until Q2"}   # not stale: nothing to suppress

Passing example::

    - key: SHOP-25
      title: Gift cards in the mini cart
      updated: 2026-01-20
      lint: {ignore: [S001], reason: "parked until Q2"}
""",
)

# Built from a tuple rather than written as a dict literal so that two modules declaring the
# same code fail loudly here instead of one silently replacing the other.
_ALL: tuple[Rule, ...] = (
    s001_stale.RULE,
    s002_in_progress_too_long.RULE,
    s003_overdue.RULE,
    s004_blocked_too_long.RULE,
    d001_missing_description.RULE,
    d002_missing_acceptance_criteria.RULE,
    d003_possible_duplicate.RULE,
    d004_vague_title.RULE,
    e001_missing_estimate.RULE,
    e002_oversized.RULE,
    e003_missing_model_inputs.RULE,
    e004_invalid_model_inputs.RULE,
    h001_no_parent.RULE,
    h002_unknown_parent.RULE,
    h003_no_objective.RULE,
    h004_open_under_done_parent.RULE,
    h005_undeclared_objective.RULE,
    h006_parent_cycle.RULE,
    h007_unknown_dependency.RULE,
    h008_dependency_cycle.RULE,
    h009_dependency_ranked_below.RULE,
    h010_undeclared_stakeholder.RULE,
    w001_unassigned_in_progress.RULE,
    w002_wip_limit.RULE,
    w003_rank_drift.RULE,
    w004_unknown_status.RULE,
    INTERNAL_ERROR,
    UNUSED_SUPPRESSION,
)


def build_registry(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    """Rules by code; ``ValueError`` on a duplicate code or name (a programming error)."""
    registry: dict[str, Rule] = {}
    names: set[str] = set()
    for rule in rules:
        if rule.code in registry or rule.name in names:
            raise ValueError(f"duplicate lint rule {rule.code} {rule.name}")
        registry[rule.code] = rule
        names.add(rule.name)
    return registry


RULES: dict[str, Rule] = build_registry(_ALL)


def find_rule(code_or_name: str, rules: dict[str, Rule] | None = None) -> Rule | None:
    """The rule with this code (case-insensitive) or slug name, or None."""
    table = RULES if rules is None else rules
    wanted = code_or_name.strip()
    rule = table.get(wanted.upper())
    if rule is not None:
        return rule
    return next((rule for rule in table.values() if rule.name == wanted.lower()), None)


def rules_with_prefix(prefix: str, rules: dict[str, Rule] | None = None) -> list[Rule]:
    """The rules whose code starts with ``prefix`` (case-insensitive), e.g. ``S`` or ``E00``."""
    table = RULES if rules is None else rules
    wanted = prefix.strip().upper()
    return [rule for code, rule in table.items() if wanted and code.startswith(wanted)]


def similar_rules(text: str, rules: dict[str, Rule] | None = None) -> list[str]:
    """``CODE name`` of up to three rules whose code or name is close to ``text``."""
    import difflib

    table = RULES if rules is None else rules
    by_label = {rule.name: rule for rule in table.values()}
    by_label.update({rule.code.lower(): rule for rule in table.values()})
    close = difflib.get_close_matches(text.strip().lower(), list(by_label), n=3, cutoff=0.6)
    found = dict.fromkeys(by_label[label].code for label in close)
    return [f"{code} {table[code].name}" for code in found]
