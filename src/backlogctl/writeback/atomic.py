"""Safe file writes: regular files are replaced atomically, anything else is written directly.

A regular file is written to a temp file in the same directory, fsynced and renamed over the
target, so a reader sees the old or the new content, never half. Renaming over ``/dev/null``,
a device or a FIFO would replace it with a regular file (as root, ``-o /dev/full`` replaced
the device), so those are opened and written in place. A symlink is followed: its target is
replaced and the link stays.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from backlogctl.errors import InputError

#: A lone surrogate (from a Jira reply, or a file name that is not UTF-8) has no UTF-8 form:
#: written as the escape ``\\ud800`` rather than failing the whole write.
_ERRORS = "backslashreplace"


def write_text_atomic(
    path: Path, text: str, *, before_replace: Callable[[], None] | None = None
) -> None:
    """Write ``text`` (UTF-8) to ``path``: atomically for a regular or new file, else in place.

    An existing file keeps its mode; a new one gets the mode ``open()`` would give it.
    ``before_replace`` runs once the temp file is complete, just before the rename: an error
    it raises leaves ``path`` untouched (``rank --write`` checks there that nobody changed the
    file since it was read).
    """
    try:
        status: os.stat_result | None = path.stat()
    except FileNotFoundError:
        status = None  # a new file, or a symlink to one: created where the link points
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", location=str(path)) from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise InputError("cannot write: is a directory", location=str(path))
    if status is not None and not stat.S_ISREG(status.st_mode):
        _write_in_place(path, text)
        return
    mode = stat.S_IMODE(status.st_mode) if status is not None else _new_file_mode()
    _replace(path.resolve(), text, mode, shown=path, before_replace=before_replace)


def _write_in_place(path: Path, text: str) -> None:
    """Write a device, FIFO or socket file as ``open()`` would: no temp file, no rename."""
    try:
        with path.open("w", encoding="utf-8", errors=_ERRORS, newline="") as handle:
            handle.write(text)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", location=str(path)) from None


def _replace(
    target: Path,
    text: str,
    mode: int,
    *,
    shown: Path,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Write a temp file beside ``target`` and rename it over ``target``."""
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", location=str(shown)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors=_ERRORS, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file 0600: readers (teammates, CI) expect the usual mode.
        Path(temp_name).chmod(mode)
        if before_replace is not None:
            before_replace()
        Path(temp_name).replace(target)
    except BaseException as exc:
        # Also on Ctrl-C or a SystemExit mid-write: no temp file is left behind.
        with contextlib.suppress(OSError):
            Path(temp_name).unlink()
        if isinstance(exc, OSError):
            raise InputError(f"cannot write: {exc.strerror}", location=str(shown)) from None
        raise


def _new_file_mode() -> int:
    # The process umask can only be read by setting it; it is put back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask
