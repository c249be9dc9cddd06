"""Hostile text through every lint format (10.A2, 10.B1, 10.B6): what a Jira user can type
into a key, title, status or parent reaches no terminal or CI runner raw. Text, GitHub and
JUnit show control characters as escapes (JUnit stays well-formed XML 1.0), no output line
starts with a workflow command taken from data, and JSON and SARIF keep the exact text."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config
from backlogctl.lint.engine import lint_backlog
from backlogctl.lint.result import LintResult
from backlogctl.models import Backlog, BacklogItem, SourceLocation
from backlogctl.output.lint_github import render_lint_github
from backlogctl.output.lint_json import render_lint_json
from backlogctl.output.lint_junit import render_lint_junit
from backlogctl.output.lint_sarif import render_lint_sarif
from backlogctl.output.lint_text import render_lint_text

AS_OF = dt.datetime(2026, 11, 25, 23, 59, 59, tzinfo=dt.UTC)
HOSTILE = Path(__file__).parent / "data" / "hostile.yaml"
TITLE = "Red \x1b[31malert\x1b[0m \x1b]0;pwned\x07 NUL \x00 RTL \u202eevil\u202c C1 \x9b31m"
KEY = "X-1\n::error file=README.md,line=1::pwned"
#: What must never reach a terminal or a runner raw: C0 (but newline), DEL, C1, bidi.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
GITHUB_LINE = re.compile(r"^::(error|warning|notice) [^\n]*::[^\n]*$")


def _item(key: str, line: int, **fields: Any) -> BacklogItem:
    return BacklogItem(
        key=key,
        source=SourceLocation(file="jira.yaml", line=line),
        updated=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        **fields,
    )


@pytest.fixture(scope="module")
def result() -> LintResult:
    """Findings whose keys and messages carry hostile text (as a Jira pull keeps it)."""
    items = [
        _item(KEY, 1, title=TITLE, parent="EVIL\x1b]0;pwned\x07"),
        _item("X-2", 2, title=TITLE, status="Doing\x1b[2J"),
    ]
    return lint_backlog(Backlog(items=items), Config(), as_of=AS_OF)


def test_the_findings_do_carry_hostile_text(result: LintResult) -> None:
    texts = [entry.key + entry.message for entry in result.entries]
    assert any(KEY in text for text in texts)
    assert any("\x1b]0;pwned\x07" in text for text in texts)  # H002 names the parent
    assert {"D003", "H002", "W004"} <= {entry.code for entry in result.entries}


def test_text_shows_control_characters_as_escapes(result: LintResult) -> None:
    output = render_lint_text(result)
    assert not RAW.search(output)
    assert not any(line.lstrip().startswith("::") for line in output.splitlines())
    assert (
        "jira.yaml:1: H002 [error] X-1 ::error file=README.md,line=1::pwned: "
        "parent EVIL\\x1b]0;pwned\\x07 is not in the backlog"
    ) in output.splitlines()


def test_github_is_one_command_per_finding_and_inert(result: LintResult) -> None:
    output = render_lint_github(result, Path.cwd())
    lines = output.splitlines()
    assert len(lines) == len(result.entries)
    assert all(GITHUB_LINE.match(line) for line in lines)
    assert not RAW.search(output)
    assert "X-1%0A::error file=README.md,line=1::pwned" in output


def test_junit_is_well_formed_xml_with_escapes(result: LintResult) -> None:
    output = render_lint_junit(result)
    root = ET.fromstring(output.encode("utf-8"))
    assert not RAW.search(output)
    messages = [failure.get("message", "") for failure in root.iter("failure")]
    assert any("EVIL\\x1b]0;pwned\\x07" in message for message in messages)


def test_json_and_sarif_keep_the_exact_text(result: LintResult) -> None:
    report = json.loads(render_lint_json(result))
    assert [(f["key"], f["message"]) for f in report["findings"]] == [
        (entry.key, entry.message) for entry in result.entries
    ]
    sarif = json.loads(render_lint_sarif(result, Path.cwd()))
    assert [r["message"]["text"] for r in sarif["runs"][0]["results"]] == [
        f"{entry.key}: {entry.message}" for entry in result.entries
    ]


@pytest.mark.parametrize("format_", ["text", "github", "junit", "json", "sarif"])
def test_the_hostile_fixture_through_the_command_line(
    format_: str, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    run = CliRunner().invoke(
        app, ["lint", str(HOSTILE), "--as-of", "2026-11-25", "--format", format_]
    )
    assert run.exit_code == 1  # EVIL-6's unknown parent is an error
    output = run.stdout
    if format_ in ("text", "github", "junit"):
        assert not RAW.search(output)
        assert not any(line.startswith("::") for line in output.splitlines() if format_ != "github")
    if format_ == "junit":
        ET.fromstring(output.encode("utf-8"))
    if format_ in ("json", "sarif"):
        assert json.loads(output)
