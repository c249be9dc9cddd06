"""``compare`` for a non-statistician: plain readings, the stability method in a sentence,
unscored epics summarised, movers' keys (not whole rows) bold in Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app

BACKLOG = """\
- {key: T-1, title: First, rank: 4, rice: {reach: 40, impact: 1, confidence: 1, effort: 1}}
- {key: T-2, title: Second, rank: 3, rice: {reach: 30, impact: 1, confidence: 1, effort: 1}}
- {key: T-3, title: Third, rank: 2, rice: {reach: 20, impact: 1, confidence: 0.5, effort: 1}}
- {key: T-4, title: Fourth, rank: 1, rice: {reach: 10, impact: 1, confidence: 1, effort: 1}}
- {key: E-1, title: Epic one, type: epic, rank: 5}
- {key: E-2, title: Epic two, type: epic, rank: 6}
"""
# rice orders T-1..T-4, current (stored rank) T-4..T-1, E-1, E-2: exactly reversed on the
# four items both score, so Kendall tau-b is -1 ("mostly disagree").


def _compare(workdir: Path, *arguments: str) -> str:
    (workdir / "backlog.yaml").write_text(BACKLOG, encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["compare", "backlog.yaml", "--models", "rice,current", "--top", "2", *arguments],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_each_pair_has_a_plain_reading(workdir: Path, fmt: str) -> None:
    out = _compare(workdir, "-f", fmt)
    assert "mostly disagree" in out
    assert "0.7 and above strong agreement" in out


def test_json_is_unchanged_by_the_readings(workdir: Path) -> None:
    document = json.loads(_compare(workdir, "-f", "json"))
    assert set(document["correlation"]["rice:current"]) == {
        "kendall_tau",
        "spearman",
        "n",
        "excluded",
    }
    assert [entry["key"] for entry in document["unscored"]["rice"]] == ["E-1", "E-2"]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_unscored_epics_are_one_line(workdir: Path, fmt: str) -> None:
    out = _compare(workdir, "-f", fmt)
    assert "Under rice: 2 unscored epics not listed: E-1, E-2." in out
    assert "Epic one" not in out
    listed = _compare(workdir, "-f", fmt, "--show-unscored")
    assert "Epic one" in listed
    assert "not listed" not in listed


def test_stability_method_in_one_plain_sentence(workdir: Path) -> None:
    out = _compare(workdir, "--stability", "--trials", "5")
    assert (
        "How it works: each trial nudges every item's inputs by as much as their stated "
        "uncertainty allows (listed per model below) and ranks the backlog again; 'stayed' is "
        "the share of trials in which the item was still in the top 2."
    ) in out


def test_markdown_bolds_the_movers_keys_only(workdir: Path) -> None:
    out = _compare(workdir, "-f", "markdown")
    ranks = out[out.index("### Ranks") : out.index("### Consensus")]
    movers = out[out.index("### Biggest movers") : out.index("### Unscored")]
    assert "| **T-1** | First |" in ranks
    assert "**" not in movers
