"""Declared objectives, key results and stakeholders: flattening and merging their sources.

Objectives and stakeholders may be declared in backlog files and in the config. Within the
backlog files a key (or stakeholder name) is declared once; a file's declaration wins over
the config's. Keys and names match case-insensitively. Every consumer (lint, ``okr``,
``stakeholders``, filters) reads the merged, flat lists ``load_backlog`` puts on the
``Backlog``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from backlogctl.errors import InputError
from backlogctl.models import Objective, Stakeholder
from backlogctl.plain_errors import describe_error, first_error, plain_message
from backlogctl.sanitize import quoted, shorten

#: What an objective may declare (a key result the same, without ``key_results:``).
_OBJECTIVE_FIELDS = frozenset(Objective.model_fields) | {"key_results"}


def unknown_fields(entry: Mapping[Any, Any], *, key_result: bool) -> list[tuple[str, str]]:
    """``(field, problem)`` for each key of a declaration that is no field, with a close match.

    A typo such as ``taget:`` would otherwise be kept as an extra and silently ignored.
    """
    known = sorted(_OBJECTIVE_FIELDS - {"key_results"} if key_result else _OBJECTIVE_FIELDS)
    found = []
    for field in sorted(str(name) for name in entry if name not in known):
        close = difflib.get_close_matches(field.casefold(), known, n=1)
        hint = f" (did you mean {quoted(close[0])}?)" if close else ""
        found.append((field, f"unknown field {quoted(field)}{hint}"))
    return found


def key_result_entries(objective: Objective) -> list[Any]:
    """The raw ``key_results:`` written under ``objective`` (nested form), else ``[]``."""
    entries = (objective.model_extra or {}).get("key_results")
    return entries if isinstance(entries, list) else []


def flatten_objectives(objectives: Iterable[Objective]) -> list[Objective]:
    """Objectives with their nested ``key_results:`` as entries of their own (``parent`` set).

    Already flat lists come back unchanged. A key result that is not valid is an
    ``InputError`` naming the objective's source.
    """
    flat: list[Objective] = []
    for objective in objectives:
        entries = key_result_entries(objective)
        if not entries and "key_results" not in (objective.model_extra or {}):
            flat.append(objective)
            continue
        fields = objective.model_dump(exclude={"key_results"})
        flat.append(Objective.model_validate(fields).located(objective.source))
        flat.extend(key_result(entry, objective.key, objective.source) for entry in entries)
    return flat


def key_result(entry: Any, parent: str, source: str | None) -> Objective:
    """One key result from its raw mapping, with ``parent`` and ``source`` set."""
    if not isinstance(entry, dict) or entry.get("key") is None:
        raise InputError(
            f"objective {shorten(parent)}: each key result needs a 'key' (and a 'title')",
            location=source,
        )
    fields = {**entry, "key": str(entry["key"]), "title": str(entry.get("title") or "")}
    fields["parent"] = parent
    try:
        return Objective.model_validate(fields).located(source)
    except ValidationError as exc:
        error, path, count = first_error(exc)
        message = describe_error(error, path, count) if path else plain_message(error)
        raise InputError(
            f"key result {shorten(fields['key'])}: {message}", location=source
        ) from None


def check_unique_objectives(objectives: Sequence[Objective]) -> None:
    """Refuse a key declared twice (case-insensitively), naming both places."""
    seen: dict[str, Objective] = {}
    for objective in objectives:
        first = seen.setdefault(objective.key.casefold(), objective)
        if first is not objective:
            raise InputError(
                f"objective {shorten(objective.key)}: declared twice "
                f"(first at {first.source or 'an earlier entry'})",
                location=objective.source,
            )


def merge_stakeholder(known: dict[str, Stakeholder], stakeholder: Stakeholder) -> None:
    """Add ``stakeholder`` to ``known`` (by folded name); the same details twice are fine,
    different details for one name are an ``InputError`` naming both places."""
    folded = stakeholder.name.casefold()
    first = known.get(folded)
    if first is None:
        known[folded] = stakeholder
        return
    if _details(first) != _details(stakeholder):
        raise InputError(
            f"stakeholder {shorten(stakeholder.name)}: declared twice with different details "
            f"(first at {first.source or 'an earlier entry'})",
            location=stakeholder.source,
        )


def _details(stakeholder: Stakeholder) -> tuple[str | None, ...]:
    return (stakeholder.contact, stakeholder.influence, stakeholder.interest)


def merge_declarations(
    config_objectives: Sequence[Objective],
    file_objectives: Sequence[Objective],
    config_stakeholders: Sequence[Stakeholder],
    file_stakeholders: Sequence[Stakeholder],
) -> tuple[list[Objective], list[Stakeholder]]:
    """The objectives and stakeholders of the files, plus the config's they do not declare."""
    files = flatten_objectives(file_objectives)
    declared = {objective.key.casefold() for objective in files}
    objectives = [
        objective
        for objective in flatten_objectives(config_objectives)
        if objective.key.casefold() not in declared
    ] + files
    names = {stakeholder.name.casefold() for stakeholder in file_stakeholders}
    stakeholders = [
        stakeholder
        for stakeholder in config_stakeholders
        if stakeholder.name.casefold() not in names
    ] + list(file_stakeholders)
    return objectives, stakeholders
