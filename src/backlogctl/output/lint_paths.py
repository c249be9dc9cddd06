"""File paths as CI services expect them: relative to the repository's root.

GitHub places annotations and code-scanning results by path from the repository root, so a
path relative to the current directory lands nowhere when lint runs from a subfolder.
"""

from __future__ import annotations

import os
from pathlib import Path


def repository_root(start: Path | None = None) -> Path:
    """``GITHUB_WORKSPACE`` when set, else the nearest folder holding ``.git`` from ``start``
    (default: the current directory) upwards, else ``start`` itself.
    """
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        return Path(workspace).absolute()
    here = (start or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():  # a folder, or a file in a git worktree
            return folder
    return here


def relative_to_root(path: str, root: Path) -> str:
    """``path`` (relative to the current directory, or absolute) from ``root``, with ``/``.

    A path outside ``root`` is returned absolute.
    """
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(root.resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()
