"""H010: an open item names a stakeholder nobody declared (silent when none is declared)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from backlogctl.cli.app import app
from conftest import WriteFile

runner = CliRunner()

ITEMS = """\
items:
  - {key: A-1, title: Landing page, stakeholders: [Marketting, marketing, Sales, sales]}
  - {key: A-2, title: Old report, status: Done, stakeholders: [Nobody]}
"""


def _h010(*args: str) -> list[tuple[str, str]]:
    result = runner.invoke(app, ["lint", *args, "--select", "H010", "--format", "json"])
    assert result.exit_code == 0, result.output
    return [(f["key"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_each_undeclared_name_once_per_item_with_a_close_match(write_file: WriteFile) -> None:
    write_file("b.yaml", "stakeholders: [{name: Marketing, influence: high}]\n" + ITEMS)
    assert _h010("b.yaml") == [
        ("A-1", "stakeholder 'Marketting' is not declared (did you mean 'Marketing'?)"),
        ("A-1", "stakeholder 'Sales' is not declared"),
    ]


def test_declarations_in_the_config_count(write_file: WriteFile) -> None:
    write_file("backlogctl.yaml", "stakeholders: [Marketing, Marketting, SALES]\n")
    write_file("b.yaml", ITEMS)
    assert _h010("b.yaml") == []


def test_silent_when_no_stakeholder_is_declared(write_file: WriteFile) -> None:
    write_file("b.yaml", ITEMS)
    assert _h010("b.yaml") == []
