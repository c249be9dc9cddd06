"""YAML connector: file shapes, item mapping, line numbers, one-line bad-input errors."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import Config
from backlogctl.connectors import _yaml_text, limits, yaml_file
from backlogctl.connectors.yaml_file import read_yaml_sources
from backlogctl.errors import InputError

WriteFile = Callable[[str, str], Path]
runner = CliRunner()

SHOP = """\
name: Shop backlog
objectives:
  - key: O1
    title: Make checkout effortless
    key_results:
      - key: KR-1.1
        title: Raise checkout conversion
  - {key: O2, title: Help customers find things}
stakeholders: [CFO, Head of Marketing]
items:
  # Checkout
  - key: SHOP-1
    title: One-page checkout
    type: epic
    status: In QA
    created: 2026-01-05
    updated: 2026-01-10T09:30:00
    labels: checkout
    objective: KR-1.1
    description: |
      - not a list item, just text
      - that starts with dashes
    rice: {reach: 4000, impact: 2, confidence: 80, effort: 3}
    wsjf:
      business_value: 8
      time_criticality: 5
      risk_reduction: 3
      job_size: 5

  - key: SHOP-2
    title: Apple Pay
    status: Parked
    parent: SHOP-1
    estimate: 5
    rank: 2
    ice: {impact: 7, confidence: 6, ease: 4}
    fields: {revenue_impact: 12000}
    lint: {ignore: [S001], reason: waiting for legal}
  - key: SHOP-3
    title: Gift cards
    status: Done
    status_category: in_progress
    acceptance_criteria: |
      Balance shown
      Partial redemption
"""


def _read(*paths: str | Path, config: Config | None = None) -> list[str]:
    warnings: list[str] = []
    backlog = read_yaml_sources(
        [str(path) for path in paths], config or Config(), warn=warnings.append
    )
    assert backlog.warnings == warnings
    return warnings


def _error(*paths: str | Path, config: Config | None = None) -> str:
    with pytest.raises(InputError) as raised:
        read_yaml_sources([str(path) for path in paths], config or Config())
    assert raised.value.exit_code == 2
    return raised.value.render()


# --- file shapes and mapping -------------------------------------------------------------------


def test_mapping_file_is_mapped_to_items_with_lines(write_file: WriteFile) -> None:
    write_file("shop.yaml", SHOP)
    backlog = read_yaml_sources(["shop.yaml"], Config())
    first, second, third = backlog.items
    assert [str(item.source) for item in backlog.items] == [
        "shop.yaml:12",
        "shop.yaml:30",
        "shop.yaml:39",
    ]
    assert first.status_category == "in_progress"
    assert first.created == dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    assert first.updated == dt.datetime(2026, 1, 10, 9, 30, tzinfo=dt.UTC)
    assert first.labels == ["checkout"]
    assert first.description is not None and first.description.startswith("- not a list")
    assert first.rice is not None and first.rice.confidence == pytest.approx(0.8)
    assert first.wsjf is not None and first.wsjf.job_size == 5
    assert second.status_category == "todo"  # unknown status "Parked" counts as to-do
    assert second.ice is not None and second.ice.ease == 4
    assert second.fields == {"revenue_impact": 12000}
    assert second.lint is not None and second.lint.ignore == ["S001"]
    assert third.status_category == "in_progress"  # set by the item itself
    assert third.acceptance_criteria == ["Balance shown", "Partial redemption"]


def test_objectives_are_flattened_with_key_results_under_their_objective(
    write_file: WriteFile,
) -> None:
    write_file("shop.yaml", SHOP)
    objectives = read_yaml_sources(["shop.yaml"], Config()).objectives
    assert [(o.key, o.title, o.parent) for o in objectives] == [
        ("O1", "Make checkout effortless", None),
        ("KR-1.1", "Raise checkout conversion", "O1"),
        ("O2", "Help customers find things", None),
    ]


def test_a_file_with_only_objectives_has_no_items(write_file: WriteFile) -> None:
    write_file("okrs.yaml", "objectives:\n  - key: O1\n    title: Grow\n")
    backlog = read_yaml_sources(["okrs.yaml"], Config())
    assert backlog.items == []
    assert [o.key for o in backlog.objectives] == ["O1"]


def test_bare_list_and_yaml_1_2_scalars(write_file: WriteFile) -> None:
    write_file(
        "list.yaml",
        "# comment first\n- key: 123\n  title: 2024\n  status: yes\n-   key: A-2\n    title: ok\n",
    )
    items = read_yaml_sources(["list.yaml"], Config()).items
    assert [(i.key, i.title, i.status, str(i.source)) for i in items] == [
        ("123", "2024", "yes", "list.yaml:2"),
        ("A-2", "ok", "To Do", "list.yaml:5"),
    ]


def test_status_mapping_from_config_is_case_insensitive(write_file: WriteFile) -> None:
    write_file(
        "b.yaml", "- {key: A, title: a, status: PARKED}\n- {key: B, title: b, status: done}\n"
    )
    config = Config(statuses={"in_progress": ["Parked"]})
    items = read_yaml_sources(["b.yaml"], config).items
    assert [i.status_category for i in items] == ["in_progress", "done"]


def test_flow_style_items_get_exact_lines_from_the_fallback(write_file: WriteFile) -> None:
    write_file("flow.yaml", "items: [\n  {key: A, title: a},\n\n  {key: B, title: b}]\n")
    items = read_yaml_sources(["flow.yaml"], Config()).items
    assert [str(i.source) for i in items] == ["flow.yaml:2", "flow.yaml:4"]


def test_crlf_and_unindented_sequence_lines(write_file: WriteFile, workdir: Path) -> None:
    (workdir / "crlf.yaml").write_bytes(
        b"items:\r\n- key: A\r\n  title: a\r\n\r\n- key: B\r\n  title: b\r\n"
    )
    items = read_yaml_sources(["crlf.yaml"], Config()).items
    assert [str(i.source) for i in items] == ["crlf.yaml:2", "crlf.yaml:5"]


def test_directory_is_read_recursively_sorted_skipping_hidden_and_config(
    write_file: WriteFile,
) -> None:
    write_file("backlog/b.yaml", "- {key: B, title: b}\n")
    write_file("backlog/a.yml", "- {key: A, title: a}\n")
    write_file("backlog/sub/c.yaml", "- {key: C, title: c}\n")
    write_file("backlog/.hidden/h.yaml", "- {key: H, title: h}\n")
    write_file("backlog/.h.yaml", "- {key: H2, title: h}\n")
    write_file("backlog/backlogctl.yaml", "strict: true\n")
    write_file("backlog/notes.txt", "not yaml\n")
    items = read_yaml_sources(["backlog/"], Config()).items
    assert [str(i.source) for i in items] == [
        "backlog/a.yml:1",
        "backlog/b.yaml:1",
        "backlog/sub/c.yaml:1",
    ]


def test_unknown_item_field_is_a_warning_with_its_line(write_file: WriteFile) -> None:
    write_file(
        "u.yaml", "items:\n  - key: SHOP-1\n    title: t\n    foo: 1\n  - {key: SHOP-2, title: u}\n"
    )
    warnings = _read("u.yaml")
    assert warnings == ["u.yaml:4: item SHOP-1: unknown field 'foo'"]


def test_unknown_nested_input_is_a_warning_and_is_dropped(write_file: WriteFile) -> None:
    write_file(
        "t.yaml",
        "- key: A\n  title: y\n  rice:\n    reach: 10\n    reech: 2\n"
        "  lint: {ignore: [S001], why: x}\n",
    )
    warnings: list[str] = []
    backlog = read_yaml_sources(["t.yaml"], Config(), warn=warnings.append)
    assert warnings == [
        "t.yaml:5: item A: unknown field 'rice.reech'",
        "t.yaml:6: item A: unknown field 'lint.why'",
    ]
    item = backlog.items[0]
    assert item.rice is not None and item.rice.reach == 10
    assert item.lint is not None and item.lint.ignore == ["S001"]
    strict = Config(strict=True)
    with pytest.raises(InputError, match=r"t.yaml:5: item A: unknown field 'rice.reech'"):
        read_yaml_sources(["t.yaml"], strict)


def test_a_file_named_twice_is_read_once(write_file: WriteFile) -> None:
    write_file("dir/a.yaml", "- {key: A-1, title: a}\n")
    backlog = read_yaml_sources(["dir/a.yaml", "dir", "./dir/a.yaml"], Config())
    assert [item.key for item in backlog.items] == ["A-1"]
    assert _error("-", "-") == "'-' (standard input) can be given only once"


def test_quoted_dates_stay_text(write_file: WriteFile) -> None:
    write_file(
        "q.yaml",
        '- {key: A-1, title: "2026-01-15", status: "2026-01-01", created: 2026-01-05}\n',
    )
    item = read_yaml_sources(["q.yaml"], Config()).items[0]
    assert (item.title, item.status) == ("2026-01-15", "2026-01-01")
    assert item.created == dt.datetime(2026, 1, 5, tzinfo=dt.UTC)


def test_unknown_item_field_is_an_error_under_strict(write_file: WriteFile) -> None:
    write_file("u.yaml", "items:\n  - key: SHOP-1\n    title: t\n    foo: 1\n")
    message = _error("u.yaml", config=Config(strict=True))
    assert message == "u.yaml:4: item SHOP-1: unknown field 'foo' (strict mode)"


def test_unknown_top_level_key_is_a_warning(write_file: WriteFile) -> None:
    write_file("t.yaml", "items: []\nowner: team-a\n")
    assert _read("t.yaml") == ["t.yaml:2: unknown top-level key 'owner'"]


# --- bad input: one line, file:line, exit 2 ---------------------------------------------------

BAD_INPUTS: dict[str, tuple[str, str]] = {
    "malformed": (
        "items:\n  - key: A\n    title: [x\n",
        "bad.yaml:3: invalid YAML: unclosed bracket '[' (column 12)",
    ),
    "bad-indent": (
        "items:\n  - key: A\n   title: x\n",
        "bad.yaml:3: invalid YAML: while parsing a block collection, "
        "did not find expected '-' indicator (column 4)",
    ),
    "non-mapping-item": (
        "items:\n  - key: A\n    title: x\n  - just text\n",
        "bad.yaml:4: item 2: expected a mapping of fields, got text 'just text'",
    ),
    "missing-key": (
        "items:\n  - key: A\n    title: x\n  - title: y\n",
        "bad.yaml:4: item 2: missing required field 'key'",
    ),
    "missing-title": (
        "- key: SHOP-7\n  status: Done\n",
        "bad.yaml:1: item SHOP-7: missing required field 'title'",
    ),
    "empty-title": ("- {key: A, title: ''}\n", "bad.yaml:1: item A: title: must not be empty"),
    "duplicate-item-key": (
        "items:\n  - key: A\n    title: x\n  - key: A\n    title: y\n",
        "bad.yaml:4: item A: duplicate item key (first at bad.yaml:2)",
    ),
    "duplicate-mapping-key": (
        "items:\n  - key: A\n    title: x\n    rice:\n      reach: 1\n    title: z\n",
        "bad.yaml:6: invalid YAML: duplicate key 'title' in a mapping (first at line 3)",
    ),
    "text-for-number": (
        "items:\n  - key: A\n    title: x\n  - key: SHOP-3\n    title: y\n"
        "    rice:\n      impact: 2\n      reach: lots\n",
        "bad.yaml:8: item SHOP-3: rice.reach: must be a number, got 'lots'",
    ),
    "text-for-number-flow": (
        "- {key: SHOP-3, title: y, rice: {reach: lots}}\n",
        "bad.yaml:1: item SHOP-3: rice.reach: must be a number, got 'lots'",
    ),
    "whole-number": (
        "- key: A\n  title: y\n  rank: 1.5\n",
        "bad.yaml:3: item A: rank: must be a whole number, got 1.5",
    ),
    "bad-date": (
        "- key: A\n  title: y\n  created: tomorrow\n",
        "bad.yaml:3: item A: created: must be a date like 2026-01-31 or a date-time, "
        "got 'tomorrow'",
    ),
    "negative-estimate": (
        "- key: A\n  title: y\n  estimate: -3\n",
        "bad.yaml:3: item A: estimate: must be 0 or more, got -3",
    ),
    "negative-rank": (
        "- key: A\n  title: y\n  rank: -1\n",
        "bad.yaml:3: item A: rank: must be 0 or more, got -1",
    ),
    "number-for-date": (
        "- key: A\n  title: y\n  created: 2024\n",
        "bad.yaml:3: item A: created: must be a date like 2026-01-31 or a date-time, got 2024",
    ),
    "not-a-number": (
        "- key: A\n  title: y\n  rice: {reach: .nan}\n",
        "bad.yaml:3: item A: rice.reach: must be a finite number, got nan",
    ),
    "infinite-estimate": (
        "- key: A\n  title: y\n  estimate: .inf\n",
        "bad.yaml:3: item A: estimate: must be a finite number, got inf",
    ),
    "bad-status-category": (
        "- key: A\n  title: y\n  status_category: later\n",
        "bad.yaml:3: item A: status_category: must be 'todo', 'in_progress' or 'done', got 'later'",
    ),
    "list-for-mapping": (
        "- key: A\n  title: y\n  wsjf: [1, 2]\n",
        "bad.yaml:3: item A: wsjf: must be a mapping, got a list",
    ),
    "empty-file": ("", "bad.yaml:1: empty file: expected 'items:' or a list of items"),
    "comments-only": ("# todo\n", "bad.yaml:1: empty file: expected 'items:' or a list of items"),
    "single-item": (
        "key: A\ntitle: x\n",
        "bad.yaml:1: expected 'items:' or a list of items; this looks like a single item",
    ),
    "scalar-document": (
        "hello\n",
        "bad.yaml:1: expected 'items:' or a list of items, got text 'hello'",
    ),
    "items-not-a-list": (
        "name: x\nitems: 3\n",
        "bad.yaml:2: 'items' must be a list of items, got int 3",
    ),
    "second-document": (
        "- {key: A, title: a}\n---\n- {key: B, title: b}\n",
        "bad.yaml:2: a second YAML document ('---'): put one backlog per file",
    ),
    "objective-without-key": (
        "objectives:\n  - title: Grow\nitems: []\n",
        "bad.yaml:2: each objective needs a 'key' (and a 'title')",
    ),
    "unknown-alias": (
        "- key: A\n  title: *nowhere\n",
        "bad.yaml:2: invalid YAML: while parsing node, found unknown anchor (column 10)",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_exit_2_and_nothing_on_stdout(
    case: str, write_file: WriteFile
) -> None:
    text, expected = BAD_INPUTS[case]
    write_file("bad.yaml", text)
    result = runner.invoke(app, ["rank", "bad.yaml", "--format", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"backlogctl: error: {expected}\n"


def test_duplicate_keys_across_files_name_both_locations(write_file: WriteFile) -> None:
    write_file("a.yaml", "- {key: SHOP-1, title: a}\n")
    write_file("b.yaml", "# second file\n- {key: SHOP-1, title: again}\n")
    assert (
        _error("a.yaml", "b.yaml")
        == "b.yaml:2: item SHOP-1: duplicate item key (first at a.yaml:1)"
    )


def test_missing_file_and_empty_directory(write_file: WriteFile, workdir: Path) -> None:
    assert _error("nope.yaml") == "nope.yaml: file not found"
    write_file("docs/readme.md", "# no backlog here\n")
    assert _error("docs") == "docs: no backlog files (*.yaml, *.yml) in this directory"


def test_binary_and_non_utf8_files(workdir: Path) -> None:
    (workdir / "bin.yaml").write_bytes(bytes(range(256)) * 4)
    assert _error("bin.yaml") == "bin.yaml: binary file, not YAML text"
    (workdir / "latin1.yaml").write_bytes(b"- key: A\n  title: caf\xe9\n")
    assert _error("latin1.yaml") == "latin1.yaml:2: not UTF-8 text (invalid byte 0xe9)"


def test_utf8_bom_is_accepted(workdir: Path) -> None:
    (workdir / "bom.yaml").write_bytes("\ufeff- {key: A, title: Café}\n".encode())
    items = read_yaml_sources(["bom.yaml"], Config()).items
    assert [(i.title, str(i.source)) for i in items] == [("Café", "bom.yaml:1")]


def test_huge_single_line_is_refused_fast(workdir: Path) -> None:
    (workdir / "huge.yaml").write_text("items: [" + "1," * 10_000_000 + "1]\n", encoding="utf-8")
    started = time.perf_counter()
    message = _error("huge.yaml")
    assert time.perf_counter() - started < 2
    assert message == "huge.yaml:1: line longer than 1024 KB; not a backlog file"


def test_oversized_file_is_refused_before_parsing(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    (workdir / "big.yaml").write_text("- {key: A, title: a}\n" * 100, encoding="utf-8")
    assert _error("big.yaml") == "big.yaml: file larger than 0 MB; split it"


def _alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\nitems: []\n"


def test_alias_bomb_is_a_fast_bounded_error(write_file: WriteFile) -> None:
    write_file("bomb.yaml", _alias_bomb())
    started = time.perf_counter()
    message = _error("bomb.yaml")
    assert time.perf_counter() - started < 2
    assert message == (
        "bomb.yaml:2: invalid YAML: aliases expand to more than 1000000 nodes (an alias bomb?)"
    )


def test_stdin_is_named_in_locations(workdir: Path) -> None:
    result = runner.invoke(
        app, ["rank", "-", "--format", "json"], input="- {key: A, title: a}\n- {key: A, title: b}\n"
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "backlogctl: error: <stdin>:2: item A: duplicate item key (first at <stdin>:1)\n"
    )


def test_unknown_field_warning_goes_to_stderr_and_rank_still_runs(write_file: WriteFile) -> None:
    write_file("w.yaml", "- key: SHOP-1\n  title: t\n  foo: bar\n")
    result = runner.invoke(app, ["rank", "w.yaml", "--format", "json"])
    assert result.exit_code == 0
    assert '"SHOP-1"' in result.stdout
    assert result.stderr == "backlogctl: warning: w.yaml:3: item SHOP-1: unknown field 'foo'\n"


def test_strict_config_turns_unknown_fields_into_exit_2(write_file: WriteFile) -> None:
    write_file("backlogctl.yaml", "strict: true\n")
    write_file("w.yaml", "- key: SHOP-1\n  title: t\n  foo: bar\n")
    result = runner.invoke(app, ["rank", "w.yaml", "--format", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "backlogctl: error: w.yaml:3: item SHOP-1: unknown field 'foo' (strict mode)\n"
    )


# --- the real console script ------------------------------------------------------------------


def _backlogctl(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("backlogctl")
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [str(script), *args], cwd=cwd, capture_output=True, text=True, timeout=60, env=env
    )


@pytest.mark.slow
def test_console_script_reports_bad_input_without_traceback(write_file: WriteFile) -> None:
    bomb = write_file("bomb.yaml", _alias_bomb())
    write_file("bad.yaml", "- key: SHOP-3\n  title: y\n  rice: {reach: lots}\n")
    result = _backlogctl("rank", "bad.yaml", "--format", "json", cwd=bomb.parent)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "backlogctl: error: bad.yaml:3: item SHOP-3: rice.reach: must be a number, got 'lots'\n"
    )
    result = _backlogctl("rank", "bomb.yaml", "--format", "json", cwd=bomb.parent)
    assert (result.returncode, result.stdout) == (2, "")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.slow
def test_console_script_refuses_a_20_mb_line(workdir: Path) -> None:
    (workdir / "line.yaml").write_text("- key: A\n  title: " + "x" * 20_000_000 + "\n")
    result = _backlogctl("rank", "line.yaml", "--format", "json", cwd=workdir)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "backlogctl: error: line.yaml:2: line longer than 1024 KB; not a backlog file\n"
    )


# --- the line scan ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bare_list", "expected"),
    [
        ("items:\n  - a: 1\n  # note\n  - b: 2\n", False, [2, 4]),
        (
            "name: x\nitems:  # the list\n\n    - a: 1\n      c: |\n        - text\n    - b\n",
            False,
            [4, 7],
        ),
        ("---\n- a\n-\n  - nested\n- c\n", True, [2, 3, 5]),
        ("items: [a, b]\n", False, None),
        # Another list at the same indent after the items: its entries are not items.
        ("items:\n  - a: 1\n  - b: 2\nobjectives:\n  - key: O\n  - key: P\n", False, [2, 3]),
        ("items:\n- a: 1\nname: x\nextra:\n- c\n", False, [2]),
    ],
)
def test_item_lines(text: str, bare_list: bool, expected: list[int] | None) -> None:
    count = len(expected) if expected else 2
    assert _yaml_text.item_lines(text, count, bare_list=bare_list) == expected


def test_errors_and_duplicates_deep_in_a_long_file_point_at_the_right_line(
    write_file: WriteFile,
) -> None:
    items = [f"  - key: SHOP-{n}\n    title: t{n}\n" for n in range(1, 4501)]
    items[4200] = "  - key: SHOP-4201\n    title: t\n    estimate: big\n"
    write_file("long.yaml", "items:\n" + "".join(items))
    assert _error("long.yaml") == (
        "long.yaml:8404: item SHOP-4201: estimate: must be a number, got 'big'"
    )
    items[4200] = "  - key: SHOP-7\n    title: again\n"
    write_file("long.yaml", "items:\n" + "".join(items))
    assert _error("long.yaml") == (
        "long.yaml:8402: item SHOP-7: duplicate item key (first at long.yaml:14)"
    )


def test_a_bad_custom_field_is_one_problem_not_one_per_union_member(write_file: WriteFile) -> None:
    write_file("f.yaml", "- key: A\n  title: t\n  fields:\n    revenue: 1\n    churn: [1, 2]\n")
    assert (
        _error("f.yaml") == "f.yaml:5: item A: fields.churn: must be a number or text, got a list"
    )


def test_merge_keys_share_defaults_between_items(write_file: WriteFile) -> None:
    write_file(
        "m.yaml",
        "x-defaults: &defaults {status: In Progress, labels: [checkout], estimate: 3}\n"
        "x-team: &team {assignee: ana, estimate: 5}\n"
        "items:\n"
        "  - <<: *defaults\n    key: A\n    title: a\n    estimate: 8\n"
        "  - <<: [*team, *defaults]\n    key: B\n    title: b\n",
    )
    items = read_yaml_sources(["m.yaml"], Config(), warn=pytest.fail).items
    assert [(i.key, i.status_category, i.labels, i.estimate, i.assignee) for i in items] == [
        ("A", "in_progress", ["checkout"], 8, None),
        ("B", "in_progress", ["checkout"], 5, "ana"),
    ]
    write_file("m.yaml", "- {<<: 3, key: A, title: a}\n")
    assert _error("m.yaml") == "m.yaml:1: item A: '<<' must merge a mapping or a list of mappings"


def test_big_flow_style_file_points_items_at_the_list(
    write_file: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yaml_file, "_SLOW_LINES_MAX_CHARS", 10)
    write_file("flow.yaml", "name: x\nitems: [\n  {key: A, title: a},\n  {key: B, title: b}]\n")
    items = read_yaml_sources(["flow.yaml"], Config()).items
    assert [str(i.source) for i in items] == ["flow.yaml:2", "flow.yaml:2"]
