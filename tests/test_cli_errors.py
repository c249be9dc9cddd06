"""The top-level error handler: one line on stderr, the right exit code, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backlogctl import loader
from backlogctl.cli import app as app_module
from backlogctl.cli import common
from backlogctl.cli.app import app
from backlogctl.errors import InputError, SourceError

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


def test_debug_shows_the_traceback_of_an_input_error_then_the_line(workdir: Path) -> None:
    result = runner.invoke(app, ["--debug", "lint", "--as-of", "someday"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert "in parse_as_of" in result.stderr
    assert result.stderr.endswith(
        "backlogctl: error: --as-of: expected a date like 2026-01-31, got 'someday'\n"
    )


def test_without_debug_an_input_error_is_one_line(workdir: Path) -> None:
    result = runner.invoke(app, ["lint", "--as-of", "someday"])
    assert (result.exit_code, result.stderr) == (
        2,
        "backlogctl: error: --as-of: expected a date like 2026-01-31, got 'someday'\n",
    )


@pytest.mark.parametrize("debug", [True, False])
def test_an_error_outside_a_command_is_one_line_and_a_traceback_with_debug(
    debug: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def parsing_fails() -> None:
        raise InputError("bad value\n::error ::x", location="backlogctl.yaml:3")

    monkeypatch.setattr(app_module, "app", parsing_fails)
    monkeypatch.setattr(sys, "argv", ["backlogctl", *(["--debug"] if debug else []), "rank"])
    with pytest.raises(SystemExit) as exit_info:
        app_module.main()
    assert exit_info.value.code == 2
    stderr = capsys.readouterr().err
    assert stderr.endswith("backlogctl: error: backlogctl.yaml:3: bad value\\x0a::error ::x\n")
    assert ("Traceback (most recent call last):" in stderr) is debug


@pytest.mark.parametrize(
    "arguments",
    [["rank", "b.yaml", "--format", "json"], ["--help"], ["rank", "--help"], []],
    ids=["rank", "--help", "rank --help", "no arguments (help)"],
)
def test_a_closed_pipe_ends_the_command_quietly_with_141(
    arguments: list[str], workdir: Path
) -> None:
    # Help is printed by Rich, which meets a closed pipe with an exit 1 of its own.
    (workdir / "b.yaml").write_text(
        "items:\n- {key: A-1, title: x, rice: {reach: 1, impact: 1, confidence: 5, effort: 1}}\n",
        encoding="utf-8",
    )
    script = Path(sys.executable).with_name("backlogctl")
    process = subprocess.Popen(
        [str(script), *arguments],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the command writes anything
    stderr = process.stderr.read()
    assert (process.wait(timeout=60), stderr) == (141, b"")


def test_a_key_with_a_superscript_digit_is_ranked_not_an_internal_error(workdir: Path) -> None:
    # "²" is a digit to str.isdigit() but not to int(): sorting keys crashed on it.
    (workdir / "b.yaml").write_text(
        "items:\n"
        "- {key: A1², title: x, rice: {reach: 1, impact: 1, confidence: 5, effort: 1}}\n"
        "- {key: A1, title: y, rice: {reach: 1, impact: 1, confidence: 5, effort: 1}}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rank", "b.yaml", "--format", "csv"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert [line.split(",")[1] for line in result.stdout.splitlines()[1:]] == ["A1", "A1²"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["rank", "--top", "0"], "Invalid value for '--top' / '-n': must be 1 or more, got '0'"),
        (["rank", "--top", "ten"], "Invalid value for '--top' / '-n': must be a whole number"),
        (["rank", "--format", "xml"], "'xml' is not one of 'table', 'json', 'csv', 'markdown'."),
        (["jira", "check", "--timeout", "0"], "'--timeout': must be 0.1 or more, got '0'"),
    ],
)
def test_rejected_option_values_are_worded_plainly(arguments: list[str], message: str) -> None:
    result = runner.invoke(app, arguments, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Input should" not in result.stderr and "Value error" not in result.stderr


def test_warnings_and_notes_show_control_characters_escaped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    common.warn("unknown field 'x\n::error file=README.md::pwned\x1b[2J'")
    common.note("no item has label 'y\r::add-mask::z'")
    assert capsys.readouterr().err == (
        "backlogctl: warning: unknown field 'x\\x0a::error file=README.md::pwned\\x1b[2J'\n"
        "backlogctl: note: no item has label 'y\\x0d::add-mask::z'\n"
    )


@pytest.mark.parametrize("format_", ["json", "csv"])
def test_a_full_disk_on_stdout_is_one_line_exit_2(format_: str, workdir: Path) -> None:
    (workdir / "b.yaml").write_text(
        "items:\n- {key: A-1, title: x, rice: {reach: 1, impact: 1, confidence: 5, effort: 1}}\n",
        encoding="utf-8",
    )
    script = Path(sys.executable).with_name("backlogctl")
    with Path("/dev/full").open("w", encoding="utf-8") as full:
        result = subprocess.run(
            [str(script), "rank", "b.yaml", "--format", format_],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert (result.returncode, result.stderr) == (
        2,
        "backlogctl: error: stdout: cannot write: No space left on device\n",
    )
