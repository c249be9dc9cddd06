"""End-to-end benchmark: ``backlogctl rank --format json`` vs a bare ``yaml_rs.loads``.

Every measurement is a fresh interpreter (a subprocess), best of N, so imports and start-up
count as a user sees them. Issue 3's target: rank at most 3x the bare parse (aim 2.5x) on 10k
items, and 100k items under 10 s. Usage::

    python bench/bench_rank.py [--sizes 1000,10000,100000] [--repeat 5]

Missing data files are generated first (bench/generate.py, deterministic).
"""

from __future__ import annotations

import argparse
import resource
import shutil
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


def _best(command: list[str], repeat: int, cwd: Path) -> tuple[float, float]:
    """Best wall time and best CPU time (user + sys) of ``repeat`` runs.

    CPU time is reported too because the machine is shared: wall time swings with the load
    of other processes, CPU time much less. A failing run aborts the benchmark.
    """
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.decode()}")
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
    return best_wall, best_cpu


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
        f" {'load/bare':>10} {'rank/bare':>10}"
    )
    for size in (int(part) for part in args.sizes.split(",")):
        path = _data_file(size, args.data)
        repeat = min(args.repeat, 3) if size >= 100_000 else args.repeat
        # cwd is the data folder, so no backlogctl.yaml of the checkout is picked up.
        bare = _best([sys.executable, "-c", _BARE, str(path)], repeat, args.data)
        load = _best([sys.executable, "-c", _LOAD, str(path)], repeat, args.data)
        rank = _best([backlogctl, "rank", str(path), "--format", "json"], repeat, args.data)
        for index, kind in enumerate(("wall", "cpu")):
            print(
                f"{size:>7} {path.stat().st_size / 1e6:>6.1f} {kind:>5} {bare[index]:>13.2f}s"
                f" {load[index]:>9.2f}s {rank[index]:>9.2f}s"
                f" {load[index] / bare[index]:>9.2f}x {rank[index] / bare[index]:>9.2f}x"
            )


if __name__ == "__main__":
    main()
