"""Config discovery and reading of hostile or broken files: 10.A4, 10.B3, 10.A10 (config part).

Driven through ``config check`` (a pre-commit hook runs it on every commit) and ``rank``,
asserting the one error line, its ``file:line`` and exit 2.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import discover_config

runner = CliRunner()


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _check(cwd: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    result = runner.invoke(app, ["config", "check", *args])
    return result.exit_code, result.stdout, result.stderr


# --- 10.A4: broken config files are errors, not skipped ------------------------------------


def test_a_broken_pyproject_section_is_an_error_not_a_parent_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "backlogctl.yaml", "default_model: wsjf\n")
    project = tmp_path / "project"
    pyproject = _write(
        project / "pyproject.toml", '[project]\nname = "x"\n\n[tool.backlogctl]\nstrict = tru\n'
    )
    assert discover_config(project) == pyproject
    code, stdout, stderr = _check(project, monkeypatch)
    assert (code, stdout) == (2, "")
    assert stderr == f"backlogctl: error: {pyproject}:5: invalid TOML: Invalid value (column 10)\n"


def test_a_broken_pyproject_without_our_section_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = _write(tmp_path / "backlogctl.yaml", "default_model: wsjf\n")
    project = tmp_path / "project"
    _write(project / "pyproject.toml", '[project]\nname = "x\n[tool.ruff]\n')
    assert discover_config(project) == parent
    code, stdout, _ = _check(project, monkeypatch)
    assert code == 0
    assert stdout.startswith(f"{parent}: ok (default model: wsjf")


def test_a_broken_backlogctl_yaml_is_an_error_not_a_parent_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "backlogctl.yaml", "default_model: wsjf\n")
    broken = _write(tmp_path / "project" / "backlogctl.yaml", "default_model: rice\nlint: [\n")
    code, stdout, stderr = _check(broken.parent, monkeypatch)
    assert (code, stdout) == (2, "")
    assert stderr.startswith(f"backlogctl: error: {broken}:2: invalid YAML: ")
    assert stderr.count("\n") == 1


# --- 10.B3: the backlog reader's limits apply to configs ---------------------------------


def _nested_aliases() -> str:
    """The issue's 289-byte bomb: 7 levels of anchors, each a list of 9 aliases."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdef", "bcdefg", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_config_fails_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = _write(tmp_path / "backlogctl.yaml", _nested_aliases())
    started = time.perf_counter()
    code, stdout, stderr = _check(tmp_path, monkeypatch)
    assert time.perf_counter() - started < 5
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"backlogctl: error: {bomb}:2: invalid YAML: aliases expand to more than 10000 nodes "
        "(an alias bomb?)\n"
    )


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        (
            "backlogctl.yaml",
            "default_model: rice\nx: " + "[" * 5000 + "]" * 5000 + "\n",
            2,
            "invalid YAML: recursion limit exceeded (column 259)",
        ),
        (
            "backlogctl.yaml",
            "default_model: rice\nlint:\n"
            + "".join(" " * (depth + 2) + "a:\n" for depth in range(100))
            + " " * 103
            + "1\n",
            65,
            "settings nested more than 64 levels deep",
        ),
        (
            "pyproject.toml",
            "[tool.backlogctl]\nstrict = true\nx = " + "[" * 5000 + "]" * 5000 + "\n",
            3,
            "settings nested more than 64 levels deep",
        ),
        (
            "pyproject.toml",
            "[tool.backlogctl]\nx = " + "[" * 100 + "]" * 100 + "\n",
            2,
            "settings nested more than 64 levels deep",
        ),
    ],
    ids=["yaml-flow-5000", "yaml-block-100", "toml-5000", "toml-100"],
)
def test_deep_nesting_is_a_located_error_not_a_recursion_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, line: int, message: str
) -> None:
    path = _write(tmp_path / name, text)
    code, stdout, stderr = _check(tmp_path, monkeypatch)
    assert (code, stdout) == (2, "")
    assert stderr == f"backlogctl: error: {path}:{line}: {message}\n"


def test_an_oversized_config_line_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "backlogctl.yaml", "default_model: " + "x" * 2_000_000 + "\n")
    code, _, stderr = _check(tmp_path, monkeypatch)
    assert code == 2
    assert stderr == f"backlogctl: error: {path}:1: line longer than 1024 KB; not a backlog file\n"


# --- 10.A10: no pydantic wording in config errors ----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("strict: sometimes\n", "1: strict: must be true or false"),
        ("sources: 3\n", "1: sources: must be a list"),
        (
            "statuses:\n  later: [Parked]\n",
            "2: statuses.later: must be 'todo', 'in_progress' or 'done'",
        ),
        ("limits:\n  max_items: lots\n", "2: limits.max_items: must be a whole number"),
        ("limits:\n  max_items: -1\n", "2: limits.max_items: must be 1 or more"),
        (
            "lint:\n  fail_on: sometimes\n",
            "2: lint.fail_on: must be 'error', 'warning', 'info' or 'never'",
        ),
    ],
)
def test_config_errors_use_plain_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    path = _write(tmp_path / "backlogctl.yaml", text)
    code, _, stderr = _check(tmp_path, monkeypatch)
    assert code == 2
    assert stderr == f"backlogctl: error: {path}:{expected}\n"
    assert "Input should" not in stderr and "Value error" not in stderr


@pytest.mark.parametrize(
    "text",
    [
        "default_model: " + "m" * 100_000 + "\n",
        # Explicit keys (``? key``): a plain key is limited to 1,024 characters by YAML.
        "? " + "k" * 100_000 + "\n: 1\n",
        "models:\n  mine:\n    weights:\n      ? " + "f" * 100_000 + "\n      : 1\n",
    ],
    ids=["value", "key", "weight-field"],
)
def test_huge_config_values_are_cut_in_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    _write(tmp_path / "backlogctl.yaml", text)
    code, _, stderr = _check(tmp_path, monkeypatch)
    assert code == 2
    assert stderr.count("\n") == 1
    assert len(stderr) < 600
