"""Benchmark the dependency graph and lint's H007-H009 on generated backlogs.

Backlogs from ``bench/generate.py`` (1k, 10k, 100k items by default) are parsed once; each
gets ``depends_on`` added in memory: every 3rd item depends on two earlier items, and every
500th item closes a cycle of 50. Timed, best of ``--repeat`` runs, CPU time of this process:

- ``graph``: ``DependencyGraph`` plus its cycles and every item's resolution (what lint and
  ``plan`` ask of it);
- ``lint +deps`` / ``lint -deps``: all rules, and all rules but H007-H009, interleaved in
  the same rounds, on the backlog with dependencies and on the one without.

    python bench/bench_dependencies.py [--sizes 1000,10000,100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from backlogctl.config import Config
from backlogctl.dependencies import DependencyGraph
from backlogctl.lint.engine import Selection, lint_backlog
from backlogctl.loader import load_backlog
from backlogctl.models import Backlog, BacklogItem

AS_OF = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE))
from generate import generate  # noqa: E402


def with_dependencies(items: list[BacklogItem]) -> list[BacklogItem]:
    """``items`` with deterministic dependencies and a cycle of 50 at every 500th item."""
    keys = [item.key for item in items]
    result = []
    for n, item in enumerate(items):
        depends: list[str] = []
        if n >= 10 and n % 3 == 0:
            depends = [keys[n - 1 - (n * 31) % 10], keys[n - 1 - (n * 17) % 7]]
        if n % 500 == 0 and n + 50 < len(items):
            depends.append(keys[n + 49])  # n+49 -> ... via the chain below -> n
        if n % 500 and n % 500 < 50:
            depends.append(keys[n - 1])
        result.append(item.model_copy(update={"depends_on": depends}))
    return result


def _cpu(action: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        action()
        best = min(best, time.process_time() - start)
    return best


def _graph(backlog: Backlog) -> None:
    graph = DependencyGraph(backlog.items, backlog.dependency_statuses)
    _ = graph.cycles
    for item in backlog.items:
        graph.resolved(item.key)


def main() -> None:
    """Generate or reuse the backlogs, time each step, print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    config = Config()
    everything = Selection()
    without = Selection(ignore=("H007", "H008", "H009"))
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(part) for part in args.sizes.split(",")):
            path = Path(folder) / f"bench-{size}.yaml"
            path.write_text(generate(size), encoding="utf-8")
            plain = load_backlog([str(path)], config)
            linked = Backlog(items=with_dependencies(plain.items))
            graph = DependencyGraph(linked.items)
            edges = sum(len(item.depends_on) for item in linked.items)
            print(f"{size:>7} items, {edges} depends_on entries, {len(graph.cycles)} cycles")
            graph_cpu = _cpu(partial(_graph, linked), args.repeat)
            print(f"        graph          {graph_cpu:.3f} s CPU")
            for name, backlog in (("no deps", plain), ("with deps", linked)):
                times = {"+deps": float("inf"), "-deps": float("inf")}
                for _ in range(args.repeat):
                    for label, selection in (("+deps", everything), ("-deps", without)):
                        run = partial(
                            lint_backlog, backlog, config, as_of=AS_OF, selection=selection
                        )
                        times[label] = min(times[label], _cpu(run, 1))
                print(
                    f"        lint {name:<9} all rules {times['+deps']:.3f} s CPU, "
                    f"without H007-H009 {times['-deps']:.3f} s CPU"
                )


if __name__ == "__main__":
    main()
