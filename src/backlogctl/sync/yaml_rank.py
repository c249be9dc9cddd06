"""``rank --write``: the model's order written into the YAML files' ``rank:`` values.

Planning reads every file once (its bytes and their hash), loads the backlog the usual way,
ranks the open items and numbers them: ranked items 1..n in model order, then unscored items
by their stored rank, then file order; done items are left alone. Each file's planned text
comes from targeted edits (``writeback/yaml_rank.py``) and is re-parsed before it is used:
every item must read back with its planned rank and everything else as before. Applying
writes the changed files one after the other, each atomically, after checking just before
its rename that the file still has the hash it had when it was read.
"""

from __future__ import annotations

import functools
import hashlib
import math
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backlogctl.config import Config
from backlogctl.connectors import _yaml_text, limits
from backlogctl.connectors.yaml_file import backlog_files
from backlogctl.errors import BacklogctlError, InputError
from backlogctl.loader import load_backlog
from backlogctl.models import BacklogItem
from backlogctl.sanitize import shorten
from backlogctl.scoring.base import ScoringModel
from backlogctl.scoring.ranking import rank_items
from backlogctl.writeback.atomic import write_text_atomic
from backlogctl.writeback.yaml_rank import RankEditError, TextEdit, apply_edits, rank_edit

Warn = Callable[[str], None]

#: Above this size a layout the fast scan does not understand is refused rather than read
#: with ruamel's slow position-tracking composer (as the YAML connector does for lines).
_SLOW_SPANS_MAX_CHARS = 64_000
_BOM = "\ufeff"


@dataclass(frozen=True)
class RankChange:
    """One item whose ``rank:`` changes: ``old`` is its own value in the file (None: none)."""

    key: str
    line: int
    old: int | None
    new: int


@dataclass(frozen=True)
class FilePlan:
    """One backlog file: the text read, the text planned, and the hash of the bytes read."""

    path: str
    name: str
    original: str
    edited: str
    digest: str
    changes: tuple[RankChange, ...]

    @property
    def changed(self) -> bool:
        """Whether writing this file would change it."""
        return self.edited != self.original


@dataclass(frozen=True)
class RankWritePlan:
    """The planned ranks of every open item over all files (one numbering)."""

    files: tuple[FilePlan, ...]
    numbered: int

    @property
    def changed_files(self) -> list[FilePlan]:
        """The files the plan changes."""
        return [plan for plan in self.files if plan.changed]

    @property
    def changed_items(self) -> int:
        """How many items get a new ``rank:`` value."""
        return sum(len(plan.changes) for plan in self.files)


def writable_sources(sources: Sequence[str], config: Config) -> list[str]:
    """The YAML files ``rank --write`` would write: the paths given, else the config's sources."""
    paths = list(sources) or [config.resolve_source(source) for source in config.sources]
    if not paths:
        raise InputError(
            "--write needs YAML backlog files: pass them or set 'sources:' in backlogctl.yaml "
            "(Jira ranks are written by 'backlogctl jira push --rank')"
        )
    if "-" in paths:
        raise InputError("--write cannot write to standard input ('-'): pass the files")
    files = backlog_files(paths)
    for file in files:
        try:
            mode = Path(file).stat().st_mode
        except OSError:
            continue  # the loader reports a missing or unreadable file in its own words
        if not stat.S_ISREG(mode):
            raise InputError("--write writes regular files only", location=file)
    return files


def plan_rank_write(
    sources: Sequence[str], config: Config, model: ScoringModel, *, warn: Warn | None = None
) -> RankWritePlan:
    """Plan the ``rank:`` value of every open item in ``sources`` (nothing is written)."""
    files = writable_sources(sources, config)
    # Read before loading: a change after this read makes the hash check before the rename
    # fail, whenever it happens.
    read = {file: _read(file) for file in files}
    backlog = load_backlog(files, config, warn=warn)
    items = backlog.items
    planned = _numbering(items, model)
    plans: list[FilePlan] = []
    offset = 0
    for file in files:
        content = read[file]
        if content is None:
            raise InputError("changed while being read: run the command again", location=file)
        data, digest = content
        plan, count = _plan_file(file, data, digest, items, offset, planned)
        plans.append(plan)
        offset += count
    if offset != len(items):
        raise InputError("the files changed while being read: run the command again")
    return RankWritePlan(tuple(plans), len(planned))


def _read(path: str) -> tuple[str, str] | None:
    """The text of ``path`` and the SHA-256 of its bytes; None when unreadable (the loader,
    reading next, reports why)."""
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(limits.MAX_FILE_BYTES + 1)
        return data.decode("utf-8"), hashlib.sha256(data).hexdigest()
    except (OSError, UnicodeDecodeError):
        return None


def _digest(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _numbering(items: list[BacklogItem], model: ScoringModel) -> dict[int, int]:
    """New rank of each open item, by its index in ``items``."""
    ranking = rank_items(items, model, explain=False)
    planned: dict[int, int] = {}
    for entry in ranking.ordered:
        planned[entry.source_index] = len(planned) + 1

    def stored(index: int) -> tuple[bool, int, int]:
        rank = items[index].rank
        return rank is None, rank or 0, index

    for index in sorted(ranking.unscored_source_indices, key=stored):
        planned[index] = len(planned) + 1
    return planned


def _plan_file(
    path: str,
    content: str,
    digest: str,
    items: list[BacklogItem],
    offset: int,
    planned: dict[int, int],
) -> tuple[FilePlan, int]:
    """The plan of one file and how many items it holds."""
    bom = _BOM if content.startswith(_BOM) else ""
    text = content[len(bom) :]
    # As the YAML connector names files: a byte of the name that is not UTF-8 as ``\xff``.
    name = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    data = _yaml_text.parse(text, name)
    bare_list = isinstance(data, list)
    raw_items: list[Any] = (data if bare_list else (data or {}).get("items")) or []
    count = len(raw_items)
    mine = items[offset : offset + count]
    if len(mine) != count or any(
        isinstance(raw, dict) and "key" in raw and str(raw["key"]) != item.key
        for raw, item in zip(raw_items, mine, strict=False)
    ):
        raise InputError("changed while being read: run the command again", location=name)
    edits: list[TextEdit] = []
    changes: list[RankChange] = []
    spans: list[tuple[int, int]] | None = None
    edited_indices: list[int] = []
    for local, (raw, item) in enumerate(zip(raw_items, mine, strict=True)):
        new = planned.get(offset + local)
        own = isinstance(raw, dict) and "rank" in raw
        if new is None or (own and item.rank == new):
            continue
        if spans is None:
            spans = _spans(text, count, bare_list=bare_list, name=name)
        start, end = spans[local]
        where = f"{name}:{item.source.line or 1}"
        try:
            edits.append(rank_edit(text, start, end, new, has_rank=own))
        except RankEditError as exc:
            raise InputError(f"item {shorten(item.key)}: {exc.message}", location=where) from None
        changes.append(RankChange(item.key, item.source.line or 1, item.rank if own else None, new))
        raw["rank"] = new
        edited_indices.append(local)
    edited = apply_edits(text, edits) if edits else text
    if edits:
        _verify(edited, data, name, edited_indices)
    plan = FilePlan(path, name, content, bom + edited, digest, tuple(changes))
    return plan, count


def _spans(text: str, count: int, *, bare_list: bool, name: str) -> list[tuple[int, int]]:
    spans = _yaml_text.item_spans(text, count, bare_list=bare_list)
    if spans is None and len(text) <= _SLOW_SPANS_MAX_CHARS:
        spans = _yaml_text.item_spans_slow(text, bare_list=bare_list)
    if spans is None or len(spans) != count:
        raise InputError(
            "--write cannot find each item's entry in this file's layout (a flow-style "
            "list of items in a big file?); write the items as a block list ('- key: ...')",
            location=name,
        )
    return spans


def _verify(edited: str, expected: Any, name: str, indices: list[int]) -> None:
    """Refuse unless ``edited`` parses to ``expected`` (the old data with the planned ranks).

    ``indices`` are the edited items: a quoted rank (``"3"``) reads back as text, which the
    loader takes as the number it spells.
    """
    try:
        reparsed = _yaml_text.parse(edited, name)
    except InputError:
        reparsed = None
    items = reparsed if isinstance(reparsed, list) else (reparsed or {}).get("items")
    wanted = expected if isinstance(expected, list) else expected.get("items")
    if isinstance(items, list) and isinstance(wanted, list) and len(items) == len(wanted):
        for index in indices:
            item = items[index]
            if isinstance(item, dict) and item.get("rank") == str(wanted[index]["rank"]):
                item["rank"] = wanted[index]["rank"]
    if reparsed != expected and not _same(reparsed, expected):
        raise InputError(
            "cannot write the ranks into this file safely: the edited text would not read "
            "back as the same backlog with the new ranks (an unusual layout?); nothing written",
            location=name,
        )


def _same(left: Any, right: Any) -> bool:
    """Deep equality where NaN equals NaN (``==`` on containers says ``.nan != .nan``)."""
    pending = [(left, right)]
    while pending:
        a, b = pending.pop()
        if isinstance(a, dict) and isinstance(b, dict):
            if a.keys() != b.keys():
                return False
            pending.extend((a[key], b[key]) for key in a)
        elif isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                return False
            pending.extend(zip(a, b, strict=True))
        elif isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            continue
        elif type(a) is not type(b) or a != b:
            return False
    return True


def apply_rank_write(plan: RankWritePlan) -> list[str]:
    """Write the changed files of ``plan``, one after the other; the names written.

    Every file's hash is checked before the first write and again just before its rename: a
    file changed since it was read is an ``InputError`` and is not written. An error names
    the files already written.
    """
    changed = plan.changed_files
    for file in changed:
        _check_unchanged(file)
    written: list[str] = []
    for file in changed:
        try:
            check = functools.partial(_check_unchanged, file)
            write_text_atomic(Path(file.path), file.edited, before_replace=check)
        except BacklogctlError as exc:
            if not written:
                raise
            error = type(exc)(
                f"{exc.message} (already written: {', '.join(written)})", location=exc.location
            )
            raise error from None
        written.append(file.name)
    return written


def _check_unchanged(file: FilePlan) -> None:
    if _digest(file.path) != file.digest:
        raise InputError(
            "changed since backlogctl read it; nothing written to it: run the command again",
            location=file.name,
        )
