"""Hostile backlog input: control characters in identifiers, nesting, item count, tag errors.

Each test drives the CLI (or the connector) and asserts what a user sees: one line on stderr
with ``file:line``, exit 2, nothing on stdout.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app

WriteFile = Callable[[str, str], Path]
runner = CliRunner()


def _rank(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["rank", *args, "--format", "json"])
    return result.exit_code, result.stdout, result.stderr


def _refused(*args: str) -> str:
    """The one error line of a refused ``rank`` run (exit 2, empty stdout)."""
    code, stdout, stderr = _rank(*args)
    assert (code, stdout) == (2, ""), stderr
    assert len(stderr.splitlines()) == 1
    assert "internal error" not in stderr
    return stderr.removeprefix("backlogctl: error: ").rstrip("\n")


# --- 10.B1: control characters in identifiers ----------------------------------------------

ITEM = "items:\n  - key: SHOP-1\n    title: First\n  - key: SHOP-2\n    title: Second\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '    key: "SHOP-3\\n::error file=README.md,line=1::pwned"\n',
            "b.yaml:7: item SHOP-3\\x0a::error file=README.md,line=1::pwned: key: control "
            "characters are not allowed in identifiers, got "
            "'SHOP-3\\n::error file=README.md,line=1::pwned'",
        ),
        (
            '    status: "Done\\u001b[31m"\n',
            "b.yaml:8: item SHOP-3: status: control characters are not allowed in identifiers, "
            "got 'Done\\x1b[31m'",
        ),
        (
            '    type: "story\\r"\n',
            "b.yaml:8: item SHOP-3: type: control characters are not allowed in identifiers, "
            "got 'story\\r'",
        ),
        (
            '    labels: [ok, "evil\\u202e"]\n',
            "b.yaml:8: item SHOP-3: labels: control characters are not allowed in identifiers, "
            "got 'evil\\u202e'",
        ),
        (
            '    parent: "SHOP-1\\n::add-mask::x"\n',
            "b.yaml:8: item SHOP-3: parent: control characters are not allowed in identifiers, "
            "got 'SHOP-1\\n::add-mask::x'",
        ),
        (
            '    objective: "KR-1\\t"\n',
            "b.yaml:8: item SHOP-3: objective: control characters are not allowed in "
            "identifiers, got 'KR-1\\t'",
        ),
        (
            '    components: "api\\u0085"\n',
            "b.yaml:8: item SHOP-3: components: control characters are not allowed in "
            "identifiers, got 'api\\x85'",
        ),
    ],
    ids=["key", "status", "type", "labels", "parent", "objective", "components"],
)
def test_control_characters_in_identifiers_are_input_errors(
    write_file: WriteFile, line: str, expected: str
) -> None:
    text = ITEM + "  - key: SHOP-3\n    title: Third\n"
    if line.lstrip().startswith("key:"):
        text = ITEM + "  - title: Third\n" + line
    else:
        text += line
    write_file("b.yaml", text)
    assert _refused("b.yaml") == expected


def test_titles_and_descriptions_may_hold_control_characters(write_file: WriteFile) -> None:
    write_file(
        "b.yaml",
        '- key: SHOP-1\n  title: "Red \\u001b[31m title"\n'
        '  description: "line one\\nline two\\u202e"\n  rice: {reach: 1, impact: 1, '
        "confidence: 1, effort: 1}\n",
    )
    code, stdout, stderr = _rank("b.yaml")
    assert (code, stderr) == (0, "")
    assert json.loads(stdout)["items"][0]["title"] == "Red \x1b[31m title"


# --- 10.B3: nesting that would crash the parser ---------------------------------------------


def test_deep_block_nesting_is_refused_before_the_parser_recurses(workdir: Path) -> None:
    # yaml_rs recurses once per block level and overflowed the C stack (a segfault, exit
    # -11) on ~20,000 levels: run in a subprocess so a regression cannot take pytest down.
    (workdir / "deep.yaml").write_text("items:\n  - " + "- " * 100_000 + "x\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "backlogctl", "rank", "deep.yaml"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "backlogctl: error: deep.yaml:2: nested or indented 1000 columns deep or more; "
        "not a backlog or config\n"
    )


def test_a_deep_indent_inside_text_is_not_mistaken_for_nesting(write_file: WriteFile) -> None:
    write_file(
        "b.yaml",
        "- key: A\n  title: a\n  description: |\n    " + "-" * 1200 + "\n    done\n",
    )
    code, _, stderr = _rank("b.yaml")
    assert (code, stderr) == (0, "")


def test_deep_flow_nesting_is_one_located_line(write_file: WriteFile) -> None:
    write_file("b.yaml", "- key: A\n  title: a\n  fields: {x: " + "[" * 5000 + "]" * 5000 + "}\n")
    message = _refused("b.yaml")
    assert message.startswith("b.yaml:3: invalid YAML: ")


# --- 10.B5: item limit --------------------------------------------------------------------


def test_backlogs_above_the_configured_item_limit_are_refused(write_file: WriteFile) -> None:
    write_file("backlogctl.yaml", "limits:\n  max_items: 3\n")
    write_file("a.yaml", "- {key: A, title: a}\n- {key: B, title: b}\n")
    write_file("b.yaml", "- {key: C, title: c}\n- {key: D, title: d}\n")
    code, _, stderr = _rank("a.yaml")
    assert (code, stderr) == (0, "")
    assert _refused("a.yaml", "b.yaml") == (
        "b.yaml: more than 3 items (4 so far); raise 'limits.max_items' in the config if "
        "this backlog is really that large"
    )


def test_the_item_limit_must_be_positive(write_file: WriteFile) -> None:
    write_file("backlogctl.yaml", "limits:\n  max_items: 0\n")
    write_file("a.yaml", "- {key: A, title: a}\n")
    assert _refused("a.yaml").endswith("/backlogctl.yaml:2: limits.max_items: must be 1 or more")


# --- 10.B8: errors with a line, values cut --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- key: A\n  title: a\n  rank: !!int abc\n",
            "b.yaml:3: invalid YAML: 'abc' is not a valid !!int value",
        ),
        (
            "- key: A\n  title: a\n- key: B\n  title: b\n  estimate: !!float lots\n",
            "b.yaml:5: invalid YAML: 'lots' is not a valid !!float value",
        ),
        (
            "- key: A\n  title: a\n  due: !!timestamp 2026-01-01\n",
            "b.yaml:3: invalid YAML: unknown tag '!!timestamp'",
        ),
    ],
)
def test_tag_errors_name_their_line(write_file: WriteFile, text: str, expected: str) -> None:
    write_file("b.yaml", text)
    assert _refused("b.yaml") == expected


def test_a_huge_bad_value_is_cut_in_the_message(write_file: WriteFile) -> None:
    value = "x" * 100_000
    write_file("b.yaml", f"- key: A\n  title: a\n  rank: !!int {value}\n")
    message = _refused("b.yaml")
    assert message.startswith("b.yaml:3: invalid YAML: 'xxx")
    assert len(message) < 400
    write_file("c.yaml", f"- key: A\n  title: a\n  estimate: {value}\n")
    message = _refused("c.yaml")
    assert message.startswith("c.yaml:3: item A: estimate: must be a number, got 'xxx")
    assert len(message) < 400
    write_file("d.yaml", f"- key: {value}\n  title: a\n  estimate: x\n")
    assert len(_refused("d.yaml")) < 400


def test_a_huge_duplicate_key_is_cut_in_the_message(write_file: WriteFile) -> None:
    key = "K" * 100_000
    write_file("b.yaml", f"- key: {key}\n  title: a\n- key: {key}\n  title: b\n")
    message = _refused("b.yaml")
    assert message.startswith("b.yaml:3: item KKK")
    assert message.endswith("duplicate item key (first at b.yaml:1)")
    assert len(message) < 400
