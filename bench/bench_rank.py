"""End-to-end benchmark: ``backlogctl rank --format json`` vs a bare ``yaml_rs.loads``.

Every measurement is a fresh interpreter (a subprocess), so imports and start-up count as a
user sees them. The three commands run in turn, N rounds: the table shows each one's best
time and their ratios, and also the median and range of the ratios within a round. Issue 3's
target: rank at most 3x the bare parse (aim 2.5x) on 10k items, and 100k items under 10 s. Usage::

    python bench/bench_rank.py [--sizes 1000,10000,100000] [--repeat 5]

Missing data files are generated first (bench/generate.py, deterministic).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_BARE = "import sys, yaml_rs; yaml_rs.loads(open(sys.argv[1], encoding='utf-8').read())"
_LOAD = (
    "import sys\n"
    "from backlogctl.config import load_config\n"
    "from backlogctl.connectors.yaml_file import read_yaml_sources\n"
    "read_yaml_sources([sys.argv[1]], load_config(discover=False))\n"
)


def _timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + sys) of one run; a failing run aborts the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.decode()}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _rounds(commands: list[list[str]], repeat: int, cwd: Path) -> list[list[tuple[float, float]]]:
    """``repeat`` rounds, each running every command once, in turn.

    Interleaving matters on a shared machine: its speed drifts by up to 2x within minutes,
    and timing all runs of one command before the next would compare different machines.
    """
    return [[_timed(command, cwd) for command in commands] for _ in range(repeat)]


def _data_file(size: int, data: Path) -> Path:
    path = data / f"backlog_{size}.yaml"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(_HERE / "generate.py"), "--sizes", str(size), "--out", str(data)],
            check=True,
        )
    return path


def main() -> None:
    """Print one table row per size: bare parse, connector load, rank, and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=5, help="best of N (100k: at most 3)")
    parser.add_argument("--data", type=Path, default=_HERE / "data")
    args = parser.parse_args()
    backlogctl = shutil.which("backlogctl") or str(Path(sys.executable).with_name("backlogctl"))
    print(
        f"{'items':>7} {'MB':>6} {'':>5} {'yaml_rs.loads':>14} {'load path':>10} {'rank json':>10}"
        f" {'load/bare':>10} {'rank/bare':>10} {'per round: median':>17} {'range':>11}"
    )
    for size in (int(part) for part in args.sizes.split(",")):
        path = _data_file(size, args.data)
        repeat = min(args.repeat, 3) if size >= 100_000 else args.repeat
        # cwd is the data folder, so no backlogctl.yaml of the checkout is picked up.
        commands = [
            [sys.executable, "-c", _BARE, str(path)],
            [sys.executable, "-c", _LOAD, str(path)],
            [backlogctl, "rank", str(path), "--format", "json"],
        ]
        rounds = _rounds(commands, repeat, args.data)
        for index, kind in enumerate(("wall", "cpu")):
            bare, load, rank = (min(run[which][index] for run in rounds) for which in range(3))
            # Per-round ratios: each compares runs made moments apart.
            ratios = sorted(run[2][index] / run[0][index] for run in rounds)
            print(
                f"{size:>7} {path.stat().st_size / 1e6:>6.1f} {kind:>5} {bare:>13.2f}s"
                f" {load:>9.2f}s {rank:>9.2f}s {load / bare:>9.2f}x {rank / bare:>9.2f}x"
                f" {statistics.median(ratios):>9.2f}x {ratios[0]:>5.2f}-{ratios[-1]:.2f}x"
            )


if __name__ == "__main__":
    main()
