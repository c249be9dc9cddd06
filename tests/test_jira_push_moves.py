"""Rank move planning on random boards, and the push table at every terminal width."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from backlogctl.cli import common, jira_push
from backlogctl.cli.app import app
from backlogctl.sync.jira_plan import RankMove
from backlogctl.sync.jira_push import kept_in_place, pushed_score, rank_moves
from jira_emulator import JiraEmulator, make_issues
from jira_emulator.testing import cloud, jira_env, write_config

__all__ = ["cloud", "jira_env"]  # fixtures used by name


def _apply(board: list[str], moves: list[RankMove]) -> list[str]:
    """What Jira does with the moves: each call puts its issues, in order, next to the anchor."""
    order = board[:]
    for move in moves:
        order = [key for key in order if key not in move.keys]
        spot = order.index(move.anchor) + (1 if move.after else 0)
        order[spot:spot] = move.keys
    return order


def longest_increasing(values: list[int]) -> int:
    """Longest increasing subsequence length, the plain quadratic way (the tests' oracle)."""
    best = [1] * len(values)
    for i in range(len(values)):
        for j in range(i):
            if values[j] < values[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


@pytest.mark.parametrize("seed", range(30))
def test_moves_reach_the_target_with_n_minus_lis_issues(seed: int) -> None:
    rng = random.Random(seed)
    target = [f"K-{n}" for n in range(rng.randint(1, 160))]
    board = target[:]
    if seed % 3 == 0:
        rng.shuffle(board)
    else:  # nearly sorted boards: a few issues out of place
        for _ in range(rng.randint(0, 4)):
            board.insert(rng.randrange(len(board)), board.pop(rng.randrange(len(board))))
    moves = rank_moves(board, target)
    assert _apply(board, moves) == target
    position = {key: index for index, key in enumerate(target)}
    assert sum(len(move.keys) for move in moves) == len(board) - longest_increasing(
        [position[k] for k in board]
    )
    assert all(1 <= len(move.keys) <= 50 for move in moves)


def test_kept_in_place_is_one_longest_increasing_subsequence() -> None:
    values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9]
    kept = sorted(kept_in_place(values))
    picked = [values[index] for index in kept]
    assert picked == sorted(set(picked)) and len(picked) == longest_increasing(values)
    assert kept_in_place([]) == set()


def test_contiguous_runs_share_a_call() -> None:
    a, b, c, d, e = target = ["S-1", "S-2", "S-3", "S-4", "S-5"]
    assert rank_moves([c, d, e, a, b], target) == [RankMove(keys=[a, b], before=c)]
    assert rank_moves([a, d, b, c, e], target) == [RankMove(keys=[d], after=c)]
    assert rank_moves(target, target) == []


def test_scores_keep_six_significant_digits() -> None:
    assert pushed_score(1234.56789) == 1234.57
    assert pushed_score(0.000123456789) == 0.000123457
    assert pushed_score(98765432.1) == 98765400.0


LONG = "A very long issue title that certainly does not fit a narrow terminal window at all"


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_the_push_table_fits_the_terminal(
    cloud: JiraEmulator, workdir: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    for issue in make_issues(6, lean=True):
        issue["fields"]["summary"] = LONG
        cloud.add_issue(issue)
    cloud.update_issue("SHOP-2", customfield_10100=None)  # one unscored issue
    write_config(workdir, cloud, cache=False)
    for module in (common, jira_push):
        monkeypatch.setattr(module, "stdout_is_terminal", lambda: True)
        monkeypatch.setattr(module, "color_enabled", lambda: False)
    monkeypatch.setattr(jira_push, "terminal_width", lambda: width)
    result = CliRunner().invoke(
        app,
        ["jira", "push", "--jql", "project = SHOP", "-m", "rice", "--score-field", "Revenue Impact",
         "--rank"],
        env={"COLUMNS": str(width)},
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if cell_len(line) > width] == []
    assert "SHOP-5" in result.stdout and "1005 → 960" in result.stdout
    assert "Not scored" in result.stdout
    assert (LONG in result.stdout) == (width >= 120)
