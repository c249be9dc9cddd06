"""W002 wip-limit: a person has more items in progress than the WIP limit.

Why: multitasking lengthens every item's lead time; a personal WIP limit ("stop starting,
start finishing") is the simplest flow policy there is.

How to fix: finish or hand over items before starting new ones. The items reported are the
ones started last (by ``status_changed``, else ``updated``) beyond the ``limit``: the ones
that should not have been started yet.

Failing example (``limit: 2``)::

    - {key: SHOP-21, title: Invoice PDF, status: In Progress, assignee: ben}
    - {key: SHOP-22, title: Invoice email, status: In Progress, assignee: ben}
    - {key: SHOP-23, title: Invoice archive, status: In Review, assignee: ben}

Passing example::

    - {key: SHOP-21, title: Invoice PDF, status: In Progress, assignee: ben}
    - {key: SHOP-22, title: Invoice email, status: In Progress, assignee: ben}
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence

from pydantic import Field, PositiveInt

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem

_NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)


class Options(RuleOptions):
    """Options of W002."""

    limit: PositiveInt = Field(3, description="Most items one person may have in progress.")


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """In-progress items of an assignee beyond the limit, latest started first reported."""
    by_person: defaultdict[str, list[BacklogItem]] = defaultdict(list)
    for item in items:
        if item.status_category == "in_progress" and item.assignee:
            by_person[item.assignee].append(item)
    for person, started in by_person.items():
        if len(started) <= options.limit:
            continue
        started.sort(key=lambda item: (item.status_changed or item.updated or _NEVER, item.key))
        for item in started[options.limit :]:
            yield Violation(
                item,
                f"{person} has {len(started)} items in progress (limit {options.limit}): "
                "finish one before starting this",
                subject=person,
            )


RULE = Rule("W002", "wip-limit", "warning", __doc__ or "", Options, check)
