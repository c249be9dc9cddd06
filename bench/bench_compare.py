"""Benchmark ``compare`` on a large backlog: rank under 4 models, then the agreement statistics.

Usage: ``python bench/bench_compare.py [--size 100000] [--models rice,wsjf,ice,current]
[--repeat 3]``

Items come from ``bench/generate.py`` (deterministic per seed), parsed by the YAML connector.
Loading is timed separately: the budget (3 s for 100k items and 4 models) is for the compare
itself, i.e. what ``compare_models`` does after the backlog is in memory. Each phase reports
wall time and process CPU time (on a shared machine the CPU time is the steadier figure).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from backlogctl.config import Config
from backlogctl.loader import load_backlog
from backlogctl.scoring.compare import compare_rankings, resolve_models
from backlogctl.scoring.ranking import rank_items

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

T = TypeVar("T")
P = ParamSpec("P")

BUDGET_SECONDS = 3.0


def _timed(
    label: str, action: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> tuple[T, float]:
    """``action(*args, **kwargs)`` and its CPU seconds; prints wall and CPU time."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action(*args, **kwargs)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<34} wall {wall:7.3f} s   cpu {cpu:7.3f} s")
    return result, cpu


def main() -> None:
    """Run the benchmark and print one line per phase."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--models", default="rice,wsjf,ice,current")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs of rank + statistics")
    args = parser.parse_args()

    config = Config()
    models = resolve_models(args.models.split(","), config)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"backlog_{args.size}.yaml"
        path.write_text(generate(args.size, seed=args.seed), encoding="utf-8")
        backlog, _ = _timed(f"load {args.size} items", load_backlog, [str(path)], config)
    # As the console script does (cli/app.main): no cyclic GC in a one-shot command.
    gc.disable()
    best = float("inf")
    for attempt in range(1, args.repeat + 1):
        print(f"-- run {attempt} of {args.repeat}")
        total = 0.0
        rankings = {}
        for name, model in models.items():
            rankings[name], cpu = _timed(
                f"rank under {name}", rank_items, backlog.items, model, explain=False
            )
            total += cpu
        comparison, cpu = _timed(
            "statistics (tau-b, rho, overlap)", compare_rankings, rankings, top=10
        )
        total += cpu
        best = min(best, total)
    pairs = ", ".join(f"{pair} n={stats.n}" for pair, stats in comparison.correlation.items())
    print(f"pairs: {pairs}")
    verdict = "within" if best < BUDGET_SECONDS else "OVER"
    print(
        f"compare, best of {args.repeat} (cpu): {best:.3f} s, "
        f"{verdict} the {BUDGET_SECONDS:g} s budget"
    )


if __name__ == "__main__":
    main()
