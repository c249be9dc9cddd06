"""YAML backlog connector: files, directories or stdin to validated ``BacklogItem``s.

A file is a mapping with ``items:`` (plus optional ``name:``, ``objectives:``,
``stakeholders:``) or a bare list of items. Every problem is a one-line ``InputError`` with
``file:line`` and, where known, the item key; unknown item fields are warnings (errors under
``strict: true``). See bench/README.md for why the reader is yaml_rs and how fast this is.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from backlogctl.config import CONFIG_FILENAMES, Config
from backlogctl.connectors import _yaml_text
from backlogctl.errors import InputError
from backlogctl.models import (
    Backlog,
    BacklogItem,
    IceInputs,
    LintSuppression,
    Objective,
    RiceInputs,
    WsjfInputs,
)

Warn = Callable[[str], None]

_ITEM_FIELDS = frozenset(BacklogItem.model_fields) - {"source"}
#: Nested mappings whose unknown keys are warnings too, like the item's own (DESIGN.md).
_GROUP_FIELDS = {
    group: frozenset(model.model_fields)
    for group, model in (
        ("rice", RiceInputs),
        ("wsjf", WsjfInputs),
        ("ice", IceInputs),
        ("lint", LintSuppression),
    )
}
_ITEMS: TypeAdapter[list[BacklogItem]] = TypeAdapter(list[BacklogItem])
#: Items validated per pydantic call (see ``_Reader._items``).
_CHUNK = 2000
_TOP_LEVEL_KEYS = ("name", "items", "objectives", "stakeholders")
#: Fields holding keys or titles: YAML reads ``key: 123`` as a number, we keep it as text.
_TEXT_FIELDS = ("key", "title", "parent", "objective")
_NUMBER_OR_DATE = (int, float, dt.date)
_MERGE_KEY = "<<"
_YAML_SUFFIXES = (".yaml", ".yml")
#: Above this size a layout the fast line scan does not understand gets approximate lines
#: rather than a position-tracking parse (ruamel's pure-Python composer: ~1 s per 100 KB).
_SLOW_LINES_MAX_CHARS = 64_000
_DATE_FIELDS = frozenset(
    {"created", "updated", "status_changed", "due", "blocked_since", "resolved"}
)


def read_yaml_sources(paths: Sequence[str], config: Config, *, warn: Warn | None = None) -> Backlog:
    """Read YAML backlog files, directories (recursively) or ``-`` (stdin) into one Backlog.

    Warnings (unknown fields) are passed to ``warn`` and recorded in ``Backlog.warnings``.
    Raises ``InputError`` (exit 2) naming ``file:line`` for any bad input, including an
    item key that appears twice (within a file or across files).
    """
    if list(paths).count("-") > 1:
        raise InputError("'-' (standard input) can be given only once")
    reader = _Reader(config, warn)
    read: set[str] = set()
    for path in paths:
        for file in _expand(path):
            # A file named twice (`rank a.yaml .`) is read once, not reported as
            # duplicating its own keys.
            same = file if file == "-" else os.path.realpath(file)
            if same not in read:
                read.add(same)
                reader.read_file(file)
    return reader.backlog


def _expand(path: str) -> list[str]:
    """A directory as its backlog files (sorted, recursive, hidden and config files skipped)."""
    if path == "-":
        return [path]
    root = Path(path)
    if not root.is_dir():
        return [path]
    found: list[Path] = []
    for folder, folders, files in os.walk(root):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found.extend(
            Path(folder, name).relative_to(root)
            for name in files
            if name.endswith(_YAML_SUFFIXES)
            and not name.startswith(".")
            and name not in CONFIG_FILENAMES
        )
    if not found:
        raise InputError("no backlog files (*.yaml, *.yml) in this directory", location=path)
    return [str(root / relative) for relative in sorted(found, key=lambda p: p.parts)]


class _Reader:
    """Accumulates items and objectives over files, checking keys are unique across them."""

    def __init__(self, config: Config, warn: Warn | None) -> None:
        self.config = config
        self.warn = warn
        self.backlog = Backlog()
        #: The first item read under each key (its source names the file and line).
        self.seen: dict[str, BacklogItem] = {}
        self.categories: dict[str, str] = {}

    def read_file(self, path: str) -> None:
        """Read one file (or stdin) and append its items and objectives."""
        name = _yaml_text.STDIN_NAME if path == "-" else path
        text = _yaml_text.read_text(path)
        data = _yaml_text.parse(text, name)
        if data is None:
            raise InputError(
                "empty file: expected 'items:' or a list of items", location=f"{name}:1"
            )
        if isinstance(data, list):
            extra = _yaml_text.extra_document_line(text)
            if extra is not None:
                raise InputError(
                    "a second YAML document ('---'): put one backlog per file",
                    location=f"{name}:{extra}",
                )
            raw_items: list[Any] = data
        elif isinstance(data, dict):
            raw_items = self._document(data, text, name)
        else:
            raise InputError(
                f"expected 'items:' or a list of items, got {_describe(data)}",
                location=f"{name}:1",
            )
        self._items(raw_items, text, name, bare_list=isinstance(data, list))

    def _document(self, data: dict[Any, Any], text: str, name: str) -> list[Any]:
        if not any(key in data for key in _TOP_LEVEL_KEYS):
            hint = "; this looks like a single item" if "key" in data or "title" in data else ""
            raise InputError(f"expected 'items:' or a list of items{hint}", location=f"{name}:1")
        for key in data:
            # ``x-*`` keys hold anchors shared by items (``<<: *defaults``), as in Compose files.
            if key not in _TOP_LEVEL_KEYS and not str(key).startswith("x-"):
                line = _yaml_text.key_line(text, str(key)) or 1
                self._unknown(f"unknown top-level key {str(key)!r}", f"{name}:{line}")
        items = data.get("items")
        if items is None:
            items = []
        if not isinstance(items, list):
            line = _yaml_text.key_line(text, "items") or 1
            raise InputError(
                f"'items' must be a list of items, got {_describe(items)}",
                location=f"{name}:{line}",
            )
        self.backlog.objectives.extend(_objectives(data.get("objectives"), text, name))
        return items

    def _items(self, raw_items: list[Any], text: str, name: str, *, bare_list: bool) -> None:
        lines = _item_lines(text, len(raw_items), bare_list=bare_list)
        seen = self.seen
        for start in range(0, len(raw_items), _CHUNK):
            end = start + _CHUNK
            prepared = [
                self._prepare(raw, index, text, name, lines)
                for index, raw in enumerate(raw_items[start:end], start)
            ]
            # Parsed dicts are dropped as soon as their items exist, so the memory they held
            # is reused for the items (peak 1.27 -> 1.10 GB for 100k items).
            raw_items[start:end] = [None] * len(prepared)
            try:
                # One call per chunk: ~30% faster than model_validate per item.
                items = _ITEMS.validate_python(prepared)
            except ValidationError as exc:
                raise _item_error(exc, prepared, start, text, name, lines) from None
            for item in items:
                first = seen.setdefault(item.key, item)
                if first is not item:
                    raise InputError(
                        f"item {item.key}: duplicate item key (first at {first.source})",
                        location=str(item.source),
                    )
            self.backlog.items.extend(items)

    def _prepare(
        self, raw: Any, index: int, text: str, name: str, lines: list[int]
    ) -> dict[Any, Any]:
        """The item's fields as ``BacklogItem`` expects them (before validation)."""
        if not isinstance(raw, dict):
            raise InputError(
                f"item {index + 1}: expected a mapping of fields, got {_describe(raw)}",
                location=f"{name}:{lines[index]}",
            )
        fields: dict[Any, Any] = raw
        if not fields.keys() <= _ITEM_FIELDS:
            if _MERGE_KEY in fields:
                fields = _merged(fields, f"{name}:{lines[index]}", index)
            for field in sorted(str(key) for key in fields.keys() - _ITEM_FIELDS):
                where = _field_line(text, lines, index, field)
                self._unknown(
                    f"{_label(fields, index)}: unknown field {field!r}", f"{name}:{where}"
                )
            fields = {key: value for key, value in fields.items() if key in _ITEM_FIELDS}
        for group, known in _GROUP_FIELDS.items():
            inputs = fields.get(group)
            # ``is not None`` first: most items lack most groups, and it is the cheapest test.
            if inputs is not None and isinstance(inputs, dict) and not inputs.keys() <= known:
                for field in sorted(str(key) for key in inputs.keys() - known):
                    where = _field_line(text, lines, index, field)
                    self._unknown(
                        f"{_label(fields, index)}: unknown field '{group}.{field}'",
                        f"{name}:{where}",
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
        if "status_category" not in fields:
            status = fields.get("status", "To Do")
            if isinstance(status, str):
                fields["status_category"] = self._category(status)
        fields["source"] = {"file": name, "line": lines[index]}
        return fields

    def _category(self, status: str) -> str:
        category = self.categories.get(status)
        if category is None:
            # An unknown status counts as to-do; lint reports it.
            category = self.config.status_category(status) or "todo"
            self.categories[status] = category
        return category

    def _unknown(self, message: str, location: str) -> None:
        if self.config.strict:
            raise InputError(f"{message} (strict mode)", location=location)
        rendered = f"{location}: {message}"
        self.backlog.warnings.append(rendered)
        if self.warn is not None:
            self.warn(rendered)


def _merged(fields: dict[Any, Any], where: str, index: int) -> dict[Any, Any]:
    """Apply a YAML 1.1 merge key (``<<: *defaults``), which YAML 1.2 readers keep as data.

    The item's own keys win, then earlier mappings of a ``<<: [*a, *b]`` list over later ones.
    """
    sources = fields[_MERGE_KEY]
    if isinstance(sources, dict):
        sources = [sources]
    if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
        raise InputError(
            f"{_label(fields, index)}: '<<' must merge a mapping or a list of mappings",
            location=where,
        )
    merged: dict[Any, Any] = {}
    for source in reversed(sources):
        merged.update(source)
    merged.update((key, value) for key, value in fields.items() if key != _MERGE_KEY)
    return merged


def _item_lines(text: str, count: int, *, bare_list: bool) -> list[int]:
    lines = _yaml_text.item_lines(text, count, bare_list=bare_list)
    if lines is None and len(text) <= _SLOW_LINES_MAX_CHARS:
        lines = _yaml_text.item_lines_slow(text, bare_list=bare_list)
    if lines is None or len(lines) != count:
        # Flow-style or unusual layout in a big file: point at the list itself.
        anchor = 1 if bare_list else (_yaml_text.key_line(text, "items") or 1)
        lines = [anchor] * count
    return lines


def _item_error(
    exc: ValidationError,
    prepared: list[dict[Any, Any]],
    start: int,
    text: str,
    name: str,
    lines: list[int],
) -> InputError:
    """The first validation error of a chunk as one line at the item's (field's) line."""
    offset = int(exc.errors(include_url=False)[0]["loc"][0])
    index = start + offset
    message, bad_field = _validation_message(exc, skip=1)
    where = lines[index] if bad_field is None else _field_line(text, lines, index, bad_field)
    return InputError(f"{_label(prepared[offset], index)}: {message}", location=f"{name}:{where}")


def _field_line(text: str, lines: list[int], index: int, field: str) -> int:
    """Line of ``field:`` within item ``index`` (its own line when not found)."""
    last = lines[index + 1] - 1 if index + 1 < len(lines) else None
    return _yaml_text.field_line(text, lines[index], last, field) or lines[index]


def _objectives(value: Any, text: str, name: str) -> list[Objective]:
    """Objectives and their key results, flattened (a key result's parent is its objective)."""
    if value is None:
        return []
    where = f"{name}:{_yaml_text.key_line(text, 'objectives') or 1}"
    if not isinstance(value, list):
        raise InputError(
            f"'objectives' must be a list of {{key, title}} entries, got {_describe(value)}",
            location=where,
        )
    result: list[Objective] = []
    for entry in value:
        objective = _objective(entry, None, where)
        result.append(objective)
        key_results = entry.get("key_results") or []
        if not isinstance(key_results, list):
            raise InputError(
                f"objective {objective.key}: 'key_results' must be a list", location=where
            )
        result.extend(_objective(kr, objective.key, where) for kr in key_results)
    return result


def _objective(entry: Any, parent: str | None, where: str) -> Objective:
    kind = "key result" if parent else "objective"
    if not isinstance(entry, dict) or entry.get("key") is None:
        raise InputError(f"each {kind} needs a 'key' (and a 'title')", location=where)
    fields = {key: value for key, value in entry.items() if key != "key_results"}
    fields["key"] = str(fields["key"])
    fields["title"] = str(fields.get("title") or "")
    if parent is not None:
        fields["parent"] = parent
    try:
        return Objective.model_validate(fields)
    except ValidationError as exc:
        message, _ = _validation_message(exc)
        raise InputError(f"{kind} {fields['key']}: {message}", location=where) from None


def _label(raw: dict[Any, Any], index: int) -> str:
    key = raw.get("key")
    if isinstance(key, str | int) and not isinstance(key, bool) and str(key):
        return f"item {key}"
    return f"item {index + 1}"


def _validation_message(exc: ValidationError, skip: int = 0) -> tuple[str, str | None]:
    """The first pydantic error as one line naming the field, plus the field's leaf name.

    ``skip`` leading parts of the error location are dropped (a list index): other errors
    counted in "and N more problems" are those under the same leading parts.
    """
    first = exc.errors(include_url=False)[0]
    errors = [e for e in exc.errors(include_url=False) if e["loc"][:skip] == first["loc"][:skip]]
    # A bad value in ``fields`` fails both members of ``float | str``: one problem, not two.
    problems = list(dict.fromkeys(_error_path(e["loc"][skip:]) for e in errors))
    error = errors[0]
    path = problems[0]
    dotted = ".".join(path) or "item"
    kind = error["type"]
    got = _show(error.get("input"))
    if kind == "missing":
        message = f"missing required field {dotted!r}"
    elif kind == "extra_forbidden":
        message = f"unknown field {dotted!r}"
    elif path[:1] == ("fields",) and len(path) == 2:
        message = f"{dotted}: expected a number or text, got {got}"
    elif kind == "finite_number":
        message = f"{dotted}: expected a finite number, got {got}"
    elif kind.startswith("float"):
        message = f"{dotted}: expected a number, got {got}"
    elif kind.startswith("int"):
        message = f"{dotted}: expected a whole number, got {got}"
    elif kind == "greater_than_equal":
        bound = error.get("ctx", {}).get("ge", 0)
        shown = int(bound) if float(bound).is_integer() else bound
        message = f"{dotted}: must be >= {shown}, got {got}"
    elif kind == "string_type":
        message = f"{dotted}: expected text, got {got}"
    elif kind == "string_too_short":
        message = f"{dotted}: must not be empty"
    elif kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        message = f"{dotted}: expected {expected}, got {got}"
    elif kind in ("list_type", "too_short"):
        message = f"{dotted}: expected a list, got {got}"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"{dotted}: expected a mapping, got {got}"
    elif kind.startswith(("datetime", "date")) or (
        kind == "value_error" and path[:1] and path[0] in _DATE_FIELDS
    ):
        message = f"{dotted}: expected a date like 2026-01-31 or a date-time, got {got}"
    else:
        message = f"{dotted}: {error['msg']}, got {got}"
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    leaf = None if kind == "missing" else next((p for p in reversed(path) if not p.isdigit()), None)
    return message, leaf


def _error_path(loc: tuple[int | str, ...]) -> tuple[str, ...]:
    """A pydantic error location as field names, without union member tags."""
    path = tuple(str(part) for part in loc)
    if len(path) == 3 and path[0] == "fields":
        return path[:2]
    return path


def _show(value: Any) -> str:
    """A short rendering of a bad input value for an error message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text {_show(value)}"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {_show(value)}"
