"""Shared pytest fixtures: an isolated working directory and a file writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

WriteFile = Callable[[str, str], Path]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary current directory, so no backlogctl.yaml of the checkout is discovered."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def write_file(workdir: Path) -> WriteFile:
    """Write ``text`` to ``name`` (relative to ``workdir``, parents created); returns the path."""

    def write(name: str, text: str) -> Path:
        path = workdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write
