"""Run the real ``backlogctl`` console script on a pseudo-terminal of a given size.

``COLUMNS`` alone would not show what a user sees: the command must find out for itself that
stdout is a terminal and how wide it is (``TIOCSWINSZ`` sets the size the kernel reports).
"""

from __future__ import annotations

import fcntl
import os
import select
import shutil
import struct
import subprocess
import termios
from pathlib import Path

#: Longest a command may run on the terminal before the test gives up.
TIMEOUT = 60.0


def run_on_terminal(
    arguments: list[str], columns: int, *, cwd: Path, color: bool = False
) -> tuple[int, str]:
    """``backlogctl ARGUMENTS`` with stdout and stderr on a ``columns``-wide pseudo-terminal;
    its exit code and everything it printed (``\\r\\n`` as ``\\n``)."""
    script = shutil.which("backlogctl")
    assert script is not None, "backlogctl is not installed in this environment"
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    environment = {
        name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")
    }
    environment["TERM"] = "xterm-256color"
    environment.pop("NO_COLOR", None)
    if not color:
        environment["NO_COLOR"] = "1"
    process = subprocess.Popen(
        [script, *arguments],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env=environment,
        cwd=cwd,
    )
    os.close(follower)
    chunks = []
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], TIMEOUT)
            if not ready:
                process.kill()
                raise AssertionError(f"backlogctl {' '.join(arguments)} hung on the terminal")
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: every writer of the terminal has closed it
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    code = process.wait(timeout=TIMEOUT)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
