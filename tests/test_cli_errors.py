"""The top-level error handler: one line on stderr, the right exit code, never a traceback."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backlogctl import loader
from backlogctl.cli.app import app
from backlogctl.errors import SourceError

runner = CliRunner()


def _failing_with(error: Exception) -> Any:
    def load_backlog(sources: Sequence[str], *args: Any, **kwargs: Any) -> Any:
        raise error

    return load_backlog


def test_a_bug_is_one_line_without_its_text_or_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "load_backlog", _failing_with(KeyError("tok-SECRET-123")))
    result = runner.invoke(app, ["rank", str(tmp_path / "b.yaml"), "--format", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("backlogctl: internal error (KeyError); this is a bug")
    assert result.stderr.count("\n") == 1
    assert "tok-SECRET-123" not in result.output
    assert "Traceback" not in result.output


def test_debug_lets_the_traceback_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "load_backlog", _failing_with(KeyError("boom")))
    result = runner.invoke(app, ["--debug", "rank", str(tmp_path / "b.yaml")])
    assert isinstance(result.exception, KeyError)


def test_source_errors_exit_3_with_their_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    error = SourceError("Jira did not answer within 5 s", location="https://jira.example")
    monkeypatch.setattr(loader, "load_backlog", _failing_with(error))
    result = runner.invoke(app, ["rank", str(tmp_path / "b.yaml")])
    assert result.exit_code == 3
    assert result.stderr == (
        "backlogctl: error: https://jira.example: Jira did not answer within 5 s\n"
    )


def test_usage_errors_exit_2() -> None:
    result = runner.invoke(app, ["rank", "--top", "0"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["no-such-command"])
    assert result.exit_code == 2
