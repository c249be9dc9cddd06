"""Field mapping: Jira issue JSON to ``BacklogItem``, and config names to field ids.

Standard fields map by fixed rules; custom fields come from ``jira.fields`` in the config
(item field -> Jira field name or id), resolved against the server's field list.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pydantic import ValidationError

from backlogctl.connectors.jira_adf import adf_to_text
from backlogctl.connectors.jira_links import blocking_keys, link_types
from backlogctl.connectors.jira_types import scalar_text
from backlogctl.errors import InputError, SourceError
from backlogctl.models import (
    BacklogItem,
    IceInputs,
    RiceInputs,
    StatusCategory,
    WsjfInputs,
)
from backlogctl.sanitize import quoted, shorten, visible

if TYPE_CHECKING:
    from backlogctl.config import Config

STANDARD_FIELDS: tuple[str, ...] = (
    "summary",
    "status",
    "issuetype",
    "priority",
    "assignee",
    "reporter",
    "labels",
    "components",
    "parent",
    "created",
    "updated",
    "duedate",
    "resolutiondate",
    "description",
)
_GROUPS: dict[str, type[RiceInputs] | type[WsjfInputs] | type[IceInputs]] = {
    "rice": RiceInputs,
    "wsjf": WsjfInputs,
    "ice": IceInputs,
}
_NUMERIC_TARGETS = frozenset(
    {"estimate"}
    | {f"{group}.{name}" for group, model in _GROUPS.items() for name in model.model_fields}
)
_TEXT_TARGETS = frozenset({"rank", "objective", "acceptance_criteria", "parent", "stakeholders"})
_CATEGORY: dict[str, StatusCategory] = {
    "new": "todo",
    "indeterminate": "in_progress",
    "done": "done",
}
_IGNORE_LABEL = re.compile(r"^backlogctl-ignore-([A-Za-z]+\d+)$")
_LIST_MARKER = re.compile(r"^(?:[-*]|\d+\.)\s+")

Warn = Callable[[str], None]


def known_targets() -> list[str]:
    """Item fields ``jira.fields`` may map, for messages and docs."""
    return [*sorted(_NUMERIC_TARGETS | _TEXT_TARGETS), "fields.<name>"]


def _is_target(name: str) -> bool:
    return (
        name in _NUMERIC_TARGETS
        or name in _TEXT_TARGETS
        or (name.startswith("fields.") and len(name) > len("fields."))
    )


def check_targets(config: Config) -> None:
    """Reject unknown item fields in ``jira.fields`` (no request needed)."""
    for target in config.jira.fields:
        if not _is_target(target):
            raise InputError(
                f"jira.fields: unknown item field {target!r} (known: {', '.join(known_targets())})",
                location=config.location("jira", "fields", target),
            )


def resolve_fields(config: Config, server_fields: list[dict[str, Any]]) -> dict[str, str]:
    """``jira.fields`` as item field -> Jira field id, checked against the server's fields.

    A name matches a field's id, name or JQL clause name (case-insensitive). An unknown or
    ambiguous name is an ``InputError`` (exit 2) listing close matches.
    """
    check_targets(config)
    by_id = {scalar_text(entry.get("id")): entry for entry in server_fields}
    resolved: dict[str, str] = {}
    for target, wanted in config.jira.fields.items():
        where = config.location("jira", "fields", target)
        if wanted in by_id:
            resolved[target] = wanted
            continue
        lowered = wanted.strip().lower()
        hits = sorted(
            {
                scalar_text(entry.get("id"))
                for entry in server_fields
                if lowered == scalar_text(entry.get("name")).lower()
                or lowered
                in (scalar_text(clause).lower() for clause in _list(entry.get("clauseNames")))
            }
        )
        if len(hits) == 1:
            resolved[target] = hits[0]
            continue
        if hits:
            names = ", ".join(f"{scalar_text(by_id[hit].get('name'))} ({hit})" for hit in hits)
            raise InputError(
                f"jira.fields.{target}: {wanted!r} names several Jira fields: {names}; "
                "use the field id",
                location=where,
            )
        raise InputError(
            f"jira.fields.{target}: no Jira field named {wanted!r}; "
            + _close_matches(wanted, server_fields),
            location=where,
        )
    return resolved


def _close_matches(wanted: str, server_fields: list[dict[str, Any]]) -> str:
    labels = {scalar_text(entry.get("name")).lower(): entry for entry in server_fields}
    labels.update({scalar_text(entry.get("id")).lower(): entry for entry in server_fields})
    close = difflib.get_close_matches(wanted.lower(), list(labels), n=5, cutoff=0.6)
    seen: list[str] = []
    for label in close:
        entry = labels[label]
        text = f"'{scalar_text(entry.get('name'))}' ({scalar_text(entry.get('id'))})"
        if text not in seen:
            seen.append(text)
    if not seen:
        return "run 'backlogctl jira fields --search TEXT' to list the server's fields"
    return "close matches: " + ", ".join(seen)


def requested_fields(field_ids: dict[str, str], *, links: bool = False) -> list[str]:
    """The field ids a search must request: the standard ones plus the mapped ones, and
    ``issuelinks`` when links are read as dependencies."""
    extra = ["issuelinks"] if links else []
    return list(dict.fromkeys([*STANDARD_FIELDS, *extra, *field_ids.values()]))


def map_issues(
    issues: Iterable[dict[str, Any]],
    field_ids: dict[str, str],
    config: Config,
    server: str,
    *,
    warn: Warn,
) -> tuple[list[BacklogItem], dict[str, str]]:
    """Map raw issues to items, plus each item's raw LexoRank (when ``rank`` is mapped).

    ``rank`` is left unset here: it is a position over the whole backlog (``apply_ranks``).
    """
    items: list[BacklogItem] = []
    lexoranks: dict[str, str] = {}
    for raw in issues:
        draft, lexorank = _draft(raw, field_ids, config, server, warn)
        items.append(_validated(draft, warn))
        if lexorank:
            lexoranks[draft["key"]] = lexorank
    return items, lexoranks


def _validated(draft: dict[str, Any], warn: Warn) -> BacklogItem:
    """``draft`` as an item; a value the model rejects (a negative estimate, a date that does
    not exist...) is left out with a warning: an issue is never dropped for one field."""
    url = draft["source"]["url"]
    for _ in range(len(draft) + 1):
        try:
            return BacklogItem.model_validate(draft)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = [str(part) for part in error["loc"]]
            if not where or where[0] in ("key", "title", "source"):
                break
            reason = str(error["msg"]).removeprefix("Value error, ").removeprefix("Input ")
            value = quoted(error.get("input"), 60)
            warn(visible(f"{url}: {'.'.join(where)}: {value} rejected: {reason}; ignored"))
            _drop(draft, where)
    raise SourceError(visible(f"cannot map the issue {shorten(draft['key'])}"), location=url)


def _drop(draft: dict[str, Any], where: list[str]) -> None:
    """Remove the value at ``where`` (at most two levels, e.g. ``rice.reach``)."""
    outer = draft.get(where[0])
    if len(where) > 1 and isinstance(outer, dict) and where[1] in outer and len(outer) > 1:
        del outer[where[1]]
    else:
        draft.pop(where[0], None)


def apply_ranks(items: Iterable[BacklogItem], lexoranks: dict[str, str]) -> list[BacklogItem]:
    """Items with ``rank`` = position in LexoRank order (1-based); None for unranked items."""
    order = sorted((rank, key) for key, rank in lexoranks.items())
    positions = {key: position for position, (_, key) in enumerate(order, start=1)}
    result: list[BacklogItem] = []
    for item in items:
        position = positions.get(item.key)
        result.append(item if item.rank == position else item.model_copy(update={"rank": position}))
    return result


def _draft(
    raw: dict[str, Any], field_ids: dict[str, str], config: Config, server: str, warn: Warn
) -> tuple[dict[str, Any], str | None]:
    key = str(raw["key"])
    fields: dict[str, Any] = raw.get("fields") or {}
    url = f"{server}/browse/{quote(key)}"
    status = _object(fields.get("status"))
    status_name = _scalar(status.get("name")) or "To Do"
    category_key = _scalar(_object(status.get("statusCategory")).get("key")) or ""
    category = _CATEGORY.get(category_key) or config.status_category(status_name) or "todo"
    labels = _strings(fields.get("labels"))
    ignored = [match.group(1).upper() for label in labels if (match := _IGNORE_LABEL.match(label))]
    draft: dict[str, Any] = {
        "key": key,
        "title": _scalar(fields.get("summary")) or key,
        "type": (_scalar(_object(fields.get("issuetype")).get("name")) or "story").lower(),
        "status": status_name,
        "status_category": category,
        "priority": _name(fields.get("priority")),
        "assignee": _name(fields.get("assignee")),
        "reporter": _name(fields.get("reporter")),
        "labels": labels,
        "components": [name for c in _list(fields.get("components")) if (name := _name(c))],
        "parent": _scalar(_object(fields.get("parent")).get("key")),
        "created": jira_datetime_or_none(fields.get("created")),
        "updated": jira_datetime_or_none(fields.get("updated")),
        "due": _scalar(fields.get("duedate")),
        "resolved": jira_datetime_or_none(fields.get("resolutiondate")),
        "description": adf_to_text(fields.get("description")),
        "source": {"url": url},
    }
    if ignored:
        draft["lint"] = {"ignore": ignored, "reason": "Jira label"}
    blockers = blocking_keys(fields.get("issuelinks"), link_types(config), key)
    if blockers:
        draft["depends_on"] = blockers
    changed = _status_changed(raw.get("changelog"))
    if changed is not None:
        draft["status_changed"] = changed
    lexorank: str | None = None
    groups: dict[str, dict[str, float]] = {}
    extra: dict[str, float | str] = {}
    for target, field_id in field_ids.items():
        value = fields.get(field_id)
        if value is None or value == [] or value == "":
            continue
        if target in _NUMERIC_TARGETS:
            number = _number(value)
            if number is None:
                warn(
                    visible(
                        f"{url}: {target} ({field_id}): expected a number, "
                        f"got {_short(value)}; ignored"
                    )
                )
                continue
            group, _, name = target.partition(".")
            if name:
                groups.setdefault(group, {})[name] = number
            else:
                draft[target] = number
        elif target == "rank":
            lexorank = scalar_text(value) or None
        elif target == "acceptance_criteria":
            text = _text(value) or ""
            draft[target] = [_LIST_MARKER.sub("", line.strip()) for line in text.splitlines()]
            draft[target] = [line for line in draft[target] if line]
        elif target == "stakeholders":
            draft[target] = _strings(value)
        elif target in ("objective", "parent"):
            draft[target] = _text(value)
        else:
            number = _number(value)
            extra[target.partition(".")[2]] = number if number is not None else _text(value) or ""
    for group, values in groups.items():
        draft[group] = values
    if extra:
        draft["fields"] = extra
    # Absent beats None or []: the model's defaults are the same, without running validators.
    present = {name: value for name, value in draft.items() if value is not None and value != []}
    return present, lexorank


def _object(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (a field of an unexpected shape)."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _scalar(value: Any) -> str | None:
    """A text or number as text; anything else (objects, arrays, null, "") as None."""
    return scalar_text(value) or None


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        for attribute in ("displayName", "name", "value", "key"):
            if text := _scalar(value.get(attribute)):
                return text
        return None
    return _scalar(value)


def _text(value: Any) -> str | None:
    if isinstance(value, dict) and value.get("type") == "doc":
        return adf_to_text(value)
    if isinstance(value, list):
        return ", ".join(_strings(value)) or None
    if isinstance(value, dict):
        return _name(value)
    return _scalar(value)


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [text for item in items if not isinstance(item, list) and (text := _text(item))]


def _number(value: Any) -> float | None:
    """A finite number from a number, a numeric text or an option ``{"value": ...}``."""
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _short(value: Any) -> str:
    if isinstance(value, dict | list):
        return "an object" if isinstance(value, dict) else "an array"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_jira_datetime(text: str) -> dt.datetime:
    """``2024-01-15T10:30:00.000+0000`` (Jira's format) as an aware datetime."""
    # Python 3.11's fromisoformat reads Jira's "+0000" offsets itself: no strptime format.
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def jira_datetime_or_none(value: Any) -> dt.datetime | None:
    """A Jira date-time text as an aware datetime; None for anything else or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_jira_datetime(value)
    except ValueError:
        return None


def _status_changed(changelog: Any) -> dt.datetime | None:
    moments = [
        moment
        for history in _list(_object(changelog).get("histories"))
        if any(
            _object(entry).get("field") == "status"
            for entry in _list(_object(history).get("items"))
        )
        and (moment := jira_datetime_or_none(history.get("created"))) is not None
    ]
    return max(moments, default=None)
