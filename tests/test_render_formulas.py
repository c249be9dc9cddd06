"""Formulas and what-ifs show numbers as the score beside them does; JSON keeps them exact.

Before: ``explain SHOP-398`` and ``rank --explain`` showed "reach 30000 × … = 240000" next to
the score "240,000".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.output.text import readable_numbers

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "examples/shop/backlogctl.yaml"
READABLE = "reach 30,000 × impact 2 × confidence 1 / effort 0.25 = 240,000"
EXACT = "reach 30000 × impact 2 × confidence 1 / effort 0.25 = 240000"


def _run(*arguments: str) -> str:
    result = CliRunner().invoke(app, [*arguments, "--config", str(ROOT / CONFIG)])
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (EXACT, READABLE),
        ("(a 1 + b 2) / c 3 = 74666.667", "(a 1 + b 2) / c 3 = 74,667"),
        (
            "rice.reach 1500 -> 3000 would rank it 4th",
            "rice.reach 1,500 -> 3,000 would rank it 4th",
        ),
        ("x (-12345) + 1e+20 + 1.2e-05", "x (-12,345) + 1e+20 + 1.2e-05"),
        ("fields.q2024 5000 × v2 3", "fields.q2024 5,000 × v2 3"),
    ],
)
def test_readable_numbers(text: str, expected: str) -> None:
    assert readable_numbers(text) == expected


def test_explain_text_shows_readable_formulas() -> None:
    assert READABLE in _run("explain", "SHOP-398")
    placements = json.loads(_run("explain", "SHOP-398", "-f", "json"))["placements"]
    assert EXACT in [placement["explanation"] for placement in placements]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_rank_explain_shows_readable_formulas(fmt: str) -> None:
    out = _run("rank", "--explain", "--top", "1", "-f", fmt)
    assert READABLE in out
    assert "240000" not in out


def test_rank_explain_json_and_csv_keep_exact_numbers() -> None:
    document = json.loads(_run("rank", "--explain", "--top", "1", "-f", "json"))
    assert document["items"][0]["explanation"] == EXACT
    assert EXACT in _run("rank", "--explain", "--top", "1", "-f", "csv")


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_unscored_heading_says_how_many_are_summarised_epics(fmt: str) -> None:
    # Before: "Unscored (12)" over a table of 2 rows and a line naming 10 epics.
    unscored = json.loads(_run("rank", "--top", "3", "-f", "json"))["unscored"]
    epics = [item for item in unscored if item["type"] == "epic"]
    assert 0 < len(epics) < len(unscored)
    out = _run("rank", "--top", "3", "-f", fmt)
    assert f"Unscored ({len(unscored)}, {len(epics)} of them epics summarised below)" in out
    assert f"{len(epics)} unscored epics not listed" in out
    listed = _run("rank", "--top", "3", "-f", fmt, "--show-unscored")
    assert f"Unscored ({len(unscored)})" in listed
    assert "summarised" not in listed
