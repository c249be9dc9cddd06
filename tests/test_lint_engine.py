"""The lint engine: selection, severities, overrides, config errors, baseline, crash isolation."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from backlogctl.config import Config, load_config
from backlogctl.errors import ConfigError, InputError
from backlogctl.lint.baseline import baseline_from, read_baseline, render_baseline
from backlogctl.lint.context import LintContext
from backlogctl.lint.engine import Selection, lint_backlog
from backlogctl.lint.registry import RULES, build_registry
from backlogctl.lint.result import LintResult
from backlogctl.lint.rule import NoOptions, Rule, Violation
from backlogctl.models import Backlog, BacklogItem, SourceLocation

AS_OF = dt.datetime(2026, 11, 25, 23, 59, 59, tzinfo=dt.UTC)


_TITLES = {
    "SHOP-1": "Gift wrapping at checkout",
    "SHOP-2": "Coupon rounding error on invoices",
    "SHOP-3": "Archive expired promotions nightly",
    "SHOP-9": "Loyalty programme launch",
}


def item(key: str, **fields: Any) -> BacklogItem:
    """An item at line = its number in ``backlog/main.yaml``."""
    fields.setdefault("title", _TITLES[key])
    fields.setdefault("source", SourceLocation(file="backlog/main.yaml", line=int(key[5:])))
    return BacklogItem(key=key, **fields)


ITEMS = [
    item("SHOP-1", updated="2026-01-01", type="story"),  # S001 D001 D002 H001 H003 E003
    item("SHOP-2", type="bug", status="Ready", updated="2026-11-20"),  # D001 E001 E003 H003
]


def lint(
    config: dict[str, Any] | None = None,
    selection: Selection | None = None,
    items: Sequence[BacklogItem] = ITEMS,
    **kwargs: Any,
) -> LintResult:
    """Lint ``items`` with a config made from ``config``."""
    return lint_backlog(
        Backlog(items=list(items)),
        Config.model_validate(config or {}),
        as_of=AS_OF,
        selection=selection,
        **kwargs,
    )


def codes(result: LintResult) -> list[str]:
    """``KEY:CODE`` of each finding, in output order."""
    return [f"{entry.key}:{entry.code}" for entry in result.entries]


def test_default_runs_every_rule_and_sorts_by_file_line_code() -> None:
    assert codes(lint()) == [
        "SHOP-1:D001",
        "SHOP-1:D002",
        "SHOP-1:E003",
        "SHOP-1:H001",
        "SHOP-1:H003",
        "SHOP-1:S001",
        "SHOP-2:D001",
        "SHOP-2:E001",
        "SHOP-2:E003",
        "SHOP-2:H003",
    ]


def test_select_by_prefix_and_ignore_by_code() -> None:
    result = lint({"lint": {"select": ["D", "S"], "ignore": ["D002"]}})
    assert codes(result) == ["SHOP-1:D001", "SHOP-1:S001", "SHOP-2:D001"]


def test_the_most_specific_of_select_and_ignore_wins() -> None:
    result = lint({"lint": {"select": ["H001"], "ignore": ["H"]}})
    assert codes(result) == ["SHOP-1:H001"]


def test_command_line_select_replaces_and_extend_select_adds() -> None:
    config = {"lint": {"select": ["D"], "extend_select": ["S001"]}}
    assert codes(lint(config, Selection(select=("e001",)))) == ["SHOP-1:S001", "SHOP-2:E001"]
    assert codes(lint(config, Selection(ignore=("D",), extend_select=("H001",)))) == [
        "SHOP-1:H001",
        "SHOP-1:S001",
    ]


def test_severity_by_prefix_with_the_most_specific_winning() -> None:
    result = lint({"lint": {"select": ["D"], "severity": {"D": "info", "D001": "error"}}})
    assert [(entry.code, entry.severity) for entry in result.entries] == [
        ("D001", "error"),
        ("D002", "info"),
        ("D001", "error"),
    ]


def test_override_by_type_ignores_rules_for_bugs() -> None:
    config = {"lint": {"select": ["E003"], "overrides": [{"types": ["Bug"], "ignore": ["E"]}]}}
    assert codes(lint(config)) == ["SHOP-1:E003"]


def test_override_by_path_changes_options() -> None:
    other = item("SHOP-3", updated="2026-10-01", source=SourceLocation(file="old/x.yaml", line=3))
    config = {
        "lint": {
            "select": ["S001"],
            "rules": {"S001": {"days": 30}},
            "overrides": [{"paths": ["old/*"], "rules": {"S001": {"days": 365}}}],
        }
    }
    assert codes(lint(config, items=[*ITEMS, other])) == ["SHOP-1:S001"]


def test_result_summary_statistics_and_exit_codes() -> None:
    result = lint({"lint": {"select": ["S001", "H001"], "severity": {"S001": "error"}}})
    assert result.summary() == {"error": 1, "warning": 0, "info": 1}
    assert [(rule.code, count) for rule, count in result.statistics()] == [("H001", 1), ("S001", 1)]
    assert [result.exit_code(level) for level in ("error", "warning", "info", "never")] == [
        1,
        1,
        1,
        0,
    ]


def _write_config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "backlogctl.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("lint:\n  select: [S, X9]\n", "lint.select: unknown rule code or prefix 'X9'", 2),
        ("lint:\n  ignore: [S0011]\n", "lint.ignore: unknown rule code or prefix 'S0011'", 2),
        ("lint:\n  rules:\n    S999: {days: 3}\n", "lint.rules: unknown rule code 'S999'", 3),
        (
            "lint:\n  rules:\n    S001:\n      days: -1\n",
            "lint.rules.S001.days: Input should be greater than or equal to 0",
            4,
        ),
        (
            "lint:\n  rules:\n    S001:\n      days: soon\n",
            "lint.rules.S001.days: Input should be a valid integer",
            4,
        ),
        (
            "lint:\n  rules:\n    S001:\n      dayz: 3\n",
            "lint.rules.S001.dayz: unknown option (options of S001: days)",
            4,
        ),
        (
            "lint:\n  overrides:\n    - types: [bug]\n"
            "      rules:\n        E002: {max_points: -2}\n",
            "lint.overrides.0.rules.E002.max_points: Input should be greater than or equal to 0",
            5,
        ),
        ("lint:\n  severity:\n    Q1: error\n", "lint.severity.Q1: unknown rule code or prefix", 3),
        (
            "lint:\n  rules:\n    W003:\n      model: rise\n",
            "lint.rules.W003.model: unknown model 'rise'; available: rice, wsjf, ice",
            4,
        ),
    ],
)
def test_bad_lint_config_is_a_config_error_with_file_and_line(
    tmp_path: Path, text: str, message: str, line: int
) -> None:
    config = _write_config(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        lint_backlog(Backlog(items=ITEMS), config, as_of=AS_OF)
    assert caught.value.exit_code == 2
    assert message in caught.value.message
    assert caught.value.location == f"{config.path}:{line}"


def test_unknown_code_on_the_command_line_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"--select: unknown rule code or prefix 'S01X'"):
        lint(selection=Selection(select=("S01X",)))


def test_baseline_hides_known_findings_and_survives_unrelated_edits(tmp_path: Path) -> None:
    first = lint()
    path = tmp_path / "baseline.json"
    path.write_text(
        render_baseline(
            baseline_from((e.code, e.key, e.fingerprint, e.message) for e in first.entries)
        ),
        encoding="utf-8",
    )
    # Another day, items moved down the file, an unrelated item edited, a new item added.
    moved = [
        it.model_copy(update={"source": SourceLocation(file="backlog/main.yaml", line=40 + n)})
        for n, it in enumerate(ITEMS)
    ]
    moved[1] = moved[1].model_copy(update={"description": "Now it has a real description."})
    new = item("SHOP-9", updated="2026-01-01", type="epic", description="A brand new epic here")
    later = AS_OF + dt.timedelta(days=30)
    result = lint_backlog(
        Backlog(items=[*moved, new]), Config(), as_of=later, baseline=read_baseline(path)
    )
    assert codes(result) == ["SHOP-9:H003", "SHOP-9:S001"]  # epics need no model inputs
    assert result.baselined == len(first.entries) - 1  # SHOP-2's D001 is fixed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "malformed baseline: invalid JSON"),
        ('{"schema_version": 7, "entries": []}', "malformed baseline: schema_version"),
        ('{"entries": [{"code": "S001"}]}', "malformed baseline: entries.0.key: Field required"),
        ("[]", "malformed baseline: baseline: Input should be"),
    ],
)
def test_malformed_baseline_is_an_input_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_baseline(path)
    assert message in caught.value.message
    assert str(path) in (caught.value.location or "")


def test_missing_baseline_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="baseline file not found"):
        read_baseline(tmp_path / "nope.json")


def _fragile(
    items: Sequence[BacklogItem], context: LintContext, options: NoOptions
) -> Iterator[Violation]:
    for it in items:
        if it.key == "SHOP-2":
            raise ZeroDivisionError("division by zero")
        yield Violation(it, "fragile rule found something")


def test_a_crashing_rule_is_an_internal_error_finding_and_hides_nothing() -> None:
    fragile = Rule("X001", "fragile", "warning", "X001 fragile: test rule.", NoOptions, _fragile)
    rules = build_registry((*RULES.values(), fragile))
    result = lint(selection=Selection(select=("X001", "S001")), rules=rules)
    assert codes(result) == ["SHOP-1:S001", "SHOP-1:X001", "SHOP-2:L000"]
    crash = result.entries[-1]
    assert crash.severity == "error"
    assert (
        crash.message == "rule X001 (fragile) failed on SHOP-2: ZeroDivisionError: division by zero"
    )
    assert result.exit_code("never") == 1


def test_registry_rejects_duplicate_codes() -> None:
    with pytest.raises(ValueError, match="duplicate lint rule S001"):
        build_registry((RULES["S001"], RULES["S001"]))


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_documents_itself(code: str) -> None:
    rule = RULES[code]
    assert re.fullmatch(r"[SDEHWL]\d{3}", code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
    first = rule.doc.strip().splitlines()[0]
    assert first.startswith(f"{code} {rule.name}: ") and rule.summary
    assert "Why:" in rule.doc and "How to fix:" in rule.doc
    if rule.check is not None:
        assert "Failing example" in rule.doc and "Passing example" in rule.doc


def test_baseline_file_is_stable_json(tmp_path: Path) -> None:
    text = render_baseline(
        baseline_from((e.code, e.key, e.fingerprint, e.message) for e in lint().entries)
    )
    data = json.loads(text)
    assert data["schema_version"] == 1 and data["tool"] == "backlogctl"
    keys = [(entry["code"], entry["key"]) for entry in data["entries"]]
    assert keys == sorted(keys)
    assert all(re.fullmatch(r"[0-9a-f]{16}", entry["fingerprint"]) for entry in data["entries"])
