"""One parsed YAML item to the fields ``BacklogItem`` validates, and item errors at their line.

Preparation applies merge keys, warns about (or, under ``strict``, refuses) unknown fields,
keeps keys and titles written as numbers as text, refuses identifiers with control
characters, derives the status category and stamps the source location.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from backlogctl.connectors import _yaml_text
from backlogctl.errors import InputError
from backlogctl.models import (
    BacklogItem,
    IceInputs,
    LintSuppression,
    RiceInputs,
    StatusCategory,
    WsjfInputs,
)
from backlogctl.plain_errors import describe, describe_error, first_error
from backlogctl.sanitize import has_control, quoted, shorten, visible

#: Reports an unknown field: ``(message, location)``.
Unknown = Callable[[str, str], None]
#: The status category of a workflow status.
Categorize = Callable[[str], str]

ITEM_FIELDS = frozenset(BacklogItem.model_fields) - {"source"}
#: Nested mappings whose unknown keys are warnings too, like the item's own.
_GROUP_FIELDS = {
    group: frozenset(model.model_fields)
    for group, model in (
        ("rice", RiceInputs),
        ("wsjf", WsjfInputs),
        ("ice", IceInputs),
        ("lint", LintSuppression),
    )
}
#: Fields holding keys or titles: YAML reads ``key: 123`` as a number, we keep it as text.
_TEXT_FIELDS = ("key", "title", "parent", "objective")
#: Fields that name things (keys, workflow values, people, labels): printed in tables,
#: matched by filters and written into CI annotations, so a control character in them (a
#: newline followed by ``::error``) is refused in a file. Titles and descriptions may hold
#: any text: renderers escape it.
_IDENTIFIER_FIELDS = (
    "key",
    "type",
    "status",
    "priority",
    "assignee",
    "reporter",
    "parent",
    "objective",
    "labels",
    "components",
    "stakeholders",
    "depends_on",
)
_NUMBER_OR_DATE = (int, float, dt.date)
_MERGE_KEY = "<<"


class ItemPreparer:
    """Turns parsed item mappings of one file into fields ready for validation."""

    def __init__(
        self, text: str, name: str, lines: list[int], unknown: Unknown, categorize: Categorize
    ) -> None:
        self.text = text
        self.name = name
        self.lines = lines
        self.unknown = unknown
        self.categorize = categorize

    def prepare(self, raw: Any, index: int) -> dict[Any, Any]:
        """The item's fields as ``BacklogItem`` expects them (before validation)."""
        if not isinstance(raw, dict):
            raise InputError(
                f"item {index + 1}: expected a mapping of fields, got {describe(raw)}",
                location=f"{self.name}:{self.lines[index]}",
            )
        fields: dict[Any, Any] = raw
        if not fields.keys() <= ITEM_FIELDS:
            fields = self._known_fields(fields, index)
        for group, known in _GROUP_FIELDS.items():
            inputs = fields.get(group)
            # ``is not None`` first: most items lack most groups, and it is the cheapest test.
            if inputs is not None and isinstance(inputs, dict) and not inputs.keys() <= known:
                for field in sorted(str(key) for key in inputs.keys() - known):
                    self.unknown(
                        f"{label(fields, index)}: unknown field {quoted(f'{group}.{field}')}",
                        self.field_location(index, field),
                    )
                fields[group] = {key: value for key, value in inputs.items() if key in known}
        for field in _TEXT_FIELDS:
            value = fields.get(field)
            # Cheapest tests first: most fields are absent or text.
            if (
                value is not None
                and value.__class__ is not str
                and isinstance(value, _NUMBER_OR_DATE)
                and not isinstance(value, bool)
            ):
                fields[field] = str(value)
        if fields.get("depends_on") is not None:
            self._dependencies(fields, index)
        self._check_identifiers(fields, index)
        if "status_category" not in fields:
            status = fields.get("status", "To Do")
            if isinstance(status, str):
                fields["status_category"] = self.categorize(status)
        fields["source"] = {"file": self.name, "line": self.lines[index]}
        return fields

    def _known_fields(self, fields: dict[Any, Any], index: int) -> dict[Any, Any]:
        """Merge keys applied; unknown fields reported and dropped."""
        if _MERGE_KEY in fields:
            fields = _merged(fields, f"{self.name}:{self.lines[index]}", index)
        for field in sorted(str(key) for key in fields.keys() - ITEM_FIELDS):
            self.unknown(
                f"{label(fields, index)}: unknown field {quoted(field)}",
                self.field_location(index, field),
            )
        return {key: value for key, value in fields.items() if key in ITEM_FIELDS}

    def _dependencies(self, fields: dict[Any, Any], index: int) -> None:
        """Keys written as numbers kept as text; a dependency on the item itself dropped.

        A self-dependency can never be met and is always a slip (a copied line): it is a
        warning, an error under ``strict``, rather than a cycle lint would report as an error.
        """
        value = fields["depends_on"]
        if isinstance(value, (str, *_NUMBER_OR_DATE)) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list):
            return  # validation says what it must be
        keys = [
            str(key) if isinstance(key, _NUMBER_OR_DATE) and not isinstance(key, bool) else key
            for key in value
        ]
        own = fields.get("key")
        if isinstance(own, str) and own in keys:
            self.unknown(
                f"{label(fields, index)}: depends_on names the item itself",
                self.field_location(index, "depends_on"),
            )
            keys = [key for key in keys if key != own]
        fields["depends_on"] = keys

    def _check_identifiers(self, fields: dict[Any, Any], index: int) -> None:
        for field in _IDENTIFIER_FIELDS:
            value = fields.get(field)
            if value is None:
                continue
            # ``isprintable`` runs at C speed and is True for nearly every value; only the
            # rest need the exact (slower) test.
            values = value if isinstance(value, list) else (value,)
            for text in values:
                if isinstance(text, str) and not text.isprintable() and has_control(text):
                    raise InputError(
                        f"{label(fields, index)}: {field}: control characters are not allowed "
                        f"in identifiers, got {quoted(text)}",
                        location=self.field_location(index, field),
                    )
        extra = fields.get("fields")
        if isinstance(extra, dict):
            for name in extra:
                if isinstance(name, str) and not name.isprintable() and has_control(name):
                    raise InputError(
                        f"{label(fields, index)}: fields: control characters are not allowed "
                        f"in field names, got {quoted(name)}",
                        location=self.field_location(index, "fields"),
                    )

    def error(self, exc: ValidationError, prepared: list[dict[Any, Any]], start: int) -> InputError:
        """The first validation error of a chunk as one line at the item's (field's) line."""
        error, path, count = first_error(exc, skip=1)
        offset = int(error["loc"][0])
        index = start + offset
        leaf = next((part for part in reversed(path) if not part.isdigit()), None)
        if error["type"] == "missing" or leaf is None:
            where = f"{self.name}:{self.lines[index]}"
        else:
            where = self.field_location(index, leaf)
        # A custom field fails both members of ``float | str``: say what either would take.
        problem = "must be a number or text" if len(path) == 2 and path[0] == "fields" else None
        message = describe_error(error, path or ("item",), count, problem)
        return InputError(f"{label(prepared[offset], index)}: {message}", location=where)

    def field_location(self, index: int, field: str) -> str:
        """``file:line`` of ``field:`` within item ``index`` (the item's line when not found)."""
        lines = self.lines
        last = lines[index + 1] - 1 if index + 1 < len(lines) else None
        line = _yaml_text.field_line(self.text, lines[index], last, field) or lines[index]
        return f"{self.name}:{line}"


def _merged(fields: dict[Any, Any], where: str, index: int) -> dict[Any, Any]:
    """Apply a YAML 1.1 merge key (``<<: *defaults``), which YAML 1.2 readers keep as data.

    The item's own keys win, then earlier mappings of a ``<<: [*a, *b]`` list over later ones.
    """
    sources = fields[_MERGE_KEY]
    if isinstance(sources, dict):
        sources = [sources]
    if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
        raise InputError(
            f"{label(fields, index)}: '<<' must merge a mapping or a list of mappings",
            location=where,
        )
    merged: dict[Any, Any] = {}
    for source in reversed(sources):
        merged.update(source)
    merged.update((key, value) for key, value in fields.items() if key != _MERGE_KEY)
    return merged


def label(raw: dict[Any, Any], index: int) -> str:
    """How messages name an item: ``item KEY``, or ``item N`` (1-based) without a usable key."""
    key = raw.get("key")
    if isinstance(key, str | int) and not isinstance(key, bool) and str(key):
        return f"item {visible(shorten(str(key), 60))}"
    return f"item {index + 1}"


#: Status categories written as such in ``dependency_statuses:``.
_CATEGORIES: dict[str, StatusCategory] = {name: name for name in ("todo", "in_progress", "done")}


def dependency_statuses(
    value: Any, text: str, name: str, categorize: Callable[[str], StatusCategory | None]
) -> dict[str, StatusCategory]:
    """The top-level ``dependency_statuses:`` mapping: keys outside the backlog -> category.

    Items may depend on work tracked elsewhere (another team's backlog, a Jira project the
    pull did not cover; ``jira pull`` snapshots write it): a status category, or a workflow
    status the config knows, says whether it is done. Anything else is an input error.
    """
    where = f"{name}:{_yaml_text.key_line(text, 'dependency_statuses') or 1}"
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(
            f"'dependency_statuses' must map keys to statuses, got {describe(value)}",
            location=where,
        )
    found: dict[str, StatusCategory] = {}
    for key, status in value.items():
        text_key = str(key) if isinstance(key, str | int) and not isinstance(key, bool) else ""
        if not text_key or has_control(text_key):
            raise InputError(
                f"dependency_statuses: {quoted(key)} is not an item key", location=where
            )
        category = (
            (_CATEGORIES.get(status) or categorize(status)) if isinstance(status, str) else None
        )
        if category is None:
            raise InputError(
                f"dependency_statuses: {visible(shorten(text_key, 60))}: unknown status "
                f"{quoted(status)} (a status from the config's statuses, or "
                f"{', '.join(_CATEGORIES)})",
                location=where,
            )
        found[text_key] = category
    return found
