"""The declarations in a YAML backlog file: ``objectives:`` (with ``key_results:``) and
``stakeholders:``, each validated and located at its own line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from backlogctl.connectors import _yaml_text, limits
from backlogctl.declarations import unknown_fields
from backlogctl.errors import InputError
from backlogctl.models import Objective, Stakeholder
from backlogctl.plain_errors import describe, describe_error, first_error, plain_message
from backlogctl.sanitize import has_control, quoted, shorten

#: Reports an unknown field: ``(message, location)`` (a warning, an error under ``strict``).
Unknown = Callable[[str, str], None]


def objectives(value: Any, text: str, name: str, unknown: Unknown) -> list[Objective]:
    """Objectives and their key results, flattened (a key result's parent is its objective).

    Unknown fields (``taget:``) go to ``unknown`` and are dropped, as an item's are.
    """
    if value is None:
        return []
    start = _yaml_text.key_line(text, "objectives") or 1
    where = f"{name}:{start}"
    if not isinstance(value, list):
        raise InputError(
            f"'objectives' must be a list of {{key, title}} entries, got {describe(value)}",
            location=where,
        )
    lines = _EntryLines(text, name, start)
    result: list[Objective] = []
    for entry in value:
        objective = _objective(entry, None, lines, unknown)
        result.append(objective)
        key_results = entry.get("key_results") or []
        if not isinstance(key_results, list):
            raise InputError(
                f"objective {objective.key}: 'key_results' must be a list",
                location=objective.source,
            )
        result.extend(_objective(kr, objective.key, lines, unknown) for kr in key_results)
    return result


class _EntryLines:
    """Finds the line of each declaration (``key: KR-1.1``, ``name: CFO``) in reading order.

    A text scan, not a second parse: it looks for the entry's key or name after the line of
    the previous entry; an entry it cannot find is placed at the previous entry's line.
    """

    def __init__(self, text: str, name: str, start: int) -> None:
        self.lines = text.splitlines()
        self.name = name
        self.next = start
        self.found = False

    def find(self, field: str, value: str, *, bare: bool = False) -> str:
        """``file:line`` of the next ``field: value`` (``bare``: or a plain list entry)."""
        escaped = re.escape(value)
        prefix = rf"(?:{field}[ \t]*:[ \t]*)" + ("?" if bare else "")
        pattern = re.compile(
            rf"""(?:^|[\s{{,\-\[]){prefix}["']?{escaped}["']?[ \t]*(?:[,}}\]#]|$)"""
        )
        found = self._search(pattern, self.next)
        # Not found as written (an escape such as "\e" in a quoted value): the next entry.
        return found if found is not None else self.entry()

    def field(self, field: str) -> str:
        """``file:line`` of ``field:`` in the entry found last (else the entry's own line).

        Looks from the entry's line up to the next list entry; does not move the search on.
        """
        pattern = re.compile(rf"""(?:^|[\s{{,])["']?{re.escape(field)}["']?[ \t]*:""")
        for number in range(self.next, len(self.lines) + 1):
            line = self.lines[number - 1]
            if number > self.next and re.match(r"[ \t]*-(?:[ \t]|$)", line):
                break
            if pattern.search(line):
                return f"{self.name}:{number}"
        return f"{self.name}:{self.next}"

    def entry(self) -> str:
        """``file:line`` of the next block list entry (``- ...``), for an entry without a key."""
        found = self._search(re.compile(r"^[ \t]*-(?:[ \t]|$)"), self.next + self.found)
        return found if found is not None else f"{self.name}:{self.next}"

    def _search(self, pattern: re.Pattern[str], first: int) -> str | None:
        for number in range(first, len(self.lines) + 1):
            if pattern.search(self.lines[number - 1]):
                self.next = number
                self.found = True
                return f"{self.name}:{number}"
        return None


def problem(exc: ValidationError) -> str:
    """The first validation problem of a declaration, in plain words."""
    error, path, count = first_error(exc)
    if not path:  # the declaration as a whole (a model check such as target == start)
        return plain_message(error)
    return describe_error(error, path, count)


def _objective(entry: Any, parent: str | None, lines: _EntryLines, unknown: Unknown) -> Objective:
    kind = "key result" if parent else "objective"
    if not isinstance(entry, dict) or entry.get("key") is None:
        raise InputError(f"each {kind} needs a 'key' (and a 'title')", location=lines.entry())
    fields = {key: value for key, value in entry.items() if key != "key_results"}
    fields["key"] = str(fields["key"])
    fields["title"] = str(fields.get("title") or "")
    where = lines.find("key", fields["key"])
    if has_control(fields["key"]):
        raise InputError(
            f"{kind} {quoted(fields['key'])}: control characters are not allowed in keys",
            location=where,
        )
    for field, message in unknown_fields(entry, key_result=parent is not None):
        unknown(f"{kind} {shorten(fields['key'])}: {message}", lines.field(field))
        fields.pop(field, None)
    if limits.too_deep(fields):
        raise InputError(
            f"{kind} {shorten(fields['key'])}: nested more than {limits.MAX_DEPTH} levels deep",
            location=where,
        )
    if parent is not None:
        fields["parent"] = parent
    try:
        return Objective.model_validate(fields).located(where)
    except ValidationError as exc:
        message = problem(exc)
        raise InputError(f"{kind} {shorten(fields['key'])}: {message}", location=where) from None


def stakeholders(value: Any, text: str, name: str) -> list[Stakeholder]:
    """Declared stakeholders: plain names or ``{name, contact, influence, interest}``."""
    if value is None:
        return []
    start = _yaml_text.key_line(text, "stakeholders") or 1
    if not isinstance(value, list):
        raise InputError(
            "'stakeholders' must be a list of names or {name, influence, interest} entries, "
            f"got {describe(value)}",
            location=f"{name}:{start}",
        )
    lines = _EntryLines(text, name, start)
    result = []
    for entry in value:
        label = entry.get("name") if isinstance(entry, dict) else entry
        where = (
            lines.find("name", label, bare=True)
            if isinstance(label, str) and label.strip()
            else lines.entry()
        )
        if isinstance(entry, dict) and limits.too_deep(entry):
            raise InputError(
                f"stakeholder entry nested more than {limits.MAX_DEPTH} levels deep",
                location=where,
            )
        try:
            stakeholder = Stakeholder.model_validate(entry)
        except ValidationError as exc:
            if not isinstance(entry, dict | str):
                message = (
                    "must be a name or a {name, influence, interest} mapping, "
                    f"got {describe(entry)}"
                )
            else:
                message = problem(exc)
            named = isinstance(label, str) and label.strip() and not has_control(label)
            what = f"stakeholder {shorten(str(label))}" if named else "stakeholder"
            raise InputError(f"{what}: {message}", location=where) from None
        result.append(stakeholder.located(where))
    return result
