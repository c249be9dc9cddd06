"""H010 undeclared-stakeholder: an item names a stakeholder who is not declared.

Why: once a team declares its stakeholders (``stakeholders:`` in a backlog file or the
config, with their influence and interest), a name nobody declared is a typo or someone new:
``backlogctl stakeholders`` lists their requests apart, off the influence/interest grid.
Names match case-insensitively.

How to fix: use the declared spelling, or declare the stakeholder. The rule is silent when
no stakeholder is declared anywhere, and skips done items.

Failing example::

    stakeholders:
      - {name: Marketing, influence: high, interest: high}
    items:
      - key: SHOP-18
        title: Black Friday landing page
        stakeholders: [Marketting]

Passing example::

    stakeholders:
      - {name: Marketing, influence: high, interest: high}
    items:
      - key: SHOP-18
        title: Black Friday landing page
        stakeholders: [marketing]
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import NoOptions, Rule, Violation
from backlogctl.models import BacklogItem
from backlogctl.sanitize import quoted


def check(
    items: Sequence[BacklogItem], context: LintContext, options: NoOptions
) -> Iterator[Violation]:
    """Open items naming a stakeholder that no declaration has (case-insensitively)."""
    declared = context.declared_stakeholders
    if not declared:
        return
    for item in items:
        if item.status_category == "done":
            continue
        reported: set[str] = set()
        for name in item.stakeholders:
            folded = name.strip().casefold()
            if not folded or folded in declared or folded in reported:
                continue
            reported.add(folded)
            yield Violation(item, _message(name, declared), folded)


def _message(name: str, declared: dict[str, str]) -> str:
    message = f"stakeholder {quoted(name)} is not declared"
    close = difflib.get_close_matches(name.strip().casefold(), declared, n=1)
    return f"{message} (did you mean {quoted(declared[close[0]])}?)" if close else message


RULE = Rule("H010", "undeclared-stakeholder", "info", __doc__ or "", NoOptions, check)
