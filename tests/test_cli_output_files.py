"""``-o FILE`` and other file writes: regular files atomically, devices and FIFOs in place."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.errors import InputError
from backlogctl.writeback.atomic import write_text_atomic

runner = CliRunner()

BACKLOG = (
    "items:\n"
    "  - {key: A-1, title: Checkout, rice: {reach: 10, impact: 1, confidence: 80, effort: 2}}\n"
)


def _leftovers(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if path.name.endswith(".tmp"))


def test_rank_output_file_holds_the_result(workdir: Path) -> None:
    (workdir / "b.yaml").write_text(BACKLOG, encoding="utf-8")
    result = runner.invoke(app, ["rank", "b.yaml", "-f", "csv", "-o", "out.csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "A-1" in (workdir / "out.csv").read_text(encoding="utf-8")
    assert _leftovers(workdir) == []


def _null_device(tmp_path: Path) -> Path:
    """/dev/null, or as root a private null device: a regression must not replace the real one."""
    if os.geteuid() != 0:
        return Path(os.devnull)  # not root: renaming over it fails instead of replacing it
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return device


def test_dev_null_stays_a_character_device(workdir: Path) -> None:
    (workdir / "b.yaml").write_text(BACKLOG, encoding="utf-8")
    device = _null_device(workdir)
    result = runner.invoke(app, ["rank", "b.yaml", "-o", str(device)])
    assert (result.exit_code, result.output) == (0, "")
    assert stat.S_ISCHR(device.stat().st_mode)
    assert _leftovers(workdir) == []


def test_a_fifo_is_written_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(
        target=lambda: received.append(fifo.read_text(encoding="utf-8")), daemon=True
    )
    reader.start()
    write_text_atomic(fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert received == ["through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert _leftovers(tmp_path) == []


def test_a_symlink_stays_and_its_target_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real" / "report.md"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "report.md"
    link.symlink_to(target)
    write_text_atomic(link, "new\n")
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "new\n"
    assert _leftovers(tmp_path) == [] and _leftovers(target.parent) == []


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "report.md"
    link.symlink_to(tmp_path / "made.md")
    write_text_atomic(link, "new\n")
    assert link.is_symlink()
    assert (tmp_path / "made.md").read_text(encoding="utf-8") == "new\n"


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o640)
    write_text_atomic(path, "[]\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_text(encoding="utf-8") == "[]\n"


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_text_atomic(tmp_path / "new.txt", "x\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_an_interrupted_write_leaves_no_temp_file_and_the_old_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    path = tmp_path / "out.txt"
    path.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(path, "new\n")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert _leftovers(tmp_path) == []


def test_a_failing_write_is_one_input_error_without_leftovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(InputError, match=r"out\.txt: cannot write: No space left on device"):
        write_text_atomic(tmp_path / "out.txt", "new\n")
    assert list(tmp_path.iterdir()) == []


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        write_text_atomic(tmp_path, "x")
