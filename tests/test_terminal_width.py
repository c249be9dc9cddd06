"""Every table fits the terminal: every command at 60, 80, 120 and 200 columns.

Before: at 80 columns every line of ``rank --top 3`` on the example was about 103 characters
(the console was widened to the table), ``explain``'s score block 168, and at 200 columns
titles were still cut at 50 characters.

Every command and width runs in-process with a terminal width (``COLUMNS``) and stdout taken
for a terminal; a sample of them also runs as the real console script on a pseudo-terminal
of that size, which must print the same screen (in parallel: each is a process start).
"""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from backlogctl.cli import common
from backlogctl.cli import compare as compare_cli
from backlogctl.cli import history_cmd as history_cli
from backlogctl.cli import okr_cmd as okr_cli
from backlogctl.cli import plan_cmd as plan_cli
from backlogctl.cli import rank as rank_cli
from backlogctl.cli import stakeholders_cmd as stakeholders_cli
from backlogctl.cli.app import app
from terminal import run_on_terminal
from test_diff_cli import example_history

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "examples/shop/backlogctl.yaml"
WIDTHS = (60, 80, 120, 200)
COMMANDS: dict[str, list[str]] = {
    "rank": ["rank", "--config", CONFIG, "--top", "3"],
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
    "rank-all": ["rank", "--config", CONFIG, "-m", "commercial"],
    "compare": [
        "compare",
        "--config",
        CONFIG,
        "--models",
        "rice,wsjf,value_per_point,current",
        "--stability",
        "--trials",
        "5",
    ],
    "explain": ["explain", "SHOP-289", "--config", CONFIG],
    "models": ["models", "--config", CONFIG],
    "plan": [
        "plan",
        "--config",
        CONFIG,
        "--capacity",
        "20",
        "--strategy",
        "value",
        "--start",
        "2026-12-07",
        "--as-of",
        "2026-11-25",
    ],
    # HISTORY stands for a history of the example taken before a refinement (example_history).
    "diff": ["diff", "--config", CONFIG, "--history", "HISTORY", "--as-of", "2026-11-25"],
    "snapshot-list": ["snapshot", "--list", "--config", CONFIG, "--history", "HISTORY"],
    "okr": ["okr", "--config", CONFIG, "--as-of", "2026-11-25"],
    "stakeholders": [
        "stakeholders",
        "--config",
        CONFIG,
        "--as-of",
        "2026-11-25",
        "--stakeholder",
        "CS Lead",
    ],
}
#: The example's longest top title under RICE (63 characters: was cut at 50 on any width).
LONG_TITLE = '"Place order" button hidden behind the Safari toolbar on iPhone'


#: Runs also made on a real pseudo-terminal.
ON_TERMINAL = [
    ("rank", 60), ("rank", 80), ("rank", 120), ("rank", 200), ("compare", 80), ("explain", 60),
    ("models", 60), ("plan", 80), ("okr", 80), ("stakeholders", 60),
]  # fmt: skip


@pytest.fixture(scope="module")
def screens(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], str]:
    """What each command prints on a terminal of each width (in-process)."""
    screens = {}
    history = str(example_history(tmp_path_factory.mktemp("history")))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        for module in (
            common,
            rank_cli,
            compare_cli,
            plan_cli,
            history_cli,
            okr_cli,
            stakeholders_cli,
        ):
            patch.setattr(module, "stdout_is_terminal", lambda: True)
            patch.setattr(module, "color_enabled", lambda: False)
        for name, arguments in COMMANDS.items():
            for width in WIDTHS:
                arguments = [history if part == "HISTORY" else part for part in arguments]
                result = CliRunner().invoke(app, arguments, env={"COLUMNS": str(width)})
                assert result.exit_code == 0, result.stderr
                screens[name, width] = result.stdout
    return screens


def test_the_real_terminal_shows_the_same(screens: dict[tuple[str, int], str]) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(lambda run: run_on_terminal(COMMANDS[run[0]], run[1], cwd=ROOT), ON_TERMINAL)
        )
    for (name, width), (code, text) in zip(ON_TERMINAL, results, strict=True):
        assert code == 0, text
        assert [line for line in text.splitlines() if cell_len(line) > width] == []
        assert text == screens[name, width], (name, width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_line_is_wider_than_the_terminal(
    screens: dict[tuple[str, int], str], name: str, width: int
) -> None:
    text = screens[name, width]
    assert text.strip()
    too_wide = [line for line in text.splitlines() if cell_len(line) > width]
    assert too_wide == []


def test_wide_terminal_shows_whole_titles(screens: dict[tuple[str, int], str]) -> None:
    assert LONG_TITLE in screens["rank", 200]
    assert LONG_TITLE not in screens["rank", 80]


def test_narrow_terminal_keeps_keys_and_scores_whole(screens: dict[tuple[str, int], str]) -> None:
    for width in WIDTHS:
        screen = screens["rank", width]
        assert all(key in screen for key in ("SHOP-398", "SHOP-345", "SHOP-394")), width
        assert "240,000" in screen


def test_inputs_fold_or_are_left_out_with_a_note(screens: dict[tuple[str, int], str]) -> None:
    # 200 columns: one column per input; 80: no room, so a note says where they went.
    assert "confidence" in screens["rank", 200].splitlines()[2]
    assert "Inputs left out to fit the terminal" not in screens["rank", 200]
    assert "Inputs left out to fit the terminal" in screens["rank", 80]


def test_compare_headers_are_whole_words(screens: dict[tuple[str, int], str]) -> None:
    # Before: "Kendall t…" at 80 columns.
    for width in WIDTHS:
        assert "…" not in "".join(
            line for line in screens["compare", width].splitlines() if line.startswith("┃")
        ), width


def test_explain_formulas_go_under_their_model_when_narrow(
    screens: dict[tuple[str, int], str],
) -> None:
    wide = screens["explain", 200]
    narrow = screens["explain", 80]
    assert "Formula" in wide
    assert "Formula" not in narrow
    assert "reach 70,000 × impact 2 × confidence 0.8" in narrow


def test_piped_output_keeps_its_full_width() -> None:
    script = shutil.which("backlogctl")
    assert script is not None
    completed = subprocess.run(
        [script, "rank", "--config", str(ROOT / CONFIG), "--top", "3"],
        capture_output=True,
        text=True,
        env={"PATH": str(Path(script).parent), "COLUMNS": "60"},
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[2].split() == [
        "Rank", "Key", "Type", "Title", "Score", "reach", "impact", "confidence", "effort",
        "Status",
    ]  # fmt: skip
    assert max(len(line) for line in lines) > 60
    assert "│" not in completed.stdout
