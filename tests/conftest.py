"""Shared pytest fixtures (an isolated working directory, a file writer) and the CI skip policy.

In CI (the ``CI`` environment variable set, as GitHub Actions and ``.ci/run``'s caller do), a
skipped test is a failed test: a test extra that is not installed, or a tool a check needs,
must break the build instead of turning the check into a silent skip. Outside CI a skip stays
a skip, so a developer without, say, a browser can still run the rest of the suite.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

WriteFile = Callable[[str, str], Path]


def in_ci() -> bool:
    """Whether this run is a CI run (``CI`` set to anything but empty, ``0`` or ``false``)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false")


def _skip_reason(longrepr: object) -> str:
    # A skip's longrepr is a (path, line, "Skipped: reason") tuple.
    text = str(longrepr[2]) if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return text.removeprefix("Skipped: ")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    """In CI, report a skipped test (skip, skipif, importorskip) as failed, with its reason."""
    outcome = yield
    report = outcome.get_result()
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = (
            f"skipped in CI, which must run every test: {_skip_reason(report.longrepr)}"
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, None]:
    """In CI, a module skipped at import (a module-level ``importorskip``) is a failure too."""
    outcome = yield
    report = outcome.get_result()
    if in_ci() and report.skipped:
        report.outcome = "failed"
        report.longrepr = (
            f"skipped in CI, which must run every test: {_skip_reason(report.longrepr)}"
        )


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
