"""Hierarchy rules on deep and cyclic parent chains (10.B2): linear work, each cycle reported
once with a bounded listing. A 5,000-item chain and a 1,000-item cycle took minutes and wrote
megabytes before; the timeout marker only stops a regression from hanging the suite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app


def _backlog(path: Path, parents: dict[int, int | None], count: int) -> None:
    lines = ["items:"]
    for number in range(1, count + 1):
        lines += [f"  - key: A-{number}", f"    title: Work package number {number}"]
        parent = parents.get(number)
        if parent is not None:
            lines.append(f"    parent: A-{parent}")
    lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def _lint(path: Path, select: str) -> tuple[int, list[dict[str, object]], str]:
    result = CliRunner().invoke(
        app,
        ["lint", str(path), "--select", select, "--format", "json", "--as-of", "2026-11-25"],
    )
    return result.exit_code, json.loads(result.stdout)["findings"], result.stdout


@pytest.mark.timeout(60)
def test_a_5000_item_chain_has_no_cycle_and_inherits_no_objective(workdir: Path) -> None:
    _backlog(workdir / "b.yaml", {n: n + 1 for n in range(1, 5000)}, 5000)
    code, found, _ = _lint(workdir / "b.yaml", "H003,H006")
    assert code == 0
    assert {f["code"] for f in found} == {"H003"} and len(found) == 5000


@pytest.mark.timeout(60)
def test_a_1000_item_cycle_is_one_finding_with_ten_keys(workdir: Path) -> None:
    # A-1 -> A-2 -> ... -> A-1000 -> A-1, and a 50-item tail hanging below the cycle.
    parents: dict[int, int | None] = {n: n + 1 for n in range(1, 1000)}
    parents[1000] = 1
    parents.update({n: n - 1 for n in range(1002, 1051)})
    parents[1001] = 1
    _backlog(workdir / "b.yaml", parents, 1050)
    code, found, stdout = _lint(workdir / "b.yaml", "H006")
    assert code == 1
    assert [(f["code"], f["key"]) for f in found] == [("H006", "A-1")]
    keys = " -> ".join(f"A-{n}" for n in range(1, 11))
    assert found[0]["message"] == (f"parent cycle of 1000 items: {keys} -> … (990 more) -> A-1")
    assert len(stdout) < 1000


def test_two_cycles_are_two_findings_on_their_first_members(workdir: Path) -> None:
    _backlog(workdir / "b.yaml", {1: 3, 3: 1, 2: 4, 4: 5, 5: 2}, 6)
    _, found, _ = _lint(workdir / "b.yaml", "H006")
    assert [(f["key"], f["message"]) for f in found] == [
        ("A-1", "parent cycle of 2 items: A-1 -> A-3 -> A-1"),
        ("A-2", "parent cycle of 3 items: A-2 -> A-4 -> A-5 -> A-2"),
    ]
