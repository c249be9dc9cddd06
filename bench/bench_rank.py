"""End-to-end benchmark: ``backlogctl rank --format json`` vs a bare ``yaml_rs.loads``.

Every measurement is a fresh interpreter (a subprocess), so imports and start-up count as a
user sees them. The commands run in turn, N rounds: the table shows each one's best wall and
CPU time, its peak memory (max RSS), the ratios to the bare parse of the bests, and the
median and range of the per-round ratios. Targets (issue 14): rank on the 10k bench backlog
within 1 s end to end; on a 23k-item real-world-like backlog within 3x the bare parse.
Usage::

    python bench/bench_rank.py [--sizes 10000,100000] [--real-world] [--files FILE...]
                               [--repeat 5] [--baseline-src OTHER_CHECKOUT/src]

Missing ``backlog_<size>.yaml`` files (and with ``--real-world`` the 23,313-item
``realworld_23313.yaml``) are generated first (bench/generate.py, deterministic).
``--baseline-src`` also times ``rank`` with another checkout's code (same interpreter and
dependencies), interleaved in the same rounds: a before/after comparison on a noisy machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from _common import HERE, Command, Run, data_file, measure, print_ratios

_BARE = "import sys, yaml_rs; yaml_rs.loads(open(sys.argv[1], encoding='utf-8').read())"
_LOAD = (
    "import sys\n"
    "from backlogctl.config import load_config\n"
    "from backlogctl.loader import load_backlog\n"
    "load_backlog([sys.argv[1]], load_config(discover=False))\n"
)


def _rounds(commands: list[Command], repeat: int, cwd: Path) -> list[list[Run]]:
    """``repeat`` rounds, each running every command once, in turn.

    Interleaving matters on a shared machine: its speed drifts by up to 2x within minutes,
    and timing all runs of one command before the next would compare different machines.
    """
    return [[measure(command, cwd) for command in commands] for _ in range(repeat)]


def _real_world_file(data: Path) -> Path:
    path = data / "realworld_23313.yaml"
    if not path.exists():
        command = [sys.executable, str(HERE / "generate.py"), "--sizes", "", "--real-world"]
        subprocess.run([*command, "--out", str(data)], check=True)
    return path


def _commands(path: Path, baseline_src: Path | None) -> list[Command]:
    rank = ["rank", str(path), "--format", "json"]
    commands = [
        Command("yaml_rs.loads", [sys.executable, "-c", _BARE, str(path)]),
        Command("load path", [sys.executable, "-c", _LOAD, str(path)]),
        Command("rank json", [sys.executable, "-m", "backlogctl", *rank]),
    ]
    if baseline_src is not None:
        env = {**os.environ, "PYTHONPATH": str(baseline_src.resolve())}
        baseline = [sys.executable, "-m", "backlogctl", *rank]
        commands.append(Command("rank (baseline)", baseline, env))
    return commands


def _report(path: Path, commands: list[Command], rounds: list[list[Run]]) -> None:
    print(f"\n{path.name}: {path.stat().st_size / 1e6:.1f} MB, {len(rounds)} rounds")
    print_ratios(commands, rounds, "bare", 16)


def main() -> None:
    """Print one table per backlog file: bare parse, connector load, rank, and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="generated backlogs ('' for none)")
    parser.add_argument("--real-world", action="store_true", help="the 23,313-item backlog too")
    parser.add_argument("--files", nargs="*", type=Path, default=[], help="other backlog files")
    parser.add_argument("--repeat", type=int, default=5, help="best of N (100k: at most 3)")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--baseline-src", type=Path, help="another checkout's src/ to compare")
    args = parser.parse_args()
    paths = [data_file(int(size), args.data) for size in args.sizes.split(",") if size]
    if args.real_world:
        paths.append(_real_world_file(args.data))
    for path in [*paths, *(file.resolve() for file in args.files)]:
        repeat = min(args.repeat, 3) if path.stat().st_size > 50e6 else args.repeat
        commands = _commands(path, args.baseline_src)
        # cwd is the data folder, so no backlogctl.yaml of the checkout is picked up.
        _report(path, commands, _rounds(commands, repeat, path.parent))


if __name__ == "__main__":
    main()
