"""The history store: round trips, compact storage, snapshot lookup, migrations, bad files,
and that a failed snapshot leaves the earlier ones intact."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from backlogctl.config import Config
from backlogctl.errors import InputError
from backlogctl.history import store as store_module
from backlogctl.history.location import history_path
from backlogctl.history.schema import APPLICATION_ID, SCHEMA_VERSION
from backlogctl.history.state import BacklogState, capture
from backlogctl.history.store import open_history
from backlogctl.models import Backlog, BacklogItem
from backlogctl.scoring.registry import get_model

DAY = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def make_item(key: str, **fields: Any) -> BacklogItem:
    """An item with RICE and WSJF inputs (``fields`` override them)."""
    data: dict[str, Any] = {
        "key": key,
        "title": f"Title of {key}",
        "status": "To Do",
        "estimate": 3,
        "rice": {"reach": 100, "impact": 1, "confidence": 0.8, "effort": 2},
        "wsjf": {"business_value": 5, "time_criticality": 3, "risk_reduction": 1, "job_size": 5},
    }
    data.update(fields)
    return BacklogItem.model_validate(data)


def state_of(items: list[BacklogItem], models: tuple[str, ...] = ("rice",)) -> BacklogState:
    config = Config()
    return capture(
        Backlog(items=items), config, [get_model(name, config) for name in models], as_of=DAY
    )


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_snapshot_reads_back_exactly(tmp_path: Path) -> None:
    items = [
        make_item("A-1", rice={"reach": 500, "impact": 2, "confidence": 80, "effort": 1}),
        make_item("A-2", title="Ünïcode \x1b[31m <b>", fields={"risk": 4, "team": "core"}),
        make_item("A-3", rice=None, status="Done", status_category="done"),
        make_item("A-4", rice={"reach": 1}),
    ]
    state = state_of(items, ("rice", "wsjf"))
    path = tmp_path / "h.sqlite"
    with open_history(path, create=True) as history:
        info = history.add(state, taken=DAY, note="sprint 12", sources="backlog/")
        loaded = history.load(history.resolve("last"))
    assert info.id == 1 and info.items == 4 and info.models == ("rice", "wsjf")
    assert loaded.info == info
    assert loaded.state.items == state.items
    assert loaded.state.findings == state.findings and state.findings
    rice = loaded.state.models["rice"]
    assert list(rice.ranked) == ["A-1", "A-2"]
    assert rice.scores["A-1"] == pytest.approx(800.0)
    assert set(rice.unscored) == {"A-4"}
    assert rice.inputs == ("rice.reach", "rice.impact", "rice.confidence", "rice.effort")
    assert loaded.state.items["A-2"].inputs == {
        "estimate": 3,
        "rice.reach": 100,
        "rice.impact": 1,
        "rice.confidence": 0.8,
        "rice.effort": 2,
        "wsjf.business_value": 5,
        "wsjf.time_criticality": 3,
        "wsjf.risk_reduction": 1,
        "wsjf.job_size": 5,
        "fields.risk": 4,
        "fields.team": "core",
    }


def test_unchanged_items_are_stored_once(tmp_path: Path) -> None:
    items = [make_item(f"A-{number}") for number in range(1, 201)]
    path = tmp_path / "h.sqlite"
    with open_history(path, create=True) as history:
        history.add(state_of(items), taken=DAY)
        history.add(state_of(items), taken=DAY + dt.timedelta(days=1))
        items[5] = make_item("A-6", estimate=8)
        history.add(state_of(items), taken=DAY + dt.timedelta(days=2))
        snapshots = history.snapshots()
        third = history.load(snapshots[-1])
    assert [info.id for info in snapshots] == [1, 2, 3]
    assert count(path, "item_versions") == 201
    assert third.state.items["A-6"].estimate == 8


def test_a_reranked_backlog_adds_no_item_versions(tmp_path: Path) -> None:
    """A Jira pull numbers ``rank`` by position: one item moved to the top shifts them all.
    Stored ranks live outside the item records, so that adds no new record versions."""
    items = [make_item(f"A-{number}", rank=number) for number in range(1, 101)]
    reranked = [make_item("A-100", rank=1)] + [
        make_item(f"A-{number}", rank=number + 1) for number in range(1, 100)
    ]
    path = tmp_path / "h.sqlite"
    with open_history(path, create=True) as history:
        history.add(state_of(items), taken=DAY)
        history.add(state_of(reranked), taken=DAY + dt.timedelta(days=1))
        first, second = (history.load(info).state for info in history.snapshots())
    assert count(path, "item_versions") == 100
    assert first.items["A-100"].inputs["rank"] == 100
    assert second.items["A-100"].inputs["rank"] == 1
    assert second.items["A-1"].inputs["rank"] == 2


def test_resolve_by_id_last_and_date(tmp_path: Path) -> None:
    state = state_of([make_item("A-1")])
    with open_history(tmp_path / "h.sqlite", create=True) as history:
        for offset in (0, 3, 7):
            history.add(state, taken=DAY + dt.timedelta(days=offset), note=f"day {offset}")
        # Taken later but stored earlier ids win by time, not by id.
        history.add(state, taken=DAY + dt.timedelta(days=1), note="backfilled")
        assert history.resolve(None).note == "day 7"
        assert history.resolve("last").note == "day 7"
        assert history.resolve("2").note == "day 3"
        assert history.resolve("2026-11-02").note == "day 0"
        assert history.resolve("2026-11-04").note == "backfilled"
        assert history.resolve("2026-11-05").note == "day 3"
        assert history.resolve("2030-01-01").note == "day 7"
        with pytest.raises(InputError, match="no snapshot taken on or before 2026-11-01"):
            history.resolve("2026-11-01")
        with pytest.raises(InputError, match="no snapshot 9 "):
            history.resolve("9")
        with pytest.raises(InputError, match="expected a snapshot id, 'last' or a date"):
            history.resolve("yesterday")


def test_a_missing_file_is_not_created_for_reading(tmp_path: Path) -> None:
    path = tmp_path / "none.sqlite"
    with pytest.raises(InputError, match="no history file: take a snapshot first"):
        open_history(path)
    assert not path.exists()


def test_an_empty_history_says_how_to_start(tmp_path: Path) -> None:
    with (
        open_history(tmp_path / "h.sqlite", create=True) as history,
        pytest.raises(InputError, match="no snapshots yet"),
    ):
        history.resolve("last")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"sources: [backlog]\n" * 20, "not a backlogctl history file (not an SQLite database)"),
        (b"SQLite format 3\x00" + b"\xff" * 200, "history file"),
    ],
)
def test_a_file_that_is_not_sqlite_is_one_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "h.sqlite"
    path.write_bytes(content)
    with (
        pytest.raises(InputError, match=re.escape(message)) as caught,
        open_history(path, create=True) as history,
    ):
        history.snapshots()
    assert caught.value.location == str(path)
    assert path.read_bytes() == content


def test_another_applications_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE users (name TEXT)")
    before = path.read_bytes()
    with pytest.raises(InputError, match="not a backlogctl history file"):
        open_history(path, create=True)
    assert path.read_bytes() == before


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    open_history(path, create=True).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(InputError, match="written by a newer backlogctl"):
        open_history(path)


def test_a_damaged_record_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    with open_history(path, create=True) as history:
        history.add(state_of([make_item("A-1")]), taken=DAY)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE snapshots SET items = x'00ff'")
    with open_history(path) as history, pytest.raises(InputError, match="damaged history file"):
        history.load(history.resolve("last"))


V1_SNAPSHOT = (
    "INSERT INTO snapshots (id, taken, note, item_count, items, findings) "
    "VALUES (1, '2026-10-01T08:00:00+00:00', 'v1 note', 1, ?, ?)"
)


@pytest.mark.parametrize(("version", "ranks_column"), [(1, False), (2, False), (2, True)])
def test_an_older_file_is_upgraded_and_keeps_its_snapshots(
    tmp_path: Path, version: int, ranks_column: bool
) -> None:
    """Version 1 is the layout before ``recorded``/``sources``/``tool_version``; versions 1
    and 2 keep each item's stored rank inside its record (3: one list per snapshot). Some
    version 2 files, from development builds, already have the ``ranks`` column."""
    import json

    from backlogctl.history.codec import digest, pack_ids, pack_ranking
    from backlogctl.history.schema import MIGRATIONS

    state = state_of([make_item("A-1", rank=7), make_item("A-2", estimate=5)])
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    for step in MIGRATIONS[:version]:
        step(db)
    db.execute(f"PRAGMA user_version = {version}")
    if ranks_column:
        db.execute("ALTER TABLE snapshots ADD COLUMN ranks BLOB")
    items = list(state.items.values())
    for number, item in enumerate(items, start=1):
        fields = (item.key, item.title, item.type, item.status, item.status_category)
        record = json.dumps([*fields, item.estimate, dict(item.inputs)])
        db.execute(
            "INSERT INTO item_versions (id, digest, record) VALUES (?, ?, ?)",
            (number, digest(record), record),
        )
    db.execute(V1_SNAPSHOT, (pack_ids([1, 2]), pack_ids([])))
    ranking = pack_ranking(state.models["rice"], {"A-1": 0, "A-2": 1})
    db.execute(
        "INSERT INTO rankings VALUES (1, 'rice', ?, ?)",
        ('["rice.reach","rice.impact","rice.confidence","rice.effort"]', ranking),
    )
    db.commit()
    db.close()
    with open_history(path) as history:
        (info,) = history.snapshots()
        loaded = history.load(info)
        history.add(state, taken=DAY)
        again = history.load(history.resolve("last"))
    assert info.note == "v1 note" and info.taken == dt.datetime(2026, 10, 1, 8, tzinfo=dt.UTC)
    assert loaded.state.items == state.items
    assert loaded.state.items["A-1"].inputs["rank"] == 7
    assert again.state.items == state.items
    assert list(loaded.state.models["rice"].ranked) == list(state.models["rice"].ranked)
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert check.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        recorded = check.execute("SELECT recorded FROM snapshots WHERE id = 1").fetchone()[0]
    if version == 1:  # version 2 has the column: its snapshots keep what they recorded
        assert recorded == "2026-10-01T08:00:00+00:00"


def test_a_failure_mid_snapshot_leaves_earlier_snapshots_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "h.sqlite"
    first = state_of([make_item("A-1")])
    with open_history(path, create=True) as history:
        history.add(first, taken=DAY)

    def fail(*args: object) -> bytes:
        raise RuntimeError("disk went away")

    # After the item records and findings are written, before the snapshot row.
    monkeypatch.setattr(store_module, "pack_ranking", fail)
    second = state_of([make_item("A-1", estimate=13), make_item("A-2")])
    with open_history(path) as history, pytest.raises(RuntimeError):
        history.add(second, taken=DAY + dt.timedelta(days=1))
    monkeypatch.undo()
    with open_history(path) as history:
        (info,) = history.snapshots()
        assert history.load(info).state.items == first.items
    assert count(path, "item_versions") == 1


def test_history_path_defaults_next_to_the_config(tmp_path: Path) -> None:
    config_file = tmp_path / "team" / "backlogctl.yaml"
    config_file.parent.mkdir()
    config_file.write_text("sources: [backlog]\n", encoding="utf-8")
    from backlogctl.config import load_config

    config = load_config(config_file)
    assert history_path(config) == tmp_path / "team" / ".backlogctl" / "history.sqlite"
    config_file.write_text("history:\n  path: ../shared/h.sqlite\n", encoding="utf-8")
    assert history_path(load_config(config_file)) == tmp_path / "team" / "../shared/h.sqlite"
    assert history_path(Config(), Path("x.sqlite")) == Path("x.sqlite")
    with pytest.raises(InputError, match="pass --history PATH"):
        history_path(Config())
