"""W004 unknown-status: an item whose workflow status backlogctl does not know.

Why: an unknown status counts as "to do", so an item that is really in progress or done is
ranked, aged and counted as if nobody had started it.

How to fix: map the status in ``backlogctl.yaml`` (``statuses: {in_progress: ["In QA"]}``),
or set ``status_category`` on the item. Items read from Jira carry Jira's own status
category and are not checked.

Failing example::

    - key: SHOP-24
      title: Size guide
      status: Parked

Passing example::

    - key: SHOP-24
      title: Size guide
      status: Backlog
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import NoOptions, Rule, Violation
from backlogctl.models import BacklogItem


def check(
    items: Sequence[BacklogItem], context: LintContext, options: NoOptions
) -> Iterator[Violation]:
    """File items in a to-do category whose status is neither configured nor built in."""
    known: dict[str, bool] = {}
    for item in items:
        if item.source.url is not None or item.status_category != "todo":
            continue
        status = item.status
        if status not in known:
            known[status] = context.config.status_category(status) is not None
        if not known[status]:
            yield Violation(
                item,
                f"unknown status {status!r} (counted as to do): map it under 'statuses:'",
                subject=status.lower(),
            )


RULE = Rule("W004", "unknown-status", "warning", __doc__ or "", NoOptions, check)
