"""``--redact``: a report that can leave the team shows keys, not titles or people's names.

Titles become the item's key; assignees become ``Person 1``, ``Person 2``... and stakeholders
``Stakeholder 1``... numbered in order of first appearance, so the same person keeps the same
placeholder throughout the report (workload and stakeholder sections still add up).
"""

from __future__ import annotations

from collections.abc import Iterable

from backlogctl.models import BacklogItem


class Placeholders:
    """Numbered placeholders (``Person 1``) handed out per distinct name."""

    def __init__(self, prefix: str) -> None:
        self._prefix = prefix
        self._names: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        """The placeholder of ``name`` (the same one every time)."""
        placeholder = self._names.get(name)
        if placeholder is None:
            placeholder = self._names[name] = f"{self._prefix} {len(self._names) + 1}"
        return placeholder


def redact_items(items: Iterable[BacklogItem]) -> list[BacklogItem]:
    """``items`` with titles, assignees, reporters, stakeholders and descriptions replaced."""
    person = Placeholders("Person")
    stakeholder = Placeholders("Stakeholder")
    redacted = []
    for item in items:
        redacted.append(
            item.model_copy(
                update={
                    "title": item.key,
                    "assignee": None if item.assignee is None else person(item.assignee),
                    "reporter": None if item.reporter is None else person(item.reporter),
                    "stakeholders": [stakeholder(name) for name in item.stakeholders],
                    "description": None,
                    "acceptance_criteria": None,
                }
            )
        )
    return redacted
