"""The history file's SQLite schema, its version and the migrations between versions.

The file is marked as backlogctl's by ``PRAGMA application_id``; ``PRAGMA user_version``
holds the schema version. Opening a file of an older version upgrades it in one transaction
(``MIGRATIONS[n]`` takes version n to n + 1); a newer version is refused.

Storage (version 3): ``item_versions`` holds each distinct item record once, keyed by a digest
of its content, so a snapshot adds rows only for items that changed since any earlier one;
``finding_ids`` does the same for lint findings. A snapshot row lists its item versions and
findings as zlib-compressed, delta-encoded id lists; ``rankings`` holds, per snapshot and
model, the rank order and scores as a compressed list of positions in that item list. The
items' stored manual ranks (positions that shift together) are one compressed list per
snapshot, outside the item records.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

#: "BLKH" in ASCII: marks a SQLite file as a backlogctl history.
APPLICATION_ID = 0x424C4B48
SCHEMA_VERSION = 3


def _create_v1(db: sqlite3.Connection) -> None:
    """Version 1: snapshots (time, note, item and finding lists), rankings, deduplicated
    item records and findings."""
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(
        "CREATE TABLE snapshots (id INTEGER PRIMARY KEY, taken TEXT NOT NULL, "
        "note TEXT NOT NULL DEFAULT '', item_count INTEGER NOT NULL, "
        "items BLOB NOT NULL, findings BLOB NOT NULL)"
    )
    db.execute(
        "CREATE TABLE rankings (snapshot_id INTEGER NOT NULL REFERENCES snapshots (id), "
        "model TEXT NOT NULL, inputs TEXT NOT NULL, ranking BLOB NOT NULL, "
        "PRIMARY KEY (snapshot_id, model))"
    )
    db.execute(
        "CREATE TABLE item_versions (id INTEGER PRIMARY KEY, digest BLOB NOT NULL UNIQUE, "
        "record TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE finding_ids (id INTEGER PRIMARY KEY, key TEXT NOT NULL, "
        "code TEXT NOT NULL, fingerprint TEXT NOT NULL, severity TEXT NOT NULL, "
        "UNIQUE (key, code, fingerprint))"
    )


def _upgrade_v1_to_v2(db: sqlite3.Connection) -> None:
    """Version 2: when the snapshot was written (``taken`` may be set by ``--as-of``), from
    which sources, by which backlogctl version (older snapshots get their ``taken`` time)."""
    db.execute("ALTER TABLE snapshots ADD COLUMN recorded TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE snapshots ADD COLUMN sources TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE snapshots ADD COLUMN tool_version TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE snapshots SET recorded = taken")
    db.execute("CREATE INDEX snapshots_by_time ON snapshots (taken, id)")


def _upgrade_v2_to_v3(db: sqlite3.Connection) -> None:
    """Version 3: the items' stored ranks as one list per snapshot instead of inside each
    item record (NULL in older snapshots, whose records still hold them). Some version 2
    files (written by development builds) already have the column."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(snapshots)")}
    if "ranks" not in columns:
        db.execute("ALTER TABLE snapshots ADD COLUMN ranks BLOB")


#: ``MIGRATIONS[n]`` upgrades a file of version n to n + 1 (0: a new, empty file).
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _create_v1,
    _upgrade_v1_to_v2,
    _upgrade_v2_to_v3,
)

if len(MIGRATIONS) != SCHEMA_VERSION:  # pragma: no cover - a slip when adding a version
    raise RuntimeError("history: one migration per schema version is needed")


class ForeignFile(Exception):
    """The file is a SQLite database, but not a backlogctl history (or a newer one)."""


def check_and_upgrade(db: sqlite3.Connection) -> int:
    """Bring the open file to ``SCHEMA_VERSION`` inside the caller's write transaction.

    Returns the version the file had (0 for a new file). Raises ``ForeignFile`` for another
    application's database or a version newer than this backlogctl knows.
    """
    application_id = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if application_id != APPLICATION_ID:
        tables = db.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
        if application_id != 0 or version != 0 or tables:
            raise ForeignFile("not a backlogctl history file (another SQLite database)")
        version = 0
    if version > SCHEMA_VERSION:
        raise ForeignFile(
            f"written by a newer backlogctl (history schema {version}, this version reads up "
            f"to {SCHEMA_VERSION}); upgrade backlogctl"
        )
    for step in MIGRATIONS[version:]:
        step(db)
    if version != SCHEMA_VERSION:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return int(version)


def current_version(db: sqlite3.Connection) -> int:
    """The schema version of an open file (0 when it is not a backlogctl history yet)."""
    if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        return 0
    return int(db.execute("PRAGMA user_version").fetchone()[0])
