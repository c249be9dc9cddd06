"""YAML backlog connector: files, directories or stdin to validated ``BacklogItem``s.

A file is a mapping with ``items:`` (plus optional ``name:``, ``objectives:``,
``stakeholders:``, read by ``_yaml_declarations``, and ``dependency_statuses:``) or a bare
list of items. Every problem is a one-line ``InputError`` with ``file:line`` and, where
known, the item key; unknown item fields are warnings (errors under
``strict: true``). Input limits (size, nesting, aliases, item count) are checked before the
work they guard. See bench/README.md for why the reader is yaml_rs and how fast this is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from backlogctl.config import CONFIG_FILENAMES, Config
from backlogctl.connectors import _yaml_text, limits
from backlogctl.connectors._yaml_declarations import objectives, stakeholders
from backlogctl.connectors._yaml_items import ItemPreparer, dependency_statuses
from backlogctl.declarations import check_unique_objectives, merge_stakeholder
from backlogctl.errors import InputError
from backlogctl.models import Backlog, BacklogItem, Stakeholder
from backlogctl.plain_errors import describe
from backlogctl.sanitize import quoted, shorten

Warn = Callable[[str], None]

_ITEMS: TypeAdapter[list[BacklogItem]] = TypeAdapter(list[BacklogItem])
#: Items validated per pydantic call: one call for many items is faster than one per item,
#: and the parsed dicts of a chunk are released as soon as its items exist, which keeps the
#: peak memory of a big file lower (bench/README.md).
_CHUNK = 2000
_TOP_LEVEL_KEYS = ("name", "items", "objectives", "stakeholders", "dependency_statuses")
_YAML_SUFFIXES = (".yaml", ".yml")
#: Above this size a layout the fast line scan does not understand gets approximate lines
#: rather than a position-tracking parse, which is slow (ruamel's pure-Python composer).
_SLOW_LINES_MAX_CHARS = 64_000


def read_yaml_sources(paths: Sequence[str], config: Config, *, warn: Warn | None = None) -> Backlog:
    """Read YAML backlog files, directories (recursively) or ``-`` (stdin) into one Backlog.

    Warnings (unknown fields) are passed to ``warn`` and recorded in ``Backlog.warnings``.
    Raises ``InputError`` (exit 2) naming ``file:line`` for any bad input, including an
    item key that appears twice (within a file or across files).
    """
    reader = _Reader(config, warn)
    for file in backlog_files(paths):
        reader.read_file(file)
    return reader.backlog


def backlog_files(paths: Sequence[str]) -> list[str]:
    """The files ``read_yaml_sources`` reads for ``paths``, in its order (``-``: stdin).

    Directories are expanded; a file named twice (``rank a.yaml .``) is listed once, so it
    is not reported as duplicating its own keys.
    """
    if list(paths).count("-") > 1:
        raise InputError("'-' (standard input) can be given only once")
    files: list[str] = []
    read: set[str] = set()
    for path in paths:
        for file in _expand(path):
            same = file if file == "-" else os.path.realpath(file)
            if same not in read:
                read.add(same)
                files.append(file)
    return files


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
        #: Declared stakeholders by case-folded name.
        self.stakeholders: dict[str, Stakeholder] = {}

    def read_file(self, path: str) -> None:
        """Read one file (or stdin) and append its items and objectives."""
        name = limits.STDIN_NAME if path == "-" else _display_name(path)
        text = limits.read_text(path)
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
                f"expected 'items:' or a list of items, got {describe(data)}",
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
                self._unknown(f"unknown top-level key {quoted(str(key))}", f"{name}:{line}")
        items = data.get("items")
        if items is None:
            items = []
        if not isinstance(items, list):
            line = _yaml_text.key_line(text, "items") or 1
            raise InputError(
                f"'items' must be a list of items, got {describe(items)}",
                location=f"{name}:{line}",
            )
        self.backlog.objectives.extend(
            objectives(data.get("objectives"), text, name, self._unknown)
        )
        check_unique_objectives(self.backlog.objectives)
        for stakeholder in stakeholders(data.get("stakeholders"), text, name):
            merge_stakeholder(self.stakeholders, stakeholder)
        self.backlog.stakeholders = list(self.stakeholders.values())
        self._dependency_statuses(data.get("dependency_statuses"), text, name)
        return items

    def _dependency_statuses(self, value: Any, text: str, name: str) -> None:
        known = self.backlog.dependency_statuses
        found = dependency_statuses(value, text, name, self.config.status_category)
        for key, category in found.items():
            if known.setdefault(key, category) != category:
                raise InputError(
                    f"dependency_statuses: {shorten(key)} is {category} here but "
                    f"{known[key]} in another file",
                    location=f"{name}:{_yaml_text.key_line(text, 'dependency_statuses') or 1}",
                )

    def _items(self, raw_items: list[Any], text: str, name: str, *, bare_list: bool) -> None:
        self._check_count(len(raw_items), name)
        lines = _item_lines(text, len(raw_items), bare_list=bare_list)
        preparer = ItemPreparer(text, name, lines, self._unknown, self._category)
        seen = self.seen
        for start in range(0, len(raw_items), _CHUNK):
            end = start + _CHUNK
            prepared = [
                preparer.prepare(raw, index)
                for index, raw in enumerate(raw_items[start:end], start)
            ]
            raw_items[start:end] = [None] * len(prepared)
            try:
                items = _ITEMS.validate_python(prepared)
            except ValidationError as exc:
                raise preparer.error(exc, prepared, start) from None
            for item in items:
                first = seen.setdefault(item.key, item)
                if first is not item:
                    raise InputError(
                        f"item {shorten(item.key)}: duplicate item key (first at {first.source})",
                        location=str(item.source),
                    )
            self.backlog.items.extend(items)

    def _check_count(self, count: int, name: str) -> None:
        """Refuse a backlog above ``limits.max_items`` before any item is built."""
        limit = self.config.limits.max_items
        total = len(self.backlog.items) + count
        if total > limit:
            raise InputError(
                f"more than {limit:,} items ({total:,} so far); raise 'limits.max_items' "
                "in the config if this backlog is really that large",
                location=name,
            )

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


def _item_lines(text: str, count: int, *, bare_list: bool) -> list[int]:
    lines = _yaml_text.item_lines(text, count, bare_list=bare_list)
    if lines is None and len(text) <= _SLOW_LINES_MAX_CHARS:
        lines = _yaml_text.item_lines_slow(text, bare_list=bare_list)
    if lines is None or len(lines) != count:
        # Flow-style or unusual layout in a big file: point at the list itself.
        anchor = 1 if bare_list else (_yaml_text.key_line(text, "items") or 1)
        lines = [anchor] * count
    return lines


def _display_name(path: str) -> str:
    """``path`` as text every output can hold, a byte that is not UTF-8 shown as ``\\xff``.

    A file name's undecodable bytes reach Python as lone surrogates, which JSON, SARIF and
    a UTF-8 terminal cannot encode; items name their file in every finding.
    """
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
