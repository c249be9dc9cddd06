"""``backlogctl snapshot``: taking and listing snapshots as a user sees it, where the history
file goes, bad input as one line, and that a concurrent or killed snapshot harms nothing."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backlogctl.cli.app import app

BACKLOG = """\
items:
  - key: SHOP-1
    title: Checkout redesign
    status: Ready
    estimate: 5
    rice: {reach: 2000, impact: 2, confidence: 80, effort: 4}
    wsjf: {business_value: 8, time_criticality: 5, risk_reduction: 3, job_size: 2}
  - key: SHOP-2
    title: Apple Pay in checkout
    rice: {reach: 500, impact: 3, confidence: 1, effort: 0.5}
  - key: SHOP-3
    title: Not estimated yet
    status: Ready
    rice: {reach: 100, impact: 1, confidence: 0.5}
"""


def invoke(*arguments: str) -> Result:
    return CliRunner().invoke(app, list(arguments))


@pytest.fixture
def backlog(workdir: Path) -> Path:
    path = workdir / "backlog.yaml"
    path.write_text(BACKLOG, encoding="utf-8")
    return path


def test_snapshot_and_list(backlog: Path) -> None:
    first = invoke("snapshot", str(backlog), "--history", "h.sqlite", "--as-of", "2026-11-20")
    assert first.exit_code == 0, first.stderr
    assert first.stdout == (
        "snapshot 1 taken 2026-11-20 23:59 UTC: 3 items, ranked by rice; in h.sqlite\n"
    )
    second = invoke(
        "snapshot", str(backlog), "--history", "h.sqlite", "-m", "rice,wsjf", "-m", "ice",
        "--note", "sprint 12", "--as-of", "2026-11-27",
    )  # fmt: skip
    assert second.exit_code == 0, second.stderr
    assert second.stdout.startswith('snapshot 2 "sprint 12" taken 2026-11-27 23:59 UTC')
    assert "ranked by rice, wsjf, ice" in second.stdout

    listed = invoke("snapshot", "--list", "--history", "h.sqlite")
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "Snapshots in h.sqlite (2)",
        "ID  Taken (UTC)       Items  Models           Note",
        " 1  2026-11-20 23:59      3  rice",
        " 2  2026-11-27 23:59      3  rice, wsjf, ice  sprint 12",
    ]
    document = json.loads(
        invoke("snapshot", "--list", "--history", "h.sqlite", "-f", "json").stdout
    )
    assert document["schema_version"] == 1
    assert document["snapshots"][1] == {
        "id": 2,
        "taken": "2026-11-27T23:59:59Z",
        "note": "sprint 12",
        "items": 3,
        "models": ["rice", "wsjf", "ice"],
        "sources": str(backlog),
    }


def test_snapshot_json_describes_the_new_snapshot(backlog: Path) -> None:
    result = invoke("snapshot", str(backlog), "--history", "h.sqlite", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["history"] == "h.sqlite"
    assert document["snapshot"]["id"] == 1 and document["snapshot"]["items"] == 3


def test_the_default_history_lives_next_to_the_config(backlog: Path, workdir: Path) -> None:
    team = workdir / "team"
    team.mkdir()
    (team / "backlogctl.yaml").write_text("sources: [../backlog.yaml]\n", encoding="utf-8")
    result = invoke("snapshot", "--config", str(team / "backlogctl.yaml"))
    assert result.exit_code == 0, result.stderr
    assert (team / ".backlogctl" / "history.sqlite").is_file()
    (team / "backlogctl.yaml").write_text(
        "sources: [../backlog.yaml]\nhistory:\n  path: hist/h.sqlite\n", encoding="utf-8"
    )
    assert invoke("snapshot", "--config", str(team / "backlogctl.yaml")).exit_code == 0
    assert (team / "hist" / "h.sqlite").is_file()


def test_without_a_config_the_history_must_be_named(backlog: Path, workdir: Path) -> None:
    result = invoke("snapshot", str(backlog))
    assert result.exit_code == 2
    assert result.stderr == (
        "backlogctl: error: no config file, so no default history file: pass --history PATH "
        "(or set history.path in backlogctl.yaml)\n"
    )
    assert list(workdir.iterdir()) == [backlog]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["-m", "nope"], "unknown model 'nope'"),
        (["--as-of", "someday"], "--as-of: expected a date like 2026-01-31"),
        (["--list", "-m", "rice"], "--list takes no SOURCE, --model: it only lists snapshots"),
    ],
)
def test_bad_options_are_one_line(backlog: Path, arguments: list[str], message: str) -> None:
    result = invoke("snapshot", str(backlog), "--history", "h.sqlite", *arguments)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not Path("h.sqlite").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"items: []\n", "h.sqlite: not a backlogctl history file (not an SQLite database)"),
        (None, "h.sqlite: not a backlogctl history file (another SQLite database)"),
    ],
)
def test_a_corrupt_or_foreign_file_is_one_line(
    backlog: Path, content: bytes | None, message: str
) -> None:
    if content is None:
        with sqlite3.connect("h.sqlite") as db:
            db.execute("CREATE TABLE accounts (id INTEGER)")
    else:
        Path("h.sqlite").write_bytes(content)
    before = Path("h.sqlite").read_bytes()
    for arguments in (["snapshot", str(backlog)], ["snapshot", "--list"], ["diff", str(backlog)]):
        result = invoke(*arguments, "--history", "h.sqlite")
        assert result.exit_code == 2, arguments
        assert result.stderr == f"backlogctl: error: {message}\n"
    assert Path("h.sqlite").read_bytes() == before


def test_listing_a_missing_history_says_how_to_start(workdir: Path) -> None:
    result = invoke("snapshot", "--list", "--history", "none.sqlite")
    assert result.exit_code == 2
    assert "none.sqlite: no history file: take a snapshot first" in result.stderr
    assert not (workdir / "none.sqlite").exists()


def test_a_concurrent_snapshot_waits_for_the_first(backlog: Path) -> None:
    assert invoke("snapshot", str(backlog), "--history", "h.sqlite").exit_code == 0
    holder = sqlite3.connect("h.sqlite", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another snapshot in the middle of its write
    release = threading.Timer(1.0, lambda: holder.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    try:
        result = invoke("snapshot", str(backlog), "--history", "h.sqlite", "--note", "second")
    finally:
        release.join()
        holder.close()
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started >= 0.9
    listed = json.loads(invoke("snapshot", "--list", "--history", "h.sqlite", "-f", "json").stdout)
    assert [entry["note"] for entry in listed["snapshots"]] == ["", "second"]


def _big_backlog(path: Path, count: int) -> None:
    lines = ["items:"]
    for number in range(1, count + 1):
        lines += [
            f"  - key: BIG-{number}",
            f"    title: Item number {number} with a title of some length",
            "    status: Ready",
            f"    rice: {{reach: {number}, impact: 1, confidence: 0.5, effort: 2}}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_snapshot_killed_mid_write_leaves_the_earlier_ones(backlog: Path, workdir: Path) -> None:
    """The snapshot process is killed while its transaction is open (the rollback journal
    exists only then); the next reader rolls it back and sees only the first snapshot."""
    assert (
        invoke("snapshot", str(backlog), "--history", "h.sqlite", "--note", "kept").exit_code == 0
    )
    _big_backlog(workdir / "big.yaml", 6000)
    journal = workdir / "h.sqlite-journal"
    command = [sys.executable, "-m", "backlogctl", "snapshot", "big.yaml", "--history", "h.sqlite"]
    killed = False
    for _attempt in range(3):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 90
        while process.poll() is None and time.monotonic() < deadline:
            if journal.exists():
                os.kill(process.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(0.0005)
        process.wait(timeout=30)
        if killed:
            break
        # It committed before the journal was seen (a very fast machine): drop that snapshot.
        with sqlite3.connect("h.sqlite") as db:
            db.execute("DELETE FROM rankings WHERE snapshot_id > 1")
            db.execute("DELETE FROM snapshots WHERE id > 1")
    assert killed, "the snapshot never showed an open transaction"
    listed = invoke("snapshot", "--list", "--history", "h.sqlite", "-f", "json")
    assert listed.exit_code == 0, listed.stderr
    assert [entry["note"] for entry in json.loads(listed.stdout)["snapshots"]] == ["kept"]
    with sqlite3.connect("h.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM item_versions").fetchone()[0] == 3
    diff = invoke("diff", str(backlog), "--history", "h.sqlite", "-f", "json")
    assert diff.exit_code == 0, diff.stderr
    assert json.loads(diff.stdout)["moves"] == []


def test_other_commands_do_not_import_sqlite(backlog: Path) -> None:
    """sqlite3 and the history package load only for snapshot and diff."""
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from backlogctl.cli.app import app\n"
        "result = CliRunner().invoke(app, ['rank', sys.argv[1]])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in ('sqlite3', 'backlogctl.history.store') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(backlog)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "[]\n"), result.stderr


def test_a_file_name_that_is_not_utf8_is_kept_escaped(workdir: Path) -> None:
    name = os.fsdecode(b"back\xfflog.yaml")
    (workdir / name).write_text(BACKLOG, encoding="utf-8")
    script = str(Path(sys.executable).with_name("backlogctl"))
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    for arguments in (
        ["snapshot", name, "--history", "h.sqlite", "--note", os.fsdecode(b"caf\xe9")],
        ["snapshot", "--list", "--history", "h.sqlite", "-f", "json"],
    ):
        result = subprocess.run(
            [script, *arguments],
            cwd=workdir,
            env=environment,
            capture_output=True,
            text=True,
            errors="surrogateescape",
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)["snapshots"]
    assert (entry["sources"], entry["note"]) == ("back\\xfflog.yaml", "caf\\xe9")
