"""GitHub annotations and SARIF locations name files from the repository root (10.A14):
``GITHUB_WORKSPACE`` when set, else the folder holding ``.git``, else the current directory,
so lint run from a subfolder still lands on the right file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app

BACKLOG = "items:\n  - key: A-1\n    title: Fix\n    description: Too short a title.\n"


def _lint(target: str, format_: str) -> str:
    run = CliRunner().invoke(
        app, ["lint", target, "--select", "D004", "--format", format_, "--as-of", "2026-11-25"]
    )
    assert run.exit_code == 0, run.output
    return run.stdout


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with its backlog in ``planning/``; lint runs from ``planning/``."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "planning").mkdir()
    (tmp_path / "planning" / "backlog.yaml").write_text(BACKLOG, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "planning")
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def test_from_a_subfolder_paths_start_at_the_git_root(repository: Path) -> None:
    assert _lint("backlog.yaml", "github") == (
        "::notice file=planning/backlog.yaml,line=2,title=D004::A-1: "
        "title has 1 word(s) (at least 3): say what changes\n"
    )
    sarif = json.loads(_lint("backlog.yaml", "sarif"))
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "planning/backlog.yaml"


def test_github_workspace_wins_over_the_git_root(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repository / "planning"))
    assert _lint(str(repository / "planning" / "backlog.yaml"), "github").startswith(
        "::notice file=backlog.yaml,line=2,"
    )


def test_outside_a_repository_paths_are_from_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "backlog.yaml").write_text(BACKLOG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    if any((folder / ".git").exists() for folder in (tmp_path, *tmp_path.parents)):
        pytest.skip("the temporary folder is inside a git repository")
    assert _lint("sub/backlog.yaml", "github").startswith("::notice file=sub/backlog.yaml,line=2,")
