"""Rule documentation as users read it (10.A10): ``backlogctl rules`` and SARIF help show
plain text or Markdown, never reStructuredText markup; ``lint``/``rules --help`` end with
examples."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.lint.registry import RULES
from backlogctl.lint.result import LintResult
from backlogctl.output.lint_rules import markdown_doc
from backlogctl.output.lint_sarif import render_lint_sarif


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("code", sorted(RULES))
def test_rules_code_has_no_restructuredtext_markup(code: str) -> None:
    output = _run("rules", code)
    assert "``" not in output
    assert not [line for line in output.splitlines() if line.rstrip().endswith("::")]


def test_rules_s001_shows_inline_code_and_examples_plainly() -> None:
    output = _run("rules", "S001")
    assert "counted from `updated` (else `created`) to the `--as-of` day." in output
    assert "Failing example (`days: 90`, `--as-of 2026-11-25`):\n\n    - key: SHOP-1" in output


def test_rules_list_has_no_restructuredtext_markup() -> None:
    assert "``" not in _run("rules")


def test_sarif_help_is_plain_text_and_markdown_with_fenced_examples() -> None:
    sarif = json.loads(render_lint_sarif(LintResult([], RULES)))
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]:
        unfenced = "\n".join(
            line for line in rule["help"]["markdown"].splitlines() if not line.startswith("```")
        )
        for text in (rule["help"]["text"], unfenced, rule["fullDescription"]["text"]):
            assert "``" not in text and "::\n" not in text
    s001 = next(
        rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"] if rule["id"] == "S001"
    )
    assert "Passing example:\n```yaml\n- key: SHOP-1\n" in s001["help"]["markdown"]


def test_markdown_fences_each_literal_block() -> None:
    doc = "X: y.\n\nFailing example (``days: 1``)::\n\n    - key: A\n      title: B\n\nEnd.\n"
    assert markdown_doc(doc) == (
        "X: y.\n\nFailing example (`days: 1`):\n```yaml\n- key: A\n  title: B\n```\n\nEnd.\n"
    )


@pytest.mark.parametrize("command", ["lint", "rules"])
def test_help_ends_with_examples(command: str) -> None:
    output = _run(command, "--help")
    tail = output[output.rindex("Examples:") :]
    assert tail.count("$ backlogctl") in (2, 3)
