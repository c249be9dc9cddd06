"""Benchmark ``lint``: all rules on synthetic backlogs of 1k, 10k and 100k items (after parsing).

Backlogs come from ``bench/generate.py`` (written to a temporary folder, deterministic per
seed) and are parsed once; only ``lint_backlog`` is timed (best of ``--repeat`` runs), with
the cost of each rule alone and of duplicate detection (D003) shown separately.

    python bench/bench_lint.py [--sizes 1000,10000,100000] [--repeat 3] [--per-rule]

Targets (issue 4): 10k items under 0.5 s, 100k under 5 s, every rule included.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import tempfile
import time
from pathlib import Path

from backlogctl.config import Config
from backlogctl.lint.engine import Selection, lint_backlog
from backlogctl.lint.registry import RULES
from backlogctl.loader import load_backlog
from backlogctl.models import Backlog

AS_OF = dt.datetime(2026, 11, 25, 23, 59, 59, tzinfo=dt.UTC)


def _best(
    backlog: Backlog, config: Config, repeat: int, selection: Selection
) -> tuple[float, float, int]:
    """Best wall time, best CPU time of this process (steadier on a shared machine), findings."""
    wall = cpu = float("inf")
    found = 0
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = lint_backlog(backlog, config, as_of=AS_OF, selection=selection)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
        found = len(result.entries)
    return wall, cpu, found


def main() -> None:
    """Generate, parse, then time lint per size."""
    # The generator is a sibling script, not a package.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import generate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--per-rule", action="store_true", help="Also time each rule alone.")
    args = parser.parse_args()
    config = Config()
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(part) for part in args.sizes.split(",")):
            path = Path(folder) / f"backlog_{size}.yaml"
            path.write_text(generate(size), encoding="utf-8")
            backlog = load_backlog([str(path)], config)
            # As the console script does (cli/app.main): no cyclic GC in a one-shot command.
            gc.disable()
            wall, cpu, found = _best(backlog, config, args.repeat, Selection())
            print(
                f"{size:>7} items: all rules {wall:.3f} s wall, {cpu:.3f} s CPU, {found} findings"
            )
            if args.per_rule:
                for code, rule in RULES.items():
                    if rule.check is None:
                        continue
                    _, alone, count = _best(backlog, config, args.repeat, Selection(select=(code,)))
                    print(f"           {code} {rule.name:<30} {alone:.3f} s CPU {count:>7}")


if __name__ == "__main__":
    main()
