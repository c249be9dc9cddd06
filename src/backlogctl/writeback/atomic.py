"""Atomic file writes: a temp file in the same directory, fsync, then rename over the target."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from backlogctl.errors import InputError


def write_text_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so readers see either the old or the new file, never half."""
    directory = path.parent if str(path.parent) else Path()
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", location=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temp_path = Path(temp_name)
        # mkstemp creates the file 0600: keep the replaced file's mode, or give a new file
        # the mode open() would have (umask applied), so teammates and CI can read it.
        temp_path.chmod(path.stat().st_mode & 0o7777 if path.exists() else _new_file_mode())
        temp_path.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            Path(temp_name).unlink()
        raise InputError(f"cannot write: {exc.strerror}", location=str(path)) from None


def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask
