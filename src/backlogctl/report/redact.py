"""``--redact``: a report that can leave the team shows keys, not titles or people's names.

Titles become the item's key; assignees and reporters become ``Person 1``, ``Person 2``...
and stakeholders ``Stakeholder 1``..., numbered in order of first appearance, so the same
person keeps the same placeholder throughout the report (the stakeholder section still adds
up). Descriptions and acceptance criteria are dropped.
"""

from __future__ import annotations

from backlogctl.models import Backlog


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


def redact_backlog(backlog: Backlog) -> Backlog:
    """``backlog`` with item titles, descriptions, people and stakeholder names replaced.

    Declared stakeholders get the same placeholders as the items naming them (names match
    case-insensitively, as the stakeholders section matches them); their contact is dropped.
    """
    person = Placeholders("Person")
    stakeholder = Placeholders("Stakeholder")

    def stakeholder_of(name: str) -> str:
        return stakeholder(name.strip().casefold())

    declared = [
        declaration.model_copy(update={"name": stakeholder_of(declaration.name), "contact": None})
        for declaration in backlog.stakeholders
    ]
    items = [
        item.model_copy(
            update={
                "title": item.key,
                "assignee": None if item.assignee is None else person(item.assignee),
                "reporter": None if item.reporter is None else person(item.reporter),
                "stakeholders": [stakeholder_of(name) for name in item.stakeholders],
                "description": None,
                "acceptance_criteria": None,
            }
        )
        for item in backlog.items
    ]
    return backlog.model_copy(update={"items": items, "stakeholders": declared})
