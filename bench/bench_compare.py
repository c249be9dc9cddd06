"""Benchmark ``compare``, with and without numpy (the optional accelerator of the statistics).

Usage: ``python bench/bench_compare.py [--size 10000] [--models rice,wsjf,ice,current]
[--repeat 3] [--e2e]``

In process (after the backlog is parsed): each model's ranking, then per model pair the tau-b
and rho on the plain-Python path and on the numpy path, then the whole ``compare_rankings`` as
shipped (numpy only for large samples) and with numpy blocked. With ``--e2e``: ``backlogctl
compare FILE --models ... --format json`` in a fresh interpreter, with numpy importable and
with it blocked (as if not installed), interleaved round by round. Target (issue 14): compare
on 10k items within 1 s end to end.

Items come from ``bench/generate.py`` (deterministic per seed; missing files are generated).
Each phase reports wall time and process CPU time (on a shared machine the CPU time is the
steadier figure).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from _common import data_file
from backlogctl.config import Config
from backlogctl.loader import load_backlog
from backlogctl.scoring import statistics
from backlogctl.scoring.compare import compare_rankings, resolve_models
from backlogctl.scoring.ranking import Ranking, rank_items

T = TypeVar("T")
P = ParamSpec("P")

_HERE = Path(__file__).resolve().parent
BUDGET_SECONDS = 1.0
#: Runs ``backlogctl`` with numpy unimportable, as on an install without the ``fast`` extra.
_WITHOUT_NUMPY = (
    "import sys; sys.modules['numpy'] = None\n"
    "from backlogctl.cli.app import main\n"
    "sys.argv[0] = 'backlogctl'; main()\n"
)
_WITH_NUMPY = (
    "import sys\nfrom backlogctl.cli.app import main\nsys.argv[0] = 'backlogctl'; main()\n"
)


def _timed(
    label: str, action: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> tuple[T, float]:
    """``action(*args, **kwargs)`` and its CPU seconds; prints wall and CPU time."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action(*args, **kwargs)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<44} wall {wall:7.3f} s   cpu {cpu:7.3f} s")
    return result, cpu


def _pair_samples(first: Ranking, second: Ranking) -> tuple[list[int], list[int]]:
    """Tie groups (equal scores) of the items both rankings score: the samples compare pairs."""

    def groups(ranking: Ranking) -> dict[int, int]:
        found: dict[int, int] = {}
        group, previous = 0, None
        for entry in ranking.entries():
            if previous is not None and entry.value != previous:
                group += 1
            previous = entry.value
            found[entry.source_index] = group
        return found

    a, b = groups(first), groups(second)
    shared = sorted(a.keys() & b.keys())
    return [a[i] for i in shared], [b[i] for i in shared]


def _in_process(path: Path, names: list[str], repeat: int) -> None:
    config = Config()
    models = resolve_models(names, config)
    backlog, _ = _timed(f"load {path.name}", load_backlog, [str(path)], config)
    accelerator = statistics.numpy_statistics()
    if accelerator is None:
        sys.exit("numpy is not installed: install the 'fast' extra to compare both paths")
    for attempt in range(1, repeat + 1):
        print(f"-- run {attempt} of {repeat}")
        rankings = {}
        for name, model in models.items():
            rankings[name], _ = _timed(
                f"rank under {name}", rank_items, backlog.items, model, explain=False
            )
        plain_total = fast_total = 0.0
        for first, second in ((a, b) for i, a in enumerate(names) for b in names[i + 1 :]):
            xs, ys = _pair_samples(rankings[first], rankings[second])
            for label, tau, rho in (
                ("plain", statistics.plain_kendall_tau_b, statistics.plain_spearman_rho),
                ("numpy", accelerator.kendall_tau_b, accelerator.spearman_rho),
            ):
                _, cpu_tau = _timed(f"{first}:{second} n={len(xs)} tau-b {label}", tau, xs, ys)
                _, cpu_rho = _timed(f"{first}:{second} n={len(xs)} rho {label}", rho, xs, ys)
                if label == "plain":
                    plain_total += cpu_tau + cpu_rho
                else:
                    fast_total += cpu_tau + cpu_rho
        print(f"statistics of all pairs: plain {plain_total:.3f} s, numpy {fast_total:.3f} s (cpu)")
        # As shipped: numpy (installed here) only for pairs of ACCELERATE_FROM items or more.
        _timed("compare_rankings (as shipped)", compare_rankings, rankings, top=10)
        statistics.numpy_statistics.cache_clear()
        saved = sys.modules.get("backlogctl.scoring.statistics_numpy")
        sys.modules["backlogctl.scoring.statistics_numpy"] = None  # type: ignore[assignment]
        try:
            _timed("compare_rankings (plain Python)", compare_rankings, rankings, top=10)
        finally:
            if saved is not None:
                sys.modules["backlogctl.scoring.statistics_numpy"] = saved
            statistics.numpy_statistics.cache_clear()
    _no_ties(len(backlog.items))


def _no_ties(size: int) -> None:
    """The statistics' worst case: two rankings of ``size`` distinct values, no ties at all."""
    rng = random.Random(size)
    xs = list(range(size))
    ys = xs[:]
    rng.shuffle(ys)
    accelerator = statistics.numpy_statistics()
    assert accelerator is not None
    for label, tau, rho in (
        ("plain", statistics.plain_kendall_tau_b, statistics.plain_spearman_rho),
        ("numpy", accelerator.kendall_tau_b, accelerator.spearman_rho),
    ):
        _timed(f"no ties, n={size}: tau-b {label}", tau, xs, ys)
        _timed(f"no ties, n={size}: rho {label}", rho, xs, ys)


def _end_to_end(path: Path, names: list[str], repeat: int) -> None:
    command = ["compare", str(path), "--models", ",".join(names), "--format", "json"]
    variants = {"with numpy": _WITH_NUMPY, "without numpy": _WITHOUT_NUMPY}
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in variants}
    for attempt in range(1, repeat + 1):
        for label, script in variants.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", script, *command], stdout=subprocess.DEVNULL, check=True
            )
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            times[label].append((wall, cpu))
            print(f"round {attempt}: {label:<14} wall {wall:6.3f} s   cpu {cpu:6.3f} s")
    for label, runs in times.items():
        best_wall = min(wall for wall, _ in runs)
        verdict = "within" if best_wall < BUDGET_SECONDS else "OVER"
        print(
            f"{label:<14} best wall {best_wall:.3f} s, best cpu {min(c for _, c in runs):.3f} s: "
            f"{verdict} the {BUDGET_SECONDS:g} s budget"
        )


def main() -> None:
    """Run the benchmark and print one line per phase."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--models", default="rice,wsjf,ice,current")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=_HERE / "data")
    parser.add_argument("--e2e", action="store_true", help="end to end, in fresh interpreters")
    args = parser.parse_args()
    path = data_file(args.size, args.data)
    names = args.models.split(",")
    if args.e2e:
        _end_to_end(path, names, args.repeat)
    else:
        _in_process(path, names, args.repeat)


if __name__ == "__main__":
    main()
