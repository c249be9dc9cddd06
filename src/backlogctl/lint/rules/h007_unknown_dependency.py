"""H007 unknown-dependency: an open item depends on a key that is neither in the backlog nor known.

Why: a dependency nobody can find is a typo, an item deleted or moved to another project, or
work in a source that was not loaded; planning cannot wait for it and the item looks ready
when it may not be.

How to fix: correct the key in ``depends_on`` (in Jira, the "is blocked by" link), remove a
dependency that no longer applies, or load the source that holds it. A Jira pull looks up
linked issues outside its JQL once, so a dependency that exists in Jira is never unknown;
a done one counts as met. Done items are not checked.

Failing example::

    - key: SHOP-31
      title: Pay by invoice
      depends_on: [SHOP-999]   # no such item

Passing example::

    - key: SHOP-31
      title: Pay by invoice
      depends_on: [SHOP-30]
    - key: SHOP-30
      title: Credit check with the payment provider
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import NoOptions, Rule, Violation
from backlogctl.models import BacklogItem


def check(
    items: Sequence[BacklogItem], context: LintContext, options: NoOptions
) -> Iterator[Violation]:
    """One violation per unknown key named by an open item's ``depends_on``."""
    graph = context.dependencies
    folded: dict[str, str] | None = None
    for item in items:
        if item.depends_on and not item.is_done:
            for key in graph.resolved(item.key).unknown:
                if folded is None:
                    folded = {known.strip().casefold(): known for known in context.by_key}
                message = f"depends on {key}, which is not in the backlog"
                yield Violation(item, message + _hint(key, folded), subject=key)


def _hint(key: str, folded: dict[str, str]) -> str:
    """What a slip probably meant: another case or blanks, or ``A-1, A-2`` written as one key."""
    meant = folded.get(key.strip().casefold())
    if meant is not None:
        return f" (did you mean {meant}?)"
    parts = [folded.get(part.strip().casefold()) for part in key.split(",")]
    if len(parts) > 1 and all(parts):
        return f" (a list of keys is written [{', '.join(p for p in parts if p)}])"
    return ""


RULE = Rule("H007", "unknown-dependency", "warning", __doc__ or "", NoOptions, check)
