"""Every command's ``--help`` reads cleanly on an 80-column terminal: no Python types, no folds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from typer.core import TyperGroup
from typer.testing import CliRunner

from backlogctl.cli.app import app
from terminal import run_on_terminal

runner = CliRunner()


def _command_paths() -> list[list[str]]:
    """Every command and group, as the words that name it (``[]`` is the root)."""
    paths: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        paths.append(path)
        if isinstance(command, TyperGroup):
            for name, subcommand in sorted(command.commands.items()):
                walk(subcommand, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


COMMANDS = _command_paths()

#: Styles (bold, dim) stay on a terminal under NO_COLOR; they take no columns.
STYLE = re.compile(r"\x1b\[[0-9;]*m")

#: What Typer shows for Python types when left alone.
PYTHON_TYPES = re.compile(r"<(?:bool|str|int|float|file|dir|path)\b|list\[|\brange>")


def test_every_command_is_covered() -> None:
    names = {" ".join(path) for path in COMMANDS}
    assert {"", "rank", "lint", "init", "config check", "config schema", "jira pull"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "backlogctl")
def test_help_fits_80_columns_on_a_terminal_and_names_no_python_type(
    path: list[str], tmp_path: Path
) -> None:
    code, styled = run_on_terminal([*path, "--help"], 80, cwd=tmp_path)
    assert code == 0, styled
    text = STYLE.sub("", styled)
    too_wide = [line for line in text.splitlines() if len(line) > 80]
    assert too_wide == []
    assert PYTHON_TYPES.findall(text) == []
    assert "Usage: backlogctl" in text


@pytest.mark.parametrize(
    ("path", "choices"),
    [
        (["lint"], ["text", "json", "github", "junit", "sarif"]),
        (["lint"], ["error", "warning", "info", "never"]),
        (["rank"], ["todo", "in_progress", "done"]),
        (["rank"], ["table", "json", "csv", "markdown"]),
    ],
)
def test_choices_are_listed_whole_words(path: list[str], choices: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
    for choice in choices:
        assert re.search(rf"(^|[\s|]){choice}($|[\s|])", result.stdout, re.MULTILINE), choice


def test_a_flag_shows_no_type_and_a_number_option_says_integer() -> None:
    result = runner.invoke(app, ["rank", "--help"], env={"COLUMNS": "120"})
    explain_line = next(line for line in result.stdout.splitlines() if "--explain" in line)
    assert re.search(r"--explain\s+Show each score", explain_line)
    assert re.search(r"--top\s+-n\s+INTEGER>=1\s+Show only the first N", result.stdout)


@pytest.mark.parametrize(
    ("path", "option", "label"),
    [
        (["rank"], "--top", "INTEGER>=1"),
        (["explain"], "--top", "INTEGER>=1"),
        (["compare"], "--top", "INTEGER>=1"),
        (["compare"], "--trials", "INTEGER>=1"),
        (["jira", "pull"], "--timeout", "NUMBER>=0.1"),
    ],
)
def test_a_range_is_said_once_in_the_type_label(path: list[str], option: str, label: str) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    line = next(line for line in result.stdout.splitlines() if re.match(rf"│\s+{option} ", line))
    assert re.search(rf"{option}\s+(-\w\s+)?{re.escape(label)}\s", line), line
    assert "x>=" not in result.stdout
    assert ">= 1" not in result.stdout  # not again in the help text


def test_arguments_are_named_in_capitals_in_the_usage_line() -> None:
    result = runner.invoke(app, ["explain", "--help"], env={"COLUMNS": "100"})
    assert "Usage: backlogctl explain [OPTIONS] KEY [SOURCES]..." in result.stdout
    assert "{key}" not in result.stdout


@pytest.mark.parametrize(
    ("path", "example"),
    [
        ([], "$ backlogctl init && backlogctl rank --top 10"),
        (["init"], "$ backlogctl init planning/"),
        (["config", "check"], "$ backlogctl config check --config teams/web/backlogctl.yaml"),
        (["config", "schema"], "$ backlogctl config schema -o backlogctl.schema.json"),
        (["config"], "$ backlogctl config schema -o backlogctl.schema.json"),
        (["jira"], '$ backlogctl jira pull --jql "project = SHOP" -o backlog.yaml'),
    ],
)
def test_help_ends_with_examples(path: list[str], example: str) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert example in result.stdout
