"""Benchmark ``lint``: in-process on generated backlogs, and end to end against a bare parse.

In-process (default): backlogs of 1k, 10k and 100k items from ``bench/generate.py`` are parsed
once; only ``lint_backlog`` is timed (best of ``--repeat`` runs), optionally each rule alone.

End to end (``--e2e``): each run is a fresh interpreter, so start-up and imports count as a
user sees them. A bare ``yaml_rs.loads`` of the file and ``backlogctl lint FILE --format json``
run in turn, ``--repeat`` rounds, on the 10k bench backlog and on the 23,313-item backlog
shaped like the public story-point datasets (``generate.py --real-world``). It prints each
command's best time, the ratio of the bests, and the median and range of per-round ratios.

    python bench/bench_lint.py [--sizes 1000,10000,100000] [--repeat 3] [--per-rule]
    python bench/bench_lint.py --e2e [--repeat 5] [--data bench/data]

Targets (issue 14): 10k items end to end within 2 s; the real-world backlog within 4x a bare
parse of the same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
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
_HERE = Path(__file__).resolve().parent
#: The generator's "today": lint as of that day sees the ages a live backlog would have.
_GENERATED_ON = "2026-01-15"
_BARE = "import sys, yaml_rs; yaml_rs.loads(open(sys.argv[1], encoding='utf-8').read())"

# The generator is a sibling script, not a package.
sys.path.insert(0, str(_HERE))
from _common import child_times  # noqa: E402
from generate import REAL_WORLD_SIZE, generate, generate_real_world  # noqa: E402


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


def _in_process(sizes: list[int], repeat: int, per_rule: bool) -> None:
    config = Config()
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"backlog_{size}.yaml"
            path.write_text(generate(size), encoding="utf-8")
            backlog = load_backlog([str(path)], config)
            wall, cpu, found = _best(backlog, config, repeat, Selection())
            print(
                f"{size:>7} items: all rules {wall:.3f} s wall, {cpu:.3f} s CPU, {found} findings"
            )
            if per_rule:
                for code, rule in RULES.items():
                    if rule.check is None:
                        continue
                    _, alone, count = _best(backlog, config, repeat, Selection(select=(code,)))
                    print(f"           {code} {rule.name:<30} {alone:.3f} s CPU {count:>7}")


def _end_to_end(data: Path, repeat: int) -> None:
    data.mkdir(parents=True, exist_ok=True)
    files = [data / "backlog_10000.yaml", data / f"realworld_{REAL_WORLD_SIZE}.yaml"]
    if not files[0].exists():
        files[0].write_text(generate(10_000), encoding="utf-8")
    if not files[1].exists():
        files[1].write_text(generate_real_world(), encoding="utf-8")
    backlogctl = shutil.which("backlogctl") or str(Path(sys.executable).with_name("backlogctl"))
    print(f"{'file':<24} {'MB':>5} {'':>4} {'bare parse':>10} {'lint json':>10} {'ratio':>7}"
          f" {'per round: median':>17} {'range':>11}")  # fmt: skip
    for path in files:
        lint = [backlogctl, "lint", str(path), "--format", "json", "--fail-on", "never"]
        commands = [[sys.executable, "-c", _BARE, str(path)], [*lint, "--as-of", _GENERATED_ON]]
        # Interleaved: the machine's speed drifts, so each round compares runs made moments
        # apart. cwd is the data folder, so no backlogctl.yaml of the checkout is picked up.
        rounds = [[child_times(command, data) for command in commands] for _ in range(repeat)]
        for index, kind in enumerate(("wall", "cpu")):
            bare, lint_time = (min(run[which][index] for run in rounds) for which in range(2))
            ratios = sorted(run[1][index] / run[0][index] for run in rounds)
            print(
                f"{path.name:<24} {path.stat().st_size / 1e6:>5.1f} {kind:>4} {bare:>9.2f}s"
                f" {lint_time:>9.2f}s {lint_time / bare:>6.2f}x"
                f" {statistics.median(ratios):>16.2f}x {ratios[0]:>5.2f}-{ratios[-1]:.2f}x"
            )


def main() -> None:
    """Time lint in process per size, or end to end (``--e2e``)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--per-rule", action="store_true", help="Also time each rule alone.")
    parser.add_argument("--e2e", action="store_true", help="End to end against a bare parse.")
    parser.add_argument("--data", type=Path, default=_HERE / "data")
    args = parser.parse_args()
    if args.e2e:
        _end_to_end(args.data, args.repeat)
    else:
        _in_process([int(part) for part in args.sizes.split(",")], args.repeat, args.per_rule)


if __name__ == "__main__":
    main()
