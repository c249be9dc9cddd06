"""Shell completion: on in ``--help``, light to start, and values from the config and backlog."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from backlogctl.cli import completion
from backlogctl.cli.app import app

runner = CliRunner()

SCRIPT = str(Path(sys.executable).with_name("backlogctl"))

BACKLOG = """\
objectives:
  - {key: O1, key_results: [{key: KR-1.1}]}
items:
  - {key: SHOP-1, title: "Checkout \\e]0;pwned\\a redesign", type: epic, labels: [checkout],
     assignee: Ana, objective: KR-1.1}
  - {key: SHOP-2, title: Apple Pay, type: bug, labels: [payments, checkout], assignee: Ben}
"""

CONFIG = """\
sources: [backlog.yaml]
models:
  value_per_point: {formula: "rice.reach / estimate"}
"""


@pytest.fixture
def project(workdir: Path) -> Path:
    (workdir / "backlog.yaml").write_text(BACKLOG, encoding="utf-8")
    (workdir / "backlogctl.yaml").write_text(CONFIG, encoding="utf-8")
    return workdir


def _complete_bash(words: str, cwd: Path, *python_options: str) -> subprocess.CompletedProcess[str]:
    """What bash gets from ``backlogctl`` for the command line ``words`` (cursor at its end)."""
    environment = dict(os.environ)
    environment.update(
        _BACKLOGCTL_COMPLETE="complete_bash",
        COMP_WORDS=words,
        COMP_CWORD=str(len(words.split(" ")) - 1),
    )
    return subprocess.run(
        [sys.executable, *python_options, SCRIPT],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=60,
        check=False,
    )


def test_help_offers_to_install_completion() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout


def test_completing_a_command_name_imports_no_pydantic_and_no_yaml_reader(project: Path) -> None:
    result = _complete_bash("backlogctl ra", project, "-X", "importtime")
    assert (result.returncode, result.stdout) == (0, "rank\n")
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "backlogctl.cli.app" in imported  # the import report is there to be read
    heavy = {name for name in imported if name.split(".")[0] in ("pydantic", "yaml_rs", "ruamel")}
    assert heavy == set()


def test_option_values_come_from_the_backlog(project: Path) -> None:
    assert _complete_bash("backlogctl rank --type ", project).stdout.split() == [
        "bug",
        "epic",
        "spike",
        "story",
        "subtask",
        "task",
    ]
    assert _complete_bash("backlogctl rank --label ch", project).stdout == "checkout\n"
    assert _complete_bash("backlogctl rank --assignee B", project).stdout == "Ben\n"
    assert _complete_bash("backlogctl rank --objective ", project).stdout.split() == [
        "KR-1.1",
        "O1",
    ]


def test_a_broken_config_completes_nothing_and_prints_no_error(project: Path) -> None:
    (project / "backlogctl.yaml").write_text("sources: [", encoding="utf-8")
    result = _complete_bash("backlogctl rank --label ", project)
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")


def _context(project: Path, **params: object) -> SimpleNamespace:
    return SimpleNamespace(params={"config": project / "backlogctl.yaml", **params})


def test_model_names_include_the_configs_custom_models(project: Path) -> None:
    names = completion.complete_model(_context(project), "")
    assert names == ["ice", "rice", "value_per_point", "wsjf"]


def test_a_model_list_completes_after_the_last_comma(project: Path) -> None:
    names = completion.complete_model_list(_context(project), "rice,w")
    assert names == ["rice,current", "rice,ice", "rice,value_per_point", "rice,wsjf"]


def test_rule_codes_come_with_their_names() -> None:
    codes = completion.complete_rule_code("")
    assert ("S001", "stale") in codes
    assert ("H003", "no-objective") in codes
    assert ("S001,D003", "possible-duplicate") in completion.complete_rule_codes("S001,D")


def test_item_keys_come_with_their_titles_shown_inert(project: Path) -> None:
    keys = completion.complete_item_key(_context(project), "SHOP")
    assert keys == [("SHOP-1", "Checkout \\x1b]0;pwned\\x07 redesign"), ("SHOP-2", "Apple Pay")]


def test_item_keys_never_read_stdin(project: Path) -> None:
    assert completion.complete_item_key(_context(project, sources=["-"]), "") == []
