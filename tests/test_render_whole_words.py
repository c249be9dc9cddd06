"""On a terminal no table cell is split inside a word or a number.

Before: at 80 columns ``compare --models rice,wsjf`` showed the headers "Spearma/n rho",
"Compare/d", "Exclude/d", "Readin/g" and the reading "agreem/ent"; at 60 the Kendall tau
0.279 read "0.27" with "9" on the next line (Rich squeezed every column when the table did not
fit). Now headers and texts wrap at spaces, keys and numbers never wrap, and a table that
cannot fit folds or leaves out columns with a note.

How it is checked: piped output (full width, one line per row) and JSON show every word and
number whole, so every word on the terminal, inside a table (or, for ``explain``'s wrapped
text, anywhere), must be one of theirs, or a title cut with an ellipsis. A word broken in two
leaves fragments ("agreem", "0.27") that neither has.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli import common
from backlogctl.cli import compare as compare_cli
from backlogctl.cli import rank as rank_cli
from backlogctl.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "examples/shop/backlogctl.yaml"
COMMANDS: dict[str, list[str]] = {
    "compare": ["compare", "--config", CONFIG, "--models", "rice,wsjf"],
    "compare-all": [
        "compare",
        "--config",
        CONFIG,
        "--models",
        "rice,wsjf,value_per_point,current",
        "--stability",
        "--trials",
        "5",
        "--show-unscored",
    ],
    "rank": ["rank", "--config", CONFIG, "--top", "5", "--show-unscored"],
    "rank-wsjf-explain": [
        "rank",
        "--config",
        CONFIG,
        "-m",
        "wsjf",
        "--explain",
        "--normalize",
        "--top",
        "5",
        "--show-unscored",
    ],
    "rank-commercial": ["rank", "--config", CONFIG, "-m", "commercial", "--top", "5"],
    "explain": ["explain", "SHOP-398", "--config", CONFIG],
    "models": ["models", "--config", CONFIG],
}
#: Headers that only a terminal's folded layouts (or the models table) use.
LAYOUT_WORDS = frozenset(
    {"Details", "Ranks", "Inputs", "Model", "Formula", "and", "scales", "Description"}
)
#: Widths where every word stays whole; below 60, long identifiers (``wsjf.time_criticality``)
#: in a text column may fold when four models' names leave no room, but numbers never split.
WIDTHS = (60, 80, 120)
NARROW = (45, 50, 55, 60)
_SEPARATORS = re.compile(r"[\s│┃]+")
_NUMBER = re.compile(r"^-?[\d,]*\d(\.\d+)?%?$")


def _words(text: str) -> set[str]:
    return {word.strip(",;:()\"'") for word in _SEPARATORS.split(text)} - {""}


def _run(arguments: list[str], *, terminal: bool, width: int = 300) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        for module in (common, rank_cli, compare_cli):
            patch.setattr(module, "stdout_is_terminal", lambda: terminal)
            patch.setattr(module, "color_enabled", lambda: False)
        result = CliRunner().invoke(app, arguments, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def whole_words() -> dict[str, set[str]]:
    """Every word each command prints piped or as JSON (JSON's ``\\n`` read as a space)."""
    words = {}
    for name, arguments in COMMANDS.items():
        piped = _run(arguments, terminal=False)
        document = _run([*arguments, "--format", "json"], terminal=False)
        words[name] = _words(piped) | _words(document.replace("\\n", " ")) | LAYOUT_WORDS
    return words


def _shown(name: str, width: int) -> list[str]:
    """The lines to check: table rows and headers (``explain``: all, it wraps text)."""
    lines = _run(COMMANDS[name], terminal=True, width=width).splitlines()
    return lines if name == "explain" else [line for line in lines if line[:1] in "│┃"]


def _fragments(lines: list[str], known: set[str]) -> list[str]:
    return sorted(w for w in _words("\n".join(lines)) if w not in known and not w.endswith("…"))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_word_or_number_is_split(
    whole_words: dict[str, set[str]], name: str, width: int
) -> None:
    assert _fragments(_shown(name, width), whole_words[name]) == []


@pytest.mark.parametrize("width", NARROW)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_narrow_terminals_split_no_number(
    whole_words: dict[str, set[str]], name: str, width: int
) -> None:
    fragments = _fragments(_shown(name, width), whole_words[name])
    assert [fragment for fragment in fragments if _NUMBER.match(fragment)] == []


@pytest.mark.parametrize("width", NARROW)
@pytest.mark.parametrize("name", [name for name in COMMANDS if name != "explain"])
def test_narrow_terminals_keep_header_words_whole(
    whole_words: dict[str, set[str]], name: str, width: int
) -> None:
    headers = [line for line in _shown(name, width) if line.startswith("┃")]
    assert headers
    assert _fragments(headers, whole_words[name]) == []


@pytest.mark.parametrize("width", (*NARROW, 80, 120))
def test_every_agreement_figure_is_shown_whole(width: int) -> None:
    # The auditor's case: Kendall tau 0.279 showed as "0.27" and "9" at 60 columns.
    document = json.loads(_run([*COMMANDS["compare"], "--format", "json"], terminal=False))
    tau = document["correlation"]["rice:wsjf"]["kendall_tau"]
    screen = _run(COMMANDS["compare"], terminal=True, width=width)
    assert f" {tau:.3f} " in screen
    assert {"weak", "agreement"} <= _words(screen)


def test_a_narrow_terminal_says_what_it_left_out() -> None:
    screen = _run(COMMANDS["compare"], terminal=True, width=45)
    assert "Left out to fit the terminal: Spearman ρ, Items, Left out, Top-10 overlap" in (
        " ".join(line.strip() for line in screen.splitlines())
    )
    wide = _run(COMMANDS["compare"], terminal=True, width=120)
    assert "Left out to fit the terminal" not in wide
    assert "Spearman ρ" in wide
