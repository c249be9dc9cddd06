"""``rank`` filters: objectives cover their key results; a value no item has is noted on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.filters import ItemFilter
from backlogctl.models import BacklogItem, Objective

runner = CliRunner()

BACKLOG = """\
objectives:
  - key: O1
    title: Effortless checkout
    key_results:
      - {key: KR-1.1, title: Conversion}
      - {key: KR-1.2, title: Mobile conversion}
  - key: O2
    title: Findability
    key_results: [{key: KR-2.1}]
  - key: O2-mobile
    parent: O2
    key_results: [{key: KR-2.9}]
items:
  - {key: SHOP-1, title: Checkout epic, type: epic, objective: KR-1.1, labels: [checkout]}
  - {key: SHOP-2, title: Guest checkout, parent: SHOP-1, assignee: Ana,
     rice: {reach: 10, impact: 1, confidence: 80, effort: 1}}
  - {key: SHOP-3, title: Apple Pay, objective: KR-1.2, type: bug,
     rice: {reach: 20, impact: 1, confidence: 80, effort: 1}}
  - {key: SHOP-4, title: Search typos, objective: KR-2.1,
     rice: {reach: 30, impact: 1, confidence: 80, effort: 1}}
  - {key: SHOP-5, title: Mobile search, objective: KR-2.9,
     rice: {reach: 40, impact: 1, confidence: 80, effort: 1}}
  - {key: SHOP-6, title: Linked to the objective itself, objective: O1,
     rice: {reach: 50, impact: 1, confidence: 80, effort: 1}}
"""


@pytest.fixture
def backlog(workdir: Path) -> Path:
    path = workdir / "backlog.yaml"
    path.write_text(BACKLOG, encoding="utf-8")
    return path


def _ranked_keys(stdout: str) -> list[str]:
    document = json.loads(stdout)
    return sorted(
        [entry["key"] for entry in document["items"]]
        + [entry["key"] for entry in document["unscored"]]
    )


def _rank(*options: str) -> tuple[list[str], str]:
    result = runner.invoke(app, ["rank", "backlog.yaml", "--format", "json", *options])
    assert result.exit_code == 0, result.output
    return _ranked_keys(result.stdout), result.stderr


@pytest.mark.usefixtures("backlog")
@pytest.mark.parametrize(
    ("objective", "keys"),
    [
        ("O1", ["SHOP-1", "SHOP-2", "SHOP-3", "SHOP-6"]),  # its key results, inherited too
        ("o1", ["SHOP-1", "SHOP-2", "SHOP-3", "SHOP-6"]),
        ("KR-1.1", ["SHOP-1", "SHOP-2"]),
        ("O2", ["SHOP-4", "SHOP-5"]),  # through the sub-objective O2-mobile as well
        ("O2-mobile", ["SHOP-5"]),
    ],
)
def test_an_objective_keeps_the_work_on_its_key_results(objective: str, keys: list[str]) -> None:
    assert _rank("--objective", objective) == (keys, "")


@pytest.mark.usefixtures("backlog")
def test_a_declared_objective_without_items_is_an_empty_answer_not_a_typo() -> None:
    result = runner.invoke(
        app, ["rank", "backlog.yaml", "-f", "json", "--objective", "KR-1.2", "--type", "task"]
    )
    assert (result.exit_code, result.stderr) == (0, "")


@pytest.mark.usefixtures("backlog")
@pytest.mark.parametrize(
    ("options", "note"),
    [
        (["--type", "storyy"], "no item has type 'storyy' (did you mean 'story'?)"),
        (["--type", "Bugg"], "no item has type 'Bugg' (did you mean 'bug'?)"),
        (["--label", "chekout"], "no item has label 'chekout' (did you mean 'checkout'?)"),
        (["--assignee", "Anna"], "no item is assigned to 'Anna' (did you mean 'Ana'?)"),
        (["--objective", "KR-1.3"], "no item serves objective 'KR-1.3' (did you mean"),
        (["--objective", "Q7"], "no item serves objective 'Q7'\n"),
    ],
)
def test_a_value_no_item_has_is_noted_on_stderr_with_close_matches(
    options: list[str], note: str
) -> None:
    keys, stderr = _rank(*options)
    assert keys == []
    assert stderr.startswith(f"backlogctl: note: {note}")
    assert stderr.count("\n") == 1


@pytest.mark.usefixtures("backlog")
def test_each_unknown_value_gets_its_own_note_and_known_ones_none() -> None:
    keys, stderr = _rank("--type", "story", "--type", "sotry", "--label", "nope")
    assert keys == []  # different options must all hold: no item has label "nope"
    assert stderr == (
        "backlogctl: note: no item has label 'nope'\n"
        "backlogctl: note: no item has type 'sotry' (did you mean 'story'?)\n"
    )


@pytest.mark.usefixtures("backlog")
def test_a_note_shows_control_characters_escaped() -> None:
    keys, stderr = _rank("--label", "x\n::error file=README.md::pwned\x1b[31m")
    assert keys == []
    assert stderr == (
        "backlogctl: note: no item has label 'x\\n::error file=README.md::pwned\\x1b[31m'\n"
    )


def test_objectives_declared_in_the_config_cover_their_key_results(workdir: Path) -> None:
    (workdir / "backlog.yaml").write_text(
        "items:\n  - {key: A-1, title: T, objective: KR-7, "
        "rice: {reach: 1, impact: 1, confidence: 50, effort: 1}}\n",
        encoding="utf-8",
    )
    (workdir / "backlogctl.yaml").write_text(
        "objectives:\n  - {key: O7, key_results: [{key: KR-7}]}\n", encoding="utf-8"
    )
    assert _rank("--objective", "O7") == (["A-1"], "")


def test_apply_keeps_its_old_call_without_objectives() -> None:
    items = [BacklogItem(key="A-1", title="T", objective="KR-1")]
    objectives = [Objective.model_validate({"key": "O", "key_results": [{"key": "KR-1"}]})]
    assert ItemFilter(objectives=["O"]).apply(items) == []
    assert ItemFilter(objectives=["O"]).apply(items, objectives) == items
