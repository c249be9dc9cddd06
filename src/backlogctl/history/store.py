"""The history file: a SQLite database of snapshots (see ``schema.py`` for its layout).

Each snapshot is written in one ``BEGIN IMMEDIATE`` transaction: a second snapshot started
meanwhile waits for it (SQLite's busy timeout), and a process killed or failing mid-write
leaves the file as it was, earlier snapshots intact. The file is written only through SQLite
(rollback journal), never rewritten, so it may be committed to git or kept as a CI artifact.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from backlogctl import __version__
from backlogctl.errors import InputError
from backlogctl.history.codec import (
    STORED_RANK,
    CorruptRecord,
    digest,
    item_record,
    pack_ids,
    pack_ranking,
    pack_values,
    parse_time,
    read_item,
    storable,
    timestamp,
    unpack_ids,
    unpack_ranking,
    unpack_values,
    utc,
)
from backlogctl.history.location import history_path
from backlogctl.history.schema import (
    SCHEMA_VERSION,
    ForeignFile,
    check_and_upgrade,
    current_version,
)
from backlogctl.history.state import (
    BacklogState,
    FindingState,
    InputScalar,
    ItemState,
    Snapshot,
    SnapshotInfo,
)
from backlogctl.sanitize import quoted

# Names the store has offered since the start (the report imports them from here).
__all__ = ["HistoryStore", "Snapshot", "SnapshotInfo", "history_path", "open_history"]

#: How long a snapshot waits for another one writing the same file.
DEFAULT_BUSY_TIMEOUT = 30.0


class HistoryStore:
    """An open history file. Use ``open_history``; close it (or use ``with``) when done."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db = db
        self.path = path

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def add(
        self,
        state: BacklogState,
        *,
        taken: dt.datetime,
        note: str = "",
        sources: str = "",
    ) -> SnapshotInfo:
        """Store ``state`` as a new snapshot taken at ``taken``; one transaction."""
        with self._errors(), self._transaction():
            items = list(state.items.values())
            version_ids = self._item_version_ids(items)
            finding_ids = self._finding_ids(state.findings)
            order = sorted(version_ids)
            position = {version: index for index, version in enumerate(order)}
            index_of = {
                item.key: position[version]
                for item, version in zip(items, version_ids, strict=True)
            }
            ranks: list[InputScalar | None] = [None] * len(items)
            for item in items:
                ranks[index_of[item.key]] = item.inputs.get(STORED_RANK)
            cursor = self._db.execute(
                "INSERT INTO snapshots (taken, note, item_count, items, findings, recorded, "
                "sources, tool_version, ranks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    timestamp(taken),
                    storable(note),
                    len(state.items),
                    pack_ids(order),
                    pack_ids(finding_ids),
                    timestamp(dt.datetime.now(dt.UTC)),
                    storable(sources),
                    __version__,
                    pack_values(ranks),
                ),
            )
            snapshot_id = int(cursor.lastrowid or 0)
            self._db.executemany(
                "INSERT INTO rankings (snapshot_id, model, inputs, ranking) VALUES (?, ?, ?, ?)",
                [
                    (
                        snapshot_id,
                        name,
                        json.dumps(list(model.inputs)),
                        pack_ranking(model, index_of),
                    )
                    for name, model in state.models.items()
                ],
            )
        return SnapshotInfo(
            snapshot_id,
            utc(taken),
            storable(note),
            len(state.items),
            tuple(state.models),
            storable(sources),
        )

    def snapshots(self) -> list[SnapshotInfo]:
        """Every snapshot, oldest first (by time taken, then id)."""
        with self._errors():
            models: dict[int, list[str]] = {}
            for snapshot_id, name in self._db.execute(
                "SELECT snapshot_id, model FROM rankings ORDER BY snapshot_id, rowid"
            ):
                models.setdefault(snapshot_id, []).append(name)
            rows = self._db.execute(
                "SELECT id, taken, note, item_count, sources FROM snapshots ORDER BY taken, id"
            ).fetchall()
            return [
                SnapshotInfo(
                    row[0],
                    parse_time(row[1]),
                    row[2],
                    row[3],
                    tuple(models.get(row[0], ())),
                    row[4],
                )
                for row in rows
            ]

    def resolve(self, spec: str | None) -> SnapshotInfo:
        """The snapshot ``spec`` names: an id, ``last`` (the default, also for None), or a
        date (the last snapshot taken on or before the end of that day, UTC).

        ``InputError`` (exit 2) when there is none, naming what exists.
        """
        snapshots = self.snapshots()
        if not snapshots:
            raise InputError(
                "no snapshots yet: take one with 'backlogctl snapshot'", location=str(self.path)
            )
        text = (spec or "last").strip()
        if text.lower() == "last":
            return snapshots[-1]
        if text.isdecimal():
            for info in snapshots:
                if info.id == int(text):
                    return info
            ids = ", ".join(str(info.id) for info in snapshots[-5:])
            raise InputError(
                f"no snapshot {text} (the last ids are {ids}; see 'backlogctl snapshot --list')",
                location=str(self.path),
            )
        day = _parse_day(text)
        end = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) + dt.timedelta(days=1)
        before = [info for info in snapshots if info.taken < end]
        if not before:
            first = snapshots[0].taken.date().isoformat()
            raise InputError(
                f"no snapshot taken on or before {day.isoformat()} (the first is from {first})",
                location=str(self.path),
            )
        return before[-1]

    def load(self, info: SnapshotInfo, models: Sequence[str] | None = None) -> Snapshot:
        """The state ``info`` recorded; only the rankings of ``models`` when given."""
        with self._errors():
            row = self._db.execute(
                "SELECT items, findings, ranks FROM snapshots WHERE id = ?", (info.id,)
            ).fetchone()
            if row is None:
                raise InputError(f"no snapshot {info.id}", location=str(self.path))
            ids = unpack_ids(row[0])
            # NULL: a version 1 snapshot, whose records hold their ranks.
            ranks: list[InputScalar | None] = (
                [None] * len(ids) if row[2] is None else unpack_values(row[2], len(ids))
            )
            items = self._items(ids, ranks)
            findings = self._findings(unpack_ids(row[1]))
            keys = [item.key for item in items]
            rankings = {}
            for name, inputs, blob in self._db.execute(
                "SELECT model, inputs, ranking FROM rankings WHERE snapshot_id = ? ORDER BY rowid",
                (info.id,),
            ):
                if models is None or name in models:
                    rankings[name] = unpack_ranking(blob, name, inputs, keys)
        state = BacklogState({item.key: item for item in items}, rankings, findings)
        return Snapshot(info, state)

    def snapshot_under(self, spec: str | None, model: str) -> Snapshot:
        """The snapshot ``spec`` names (see ``resolve``) with its ranking under ``model``.

        ``InputError`` (exit 2) when it was not ranked under ``model``, listing the models it
        was ranked under.
        """
        return self.load(self.resolve_under(spec, model), models=[model])

    def resolve_under(self, spec: str | None, model: str) -> SnapshotInfo:
        """``resolve``, and ``InputError`` (exit 2) unless that snapshot ranked under
        ``model`` (naming the models it did)."""
        info = self.resolve(spec)
        if model not in info.models:
            available = ", ".join(info.models) or "none"
            raise InputError(
                f"snapshot {info.id} has no ranking under model {quoted(model)}; it has: "
                f"{available} (choose one with --model)",
                location=str(self.path),
            )
        return info

    def _items(self, ids: list[int], ranks: list[InputScalar | None]) -> list[ItemState]:
        records = dict(
            self._db.execute(
                "SELECT id, record FROM item_versions WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(ids),),
            ).fetchall()
        )
        if len(records) != len(ids):
            raise CorruptRecord("a snapshot names item records that are missing")
        return [read_item(records[version], rank) for version, rank in zip(ids, ranks, strict=True)]

    def _findings(self, ids: list[int]) -> frozenset[FindingState]:
        rows = self._db.execute(
            "SELECT key, code, fingerprint, severity FROM finding_ids "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        ).fetchall()
        if len(rows) != len(ids):
            raise CorruptRecord("a snapshot names findings that are missing")
        return frozenset(map(FindingState._make, rows))

    def _item_version_ids(self, items: Iterable[ItemState]) -> list[int]:
        """Each item's version id, in ``items`` order; new versions are inserted."""
        records = [item_record(item) for item in items]
        digests = [digest(record) for record in records]
        known: dict[bytes, int] = {}
        for start in range(0, len(digests), 500):  # SQLite caps the number of parameters
            chunk = digests[start : start + 500]
            placeholders = ",".join("?" * len(chunk))
            known.update(
                self._db.execute(
                    f"SELECT digest, id FROM item_versions WHERE digest IN ({placeholders})",
                    chunk,
                ).fetchall()
            )
        new = dict(zip(digests, records, strict=True))
        for value in known:
            new.pop(value, None)
        if new:
            last = self._last_id("item_versions")
            self._db.executemany(
                "INSERT INTO item_versions (digest, record) VALUES (?, ?)", new.items()
            )
            known.update(
                self._db.execute(
                    "SELECT digest, id FROM item_versions WHERE id > ?", (last,)
                ).fetchall()
            )
        return [known[value] for value in digests]

    def _finding_ids(self, findings: frozenset[FindingState]) -> list[int]:
        """Each finding's id; new findings are inserted."""
        rows = self._db.execute("SELECT key, code, fingerprint, id FROM finding_ids")
        known = {(key, code, stable): number for key, code, stable, number in rows}
        new = [f for f in findings if (f.key, f.code, f.fingerprint) not in known]
        if new:
            last = self._last_id("finding_ids")
            self._db.executemany(
                "INSERT INTO finding_ids (key, code, fingerprint, severity) VALUES (?, ?, ?, ?)",
                [(f.key, f.code, f.fingerprint, f.severity) for f in new],
            )
            added = self._db.execute(
                "SELECT key, code, fingerprint, id FROM finding_ids WHERE id > ?", (last,)
            )
            known.update({(key, code, stable): number for key, code, stable, number in added})
        return [known[f.key, f.code, f.fingerprint] for f in findings]

    def _last_id(self, table: str) -> int:
        row = self._db.execute(f"SELECT max(id) FROM {table}").fetchone()
        return int(row[0] or 0)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except CorruptRecord as exc:
            raise InputError(f"damaged history file: {exc}", location=str(self.path)) from None
        except sqlite3.Error as exc:
            raise _database_error(exc, self.path) from None


def open_history(
    path: Path, *, create: bool = False, timeout: float = DEFAULT_BUSY_TIMEOUT
) -> HistoryStore:
    """Open the history file at ``path`` (created, with its folder, when ``create``).

    An older schema is upgraded in place. ``InputError`` (exit 2), one line naming the file,
    when it is missing (and not ``create``), not a SQLite file, another application's
    database, damaged, from a newer backlogctl, or locked for longer than ``timeout``.
    """
    if path.is_dir():
        raise InputError("is a directory, not a history file", location=str(path))
    if not path.exists():
        if not create:
            raise InputError(
                "no history file: take a snapshot first ('backlogctl snapshot')",
                location=str(path),
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                f"cannot create its folder: {exc.strerror}", location=str(path)
            ) from None
    try:
        db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise _database_error(exc, path) from None
    try:
        if current_version(db) != SCHEMA_VERSION:
            db.execute("BEGIN IMMEDIATE")
            try:
                check_and_upgrade(db)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
    except ForeignFile as exc:
        db.close()
        raise InputError(str(exc), location=str(path)) from None
    except sqlite3.Error as exc:
        db.close()
        raise _database_error(exc, path) from None
    return HistoryStore(db, path)


def _database_error(exc: sqlite3.Error, path: Path) -> InputError:
    text = str(exc)
    if "not a database" in text:
        return InputError(
            "not a backlogctl history file (not an SQLite database)", location=str(path)
        )
    if "locked" in text or "busy" in text:
        return InputError("history file is busy: another snapshot holds it", location=str(path))
    if "malformed" in text or "corrupt" in text:
        return InputError(
            "damaged history file (SQLite: database disk image is malformed)", location=str(path)
        )
    if "readonly" in text or "unable to open" in text:
        return InputError(f"cannot write the history file ({text})", location=str(path))
    return InputError(f"cannot read the history file (SQLite: {text})", location=str(path))


def _parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"expected a snapshot id, 'last' or a date like 2026-01-31, got {text!r}"
        ) from None
