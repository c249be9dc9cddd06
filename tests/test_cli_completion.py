"""Shell completion: on in ``--help``, light to start, and values from the config and backlog."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app

runner = CliRunner()

SCRIPT = str(Path(sys.executable).with_name("backlogctl"))

#: The example project: its config names custom models and its backlog ~400 SHOP keys.
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shop"

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


def _complete_fish(words: str, cwd: Path) -> list[str]:
    """The ``value<TAB>help`` lines fish gets for ``words`` (cursor at its end)."""
    environment = dict(os.environ)
    environment.update(
        _BACKLOGCTL_COMPLETE="complete_fish",
        _TYPER_COMPLETE_ARGS=words,
        _TYPER_COMPLETE_FISH_ACTION="get-args",
    )
    result = subprocess.run(
        [SCRIPT], capture_output=True, text=True, cwd=cwd, env=environment, timeout=60, check=False
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize("command", ["rank --model ", "explain SHOP-1 --model "])
def test_model_options_complete_builtin_and_custom_models(command: str, project: Path) -> None:
    result = _complete_bash(f"backlogctl {command}", project)
    assert result.stdout.split() == ["ice", "rice", "value_per_point", "wsjf"]


def test_the_example_config_completes_its_models() -> None:
    names = _complete_bash("backlogctl rank --model ", EXAMPLE).stdout.split()
    assert {"rice", "wsjf", "ice", "value_per_point"} <= set(names)


def test_a_model_list_completes_after_the_last_comma(project: Path) -> None:
    result = _complete_bash("backlogctl compare --models rice,", project)
    assert result.stdout.split() == [
        "rice,current",
        "rice,ice",
        "rice,value_per_point",
        "rice,wsjf",
    ]
    assert _complete_bash("backlogctl compare --models rice,w", project).stdout == "rice,wsjf\n"


def test_rule_codes_complete_with_their_names(workdir: Path) -> None:
    codes = _complete_bash("backlogctl rules S0", workdir).stdout.split()
    assert codes[:2] == ["S001", "S002"]
    assert all(code.startswith("S0") for code in codes)
    assert "S001\tstale" in _complete_fish("backlogctl rules S", workdir)


@pytest.mark.parametrize("option", ["--select", "--ignore", "--extend-select"])
def test_lint_code_options_complete_one_more_code(option: str, workdir: Path) -> None:
    codes = _complete_bash(f"backlogctl lint {option} ", workdir).stdout.split()
    assert {"S001", "D003", "H003"} <= set(codes)
    after_comma = _complete_bash(f"backlogctl lint {option} S001,D", workdir).stdout.split()
    assert "S001,D003" in after_comma
    assert all(code.startswith("S001,D") for code in after_comma)


def test_explain_completes_the_keys_of_the_example_backlog() -> None:
    keys = _complete_bash("backlogctl explain SHOP-39", EXAMPLE).stdout.split()
    assert "SHOP-398" in keys
    assert all(key.startswith("SHOP-39") for key in keys)


def test_item_keys_come_with_their_titles_shown_inert(project: Path) -> None:
    (project / "backlog.yaml").write_text(
        BACKLOG.replace("Apple Pay", '"[/x] Apple [bold]Pay[/bold]"'), encoding="utf-8"
    )
    assert _complete_fish("backlogctl explain SHOP", project) == [
        "SHOP-1\tCheckout \\x1b]0;pwned\\x07 redesign",
        "SHOP-2\t[/x] Apple [bold]Pay[/bold]",
    ]


def test_values_are_never_read_from_stdin(project: Path) -> None:
    (project / "stdin.yaml").write_text("sources: ['-']\n", encoding="utf-8")
    result = subprocess.run(
        [SCRIPT],
        input="items: [{key: STDIN-1, title: T, labels: [from-stdin]}]\n",
        capture_output=True,
        text=True,
        cwd=project,
        env={
            **os.environ,
            "_BACKLOGCTL_COMPLETE": "complete_bash",
            "COMP_WORDS": "backlogctl rank --config stdin.yaml --label ",
            "COMP_CWORD": "5",
        },
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")
