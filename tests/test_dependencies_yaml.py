"""``depends_on`` in backlog files: accepted shapes, malformed values, self-dependencies; and
the top-level ``dependency_statuses`` of work tracked outside the backlog."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config
from backlogctl.connectors.yaml_file import read_yaml_sources
from backlogctl.errors import InputError
from backlogctl.models import BacklogItem

WriteFile = Callable[[str, str], Path]
runner = CliRunner()


def _backlog(depends_on: str) -> str:
    return (
        "items:\n"
        "  - key: SHOP-1\n"
        "    title: Guest checkout\n"
        f"    depends_on: {depends_on}\n"
        "  - key: SHOP-2\n"
        "    title: Address lookup\n"
    )


def _first(write_file: WriteFile, depends_on: str, config: Config | None = None) -> BacklogItem:
    write_file("b.yaml", _backlog(depends_on))
    return read_yaml_sources(["b.yaml"], config or Config()).items[0]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("[SHOP-2, OPS-7]", ["SHOP-2", "OPS-7"]),
        ("SHOP-2", ["SHOP-2"]),
        ("null", []),
        ("[]", []),
        ("[SHOP-2, SHOP-2]", ["SHOP-2"]),
        ("[12, 2026-01-31]", ["12", "2026-01-31"]),
        ("\n      - SHOP-2\n      - OPS-7", ["SHOP-2", "OPS-7"]),
    ],
)
def test_accepted_shapes(write_file: WriteFile, written: str, expected: list[str]) -> None:
    assert _first(write_file, written).depends_on == expected


def test_without_the_field_an_item_depends_on_nothing(write_file: WriteFile) -> None:
    path = write_file("b.yaml", "- key: A\n  title: Alone\n")
    assert read_yaml_sources([str(path)], Config()).items[0].depends_on == []


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("{key: SHOP-2}", "depends_on: must be a list, got a mapping"),
        ("true", "depends_on: must be a list, got True"),
        ("[SHOP-2, {key: X}]", "depends_on.1: must be text, got a mapping"),
        ("[SHOP-2, null]", "depends_on.1: must be text, got None"),
        ("[SHOP-2, '']", "depends_on.1: must not be empty"),
        ('["SHOP-2\\n::error ::x"]', "depends_on: control characters are not allowed"),
    ],
)
def test_malformed_is_one_line_with_file_line_and_exit_2(
    write_file: WriteFile, written: str, problem: str
) -> None:
    write_file("b.yaml", _backlog(written))
    result = runner.invoke(app, ["rank", "b.yaml", "--format", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"backlogctl: error: b.yaml:4: item SHOP-1: {problem}")
    assert result.stderr.count("\n") == 1


def test_a_self_dependency_is_a_warning_and_dropped(write_file: WriteFile) -> None:
    write_file("b.yaml", _backlog("[SHOP-1, SHOP-2]"))
    result = runner.invoke(app, ["rank", "b.yaml", "--format", "json"])
    assert result.exit_code == 0
    assert result.stderr == (
        "backlogctl: warning: b.yaml:4: item SHOP-1: depends_on names the item itself\n"
    )
    warnings: list[str] = []
    write_file("b.yaml", _backlog("SHOP-1"))
    item = read_yaml_sources(["b.yaml"], Config(), warn=warnings.append).items[0]
    assert item.depends_on == []
    assert warnings == ["b.yaml:4: item SHOP-1: depends_on names the item itself"]


def test_a_self_dependency_is_an_error_under_strict(write_file: WriteFile) -> None:
    with pytest.raises(InputError) as raised:
        _first(write_file, "[SHOP-1]", Config(strict=True))
    assert raised.value.render() == (
        "b.yaml:4: item SHOP-1: depends_on names the item itself (strict mode)"
    )
    assert raised.value.exit_code == 2


def test_depends_on_is_in_the_item_json_and_round_trips() -> None:
    item = BacklogItem(key="A", title="t", depends_on=["B", "C"])
    assert item.model_dump(mode="json")["depends_on"] == ["B", "C"]
    assert BacklogItem.model_validate(item.model_dump(mode="json")) == item


# --- dependency_statuses: work tracked outside the backlog ---------------------------------------

OUTSIDE = """\
dependency_statuses:
  OPS-7: done
  OPS-8: In Progress     # a workflow status the config maps
  OPS-9: todo
items:
  - key: SHOP-1
    title: Guest checkout
    depends_on: [OPS-7, OPS-8, OPS-9, OPS-10]
"""


def test_dependency_statuses_resolve_keys_outside_the_backlog(write_file: WriteFile) -> None:
    write_file("b.yaml", OUTSIDE)
    backlog = read_yaml_sources(["b.yaml"], Config())
    assert backlog.dependency_statuses == {"OPS-7": "done", "OPS-8": "in_progress", "OPS-9": "todo"}
    result = runner.invoke(app, ["lint", "b.yaml", "--select", "H007", "--format", "json"])
    assert [finding["message"] for finding in json.loads(result.stdout)["findings"]] == [
        "depends on OPS-10, which is not in the backlog"
    ]


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("[OPS-7]", "'dependency_statuses' must map keys to statuses, got a list"),
        ("{OPS-7: Dnoe}", "dependency_statuses: OPS-7: unknown status 'Dnoe' (a status"),
        ("{OPS-7: 3}", "dependency_statuses: OPS-7: unknown status 3 (a status"),
        ("{true: done}", "dependency_statuses: True is not an item key"),
    ],
)
def test_bad_dependency_statuses_are_one_line_and_exit_2(
    write_file: WriteFile, written: str, problem: str
) -> None:
    write_file("b.yaml", f"items: []\ndependency_statuses: {written}\n")
    result = runner.invoke(app, ["rank", "b.yaml"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"backlogctl: error: b.yaml:2: {problem}")


def test_two_files_disagreeing_on_a_status_is_an_error(write_file: WriteFile) -> None:
    write_file("a.yaml", "dependency_statuses: {OPS-7: done}\nitems: []\n")
    write_file("b.yaml", "dependency_statuses: {OPS-7: todo, OPS-8: done}\nitems: []\n")
    write_file("c.yaml", "dependency_statuses: {OPS-8: Done}\nitems: []\n")
    assert read_yaml_sources(["a.yaml", "c.yaml"], Config()).dependency_statuses == {
        "OPS-7": "done",
        "OPS-8": "done",
    }
    with pytest.raises(InputError) as raised:
        read_yaml_sources(["a.yaml", "b.yaml"], Config())
    assert raised.value.render() == (
        "b.yaml:1: dependency_statuses: OPS-7 is todo here but done in another file"
    )
