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


def _best(backlog: Backlog, config: Config, repeat: int, selection: Selection) -> tuple[float, int]:
    best = float("inf")
    found = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = lint_backlog(backlog, config, as_of=AS_OF, selection=selection)
        best = min(best, time.perf_counter() - start)
        found = len(result.entries)
    return best, found


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
            seconds, found = _best(backlog, config, args.repeat, Selection())
            print(f"{size:>7} items: all rules {seconds:.3f} s, {found} findings")
            if args.per_rule:
                for code, rule in RULES.items():
                    if rule.check is None:
                        continue
                    alone, count = _best(backlog, config, 1, Selection(select=(code,)))
                    print(f"           {code} {rule.name:<30} {alone:.3f} s  {count:>6}")


if __name__ == "__main__":
    main()
