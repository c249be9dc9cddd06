"""Baselines from the command line (10.A3, 10.B3, 10.B4): a baseline written by a run makes
that run pass, L001 included; ``--write-baseline`` replaces only a baseline unless
``--force``; the reader refuses oversized and deeply nested files with a clean exit 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.connectors import limits

WriteFile = Callable[[str, str], Path]
AS_OF = ["--as-of", "2026-11-25"]
# SHOP-1 is stale (S001); SHOP-2 suppresses S001 but is fresh: an unused suppression (L001).
BACKLOG = """\
items:
  - key: SHOP-1
    title: Gift wrapping at checkout
    description: Wrap a parcel as a present, with a card.
    updated: 2026-01-02
  - key: SHOP-2
    title: Coupon rounding error on invoices
    description: Invoices round each line, the cart rounds the total.
    updated: 2026-11-20
    lint: {ignore: [S001], reason: parked}
"""


def lint(*args: str) -> tuple[int, str, str]:
    """Run ``backlogctl lint`` in-process; returns exit code, stdout, stderr."""
    result = CliRunner().invoke(app, ["lint", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def backlog(write_file: WriteFile, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return write_file("backlog.yaml", BACKLOG)


def test_a_written_baseline_makes_the_same_run_pass_including_l001(backlog: Path) -> None:
    strict = ["backlog.yaml", *AS_OF, "--fail-on", "warning", "--select", "S,L"]
    code, stdout, _ = lint(*strict)
    assert code == 1 and "L001 [warning] SHOP-2" in stdout and "S001 [warning] SHOP-1" in stdout
    assert lint(*strict, "--write-baseline", "bl.json")[0] == 0
    codes = [entry["code"] for entry in json.loads(Path("bl.json").read_text())["entries"]]
    assert sorted(codes) == ["L001", "S001"]
    assert lint(*strict, "--baseline", "bl.json") == (0, "No findings (2 in the baseline).\n", "")


def test_write_baseline_refuses_to_replace_another_file(backlog: Path) -> None:
    before = Path("backlog.yaml").read_text()
    code, stdout, stderr = lint("backlog.yaml", *AS_OF, "--write-baseline", "backlog.yaml")
    assert (code, stdout) == (2, "")
    assert stderr == (
        "backlogctl: error: backlog.yaml: exists and is not a backlogctl baseline; "
        "pass --force to replace it\n"
    )
    assert Path("backlog.yaml").read_text() == before


def test_write_baseline_replaces_a_baseline_and_anything_with_force(
    backlog: Path, write_file: WriteFile
) -> None:
    assert lint("backlog.yaml", *AS_OF, "--write-baseline", "bl.json")[0] == 0
    assert lint("backlog.yaml", *AS_OF, "--write-baseline", "bl.json")[0] == 0
    write_file("notes.txt", "my notes\n")
    assert lint("backlog.yaml", *AS_OF, "--write-baseline", "notes.txt", "--force")[0] == 0
    assert json.loads(Path("notes.txt").read_text())["tool"] == "backlogctl"


@pytest.mark.parametrize("depth", [100, 5000])
def test_a_deeply_nested_baseline_is_a_clean_input_error(
    depth: int, backlog: Path, write_file: WriteFile
) -> None:
    write_file("deep.json", "[" * depth + "]" * depth)
    code, stdout, stderr = lint("backlog.yaml", *AS_OF, "--baseline", "deep.json")
    assert (code, stdout) == (2, "")
    assert stderr == (
        "backlogctl: error: deep.json:1: malformed baseline: nested more than 64 levels deep\n"
    )


def test_an_oversized_baseline_is_refused_before_parsing(
    backlog: Path, write_file: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1024 * 1024)
    write_file("big.json", json.dumps({"entries": [], "padding": ["x" * 1000] * 1100}, indent=1))
    code, _, stderr = lint("backlog.yaml", *AS_OF, "--baseline", "big.json")
    assert code == 2
    assert stderr == "backlogctl: error: big.json: file larger than 1 MB; split it\n"
