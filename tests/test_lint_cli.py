"""``backlogctl lint`` and ``backlogctl rules`` from the command line: exit codes, bad input,
baselines, and the bundled example through the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.lint.registry import RULES

WriteFile = Callable[[str, str], Path]
ROOT = Path(__file__).resolve().parent.parent
AS_OF = ["--as-of", "2026-11-25"]
# One finding of each severity: SHOP-2 has an unknown parent (H002, error), SHOP-1 is stale
# (S001, warning), SHOP-3's title is vague (D004, info).
BACKLOG = """\
items:
  - key: SHOP-1
    title: Gift wrapping at checkout
    description: Wrap a parcel as a present, with a card.
    updated: 2026-01-02
  - key: SHOP-2
    title: Coupon rounding error on invoices
    description: Invoices round each line, the cart rounds the total.
    parent: SHOP-77
    updated: 2026-11-20
  - key: SHOP-3
    title: Search
    description: Search results are too slow on mobile.
    updated: 2026-11-20
"""


def lint(*args: str) -> tuple[int, str, str]:
    """Run ``backlogctl lint`` in-process; returns exit code, stdout, stderr."""
    result = CliRunner().invoke(app, ["lint", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def backlog(write_file: WriteFile, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The three-item backlog above in an empty working directory."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return write_file("backlog.yaml", BACKLOG)


@pytest.mark.parametrize(
    ("select", "fail_on", "expected"),
    [
        ("H002,S001,D004", "error", 1),
        ("H002,S001,D004", "warning", 1),
        ("H002,S001,D004", "info", 1),
        ("H002,S001,D004", "never", 0),
        ("S001,D004", "error", 0),
        ("S001,D004", "warning", 1),
        ("S001,D004", "info", 1),
        ("S001,D004", "never", 0),
        ("D004", "error", 0),
        ("D004", "warning", 0),
        ("D004", "info", 1),
        ("H006", "info", 0),
    ],
)
def test_fail_on_exit_code_matrix(backlog: Path, select: str, fail_on: str, expected: int) -> None:
    code, stdout, _ = lint("backlog.yaml", *AS_OF, "--select", select, "--fail-on", fail_on)
    assert code == expected
    assert stdout.strip().splitlines()[-1].startswith(("Found", "No findings"))


def test_fail_on_defaults_to_error_and_config_can_change_it(
    backlog: Path, write_file: WriteFile
) -> None:
    assert lint("backlog.yaml", *AS_OF, "--select", "S001")[0] == 0
    write_file("backlogctl.yaml", "lint:\n  fail_on: warning\n")
    assert lint("backlog.yaml", *AS_OF, "--select", "S001")[0] == 1
    assert lint("backlog.yaml", *AS_OF, "--select", "S001", "--fail-on", "never")[0] == 0


def test_text_output_names_file_line_code_and_item(backlog: Path) -> None:
    code, stdout, stderr = lint("backlog.yaml", *AS_OF, "--select", "H002,S")
    assert stdout == (
        "backlog.yaml:2: S001 [warning] SHOP-1: not updated for 327 days (limit 90)\n"
        "backlog.yaml:6: H002 [error] SHOP-2: parent SHOP-77 is not in the backlog\n"
        "Found 2 findings: 1 error, 1 warning, 0 info.\n"
    )
    assert (code, stderr) == (1, "")


def test_clean_backlog_exits_0(write_file: WriteFile) -> None:
    write_file("b.yaml", "items:\n  - {key: A-1, title: Gift wrapping at checkout}\n")
    assert lint("b.yaml", *AS_OF, "--select", "S,H002") == (0, "No findings.\n", "")


@pytest.mark.parametrize(
    ("args", "config", "message"),
    [
        (["--select", "S,Q7"], None, "--select: unknown rule code or prefix 'Q7'"),
        (["--ignore", "S0019"], None, "--ignore: unknown rule code or prefix 'S0019'"),
        (["--fail-on", "fatal"], None, "Invalid value for '--fail-on'"),
        (["--format", "xml"], None, "Invalid value for '--format'"),
        (["--as-of", "yesterday"], None, "--as-of: expected a date like 2026-01-31"),
        ([], "lint:\n  rules:\n    S001: {days: -5}\n", "backlogctl.yaml:3: lint.rules.S001.days"),
        ([], "lint:\n  rules:\n    S001: {days: [1]}\n", "lint.rules.S001.days: Input should be"),
        ([], "lint:\n  rules:\n    E002: {max: 3}\n", "lint.rules.E002.max: unknown option"),
        ([], "lint:\n  ignore: [X1]\n", "backlogctl.yaml:2: lint.ignore: unknown rule code"),
        (
            [],
            "lint:\n  fail_on: sometimes\n",
            "backlogctl.yaml:2: lint.fail_on: must be 'error', 'warning', 'info' or 'never'",
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(
    backlog: Path, write_file: WriteFile, args: list[str], config: str | None, message: str
) -> None:
    if config is not None:
        write_file("backlogctl.yaml", config)
    code, stdout, stderr = lint("backlog.yaml", *AS_OF, *args)
    assert code == 2
    assert stdout == ""
    assert message in stderr
    if "Invalid value" not in message:  # Typer's own usage errors come with a usage block
        assert stderr.startswith("backlogctl: error: ") and stderr.count("\n") == 1


def test_malformed_baseline_is_exit_2(backlog: Path, write_file: WriteFile) -> None:
    write_file("base.json", '{"entries": "all of them"}')
    code, _, stderr = lint("backlog.yaml", *AS_OF, "--baseline", "base.json")
    assert code == 2
    assert stderr == (
        "backlogctl: error: base.json: malformed baseline: entries: Input should be a valid list\n"
    )


def test_write_baseline_then_only_new_findings_fail(backlog: Path, write_file: WriteFile) -> None:
    code, stdout, stderr = lint("backlog.yaml", *AS_OF, "--write-baseline", "base.json")
    assert (code, stdout) == (0, "")
    recorded = json.loads(Path("base.json").read_text(encoding="utf-8"))["entries"]
    assert stderr == f"backlogctl: wrote {len(recorded)} findings to base.json\n"
    assert lint("backlog.yaml", *AS_OF, "--baseline", "base.json")[:2] == (
        0,
        f"No findings ({len(recorded)} in the baseline).\n",
    )
    # Insert a new item at the top (every line moves) that has an unknown parent.
    write_file(
        "backlog.yaml",
        BACKLOG.replace(
            "items:\n",
            "items:\n  - key: SHOP-9\n    title: Loyalty points on receipts\n"
            "    description: Show the points a purchase earned.\n    parent: SHOP-404\n"
            "    updated: 2026-11-24\n",
        ),
    )
    code, stdout, _ = lint("backlog.yaml", *AS_OF, "--baseline", "base.json", "--select", "H")
    assert code == 1
    assert stdout.splitlines()[0] == (
        "backlog.yaml:2: H002 [error] SHOP-9: parent SHOP-404 is not in the backlog"
    )


def test_item_suppression_from_yaml_with_reason(write_file: WriteFile) -> None:
    write_file(
        "b.yaml",
        "items:\n  - key: A-1\n    title: Gift wrapping at checkout\n    updated: 2026-01-01\n"
        "    lint: {ignore: [S001], reason: parked until Q2}\n",
    )
    assert lint("b.yaml", *AS_OF, "--select", "S,L") == (0, "No findings (1 suppressed).\n", "")


def test_rules_lists_every_rule() -> None:
    result = CliRunner().invoke(app, ["rules"])
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines[0].split() == ["code", "name", "severity", "summary"]
    assert [line.split()[0] for line in lines[1:]] == list(RULES)
    assert lines[1].split()[:3] == ["S001", "stale", "warning"]


def test_rules_shows_one_rule_with_its_options() -> None:
    result = CliRunner().invoke(app, ["rules", "s001"])
    assert result.exit_code == 0
    assert result.stdout.startswith("S001 stale (default severity: warning)\n")
    assert "Failing example" in result.stdout
    assert "  days = 90: Days without an update before an item is stale." in result.stdout
    by_name = CliRunner().invoke(app, ["rules", "stale"])
    assert by_name.stdout == result.stdout


def test_rules_unknown_code_is_exit_2() -> None:
    result = CliRunner().invoke(app, ["rules", "S999"])
    assert result.exit_code == 2
    assert result.stderr == (
        "backlogctl: error: unknown rule 'S999': 'backlogctl rules' lists them\n"
    )


def _console_script() -> str:
    found = shutil.which("backlogctl") or str(Path(sys.executable).parent / "backlogctl")
    return found


def test_bundled_example_finds_several_families_via_the_console_script() -> None:
    process = subprocess.run(
        [_console_script(), "lint", "--config", "examples/shop/backlogctl.yaml", *AS_OF],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "GITHUB_ACTIONS": "false"},
        check=False,
    )
    families = {line.split(": ")[1][0] for line in process.stdout.splitlines()[:-1]}
    assert families >= {"S", "D", "E", "H", "W"}
    assert process.returncode == 1
    assert process.stderr == ""


def test_github_format_via_the_console_script_on_github_actions(backlog: Path) -> None:
    process = subprocess.run(
        [_console_script(), "lint", "backlog.yaml", *AS_OF, "--select", "H002"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "GITHUB_ACTIONS": "true"},
        check=False,
    )
    assert process.stdout == (
        "::error file=backlog.yaml,line=6,title=H002::"
        "SHOP-2: parent SHOP-77 is not in the backlog\n"
    )
    assert process.returncode == 1


def test_pre_commit_hook_and_ci_example_run_real_lint_commands(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    hooks = yaml.load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [(hook["id"], hook["entry"]) for hook in hooks] == [
        ("backlogctl-lint", "backlogctl lint")
    ]
    workflow = yaml.load((ROOT / "examples/ci/backlog-lint.yml").read_text(encoding="utf-8"))
    commands = [
        step["run"].split()
        for step in workflow["jobs"]["lint"]["steps"]
        if step.get("run", "").startswith("backlogctl lint")
    ]
    assert any("github" in command for command in commands)
    monkeypatch.chdir(ROOT / "tests" / "golden" / "lint")
    for command in commands:
        adjusted = [str(tmp_path / "out") if part.endswith(".sarif") else part for part in command]
        result = CliRunner().invoke(app, [*adjusted[1:], *AS_OF])
        assert result.exit_code in (0, 1), result.stderr


def test_rules_with_a_prefix_lists_that_family() -> None:
    result = CliRunner().invoke(app, ["rules", "s"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["S001", "S002", "S003", "S004"]


def test_rules_unknown_name_suggests_the_close_one() -> None:
    result = CliRunner().invoke(app, ["rules", "stal"])
    assert result.exit_code == 2
    assert result.stderr == (
        "backlogctl: error: unknown rule 'stal'; did you mean S001 stale? "
        "'backlogctl rules' lists them\n"
    )
