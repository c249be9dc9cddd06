"""Benchmark rank history: the size of 100 snapshots of the 10k bench backlog, and ``diff``.

Storage (default): the 10k bench backlog (``bench/generate.py``) is loaded once, then changed
between snapshots the way a team's backlog changes between refinements: per snapshot
``--churn`` of the items get new RICE/WSJF inputs, estimate or status, a few get a new title,
20 items are added and 10 removed, and one item is moved to the top of the stored rank (as a
Jira re-rank does, shifting every other item's position). Each snapshot is captured as
``backlogctl snapshot`` captures it (rank under rice, wsjf and ice; every lint rule) and
stored; the file size and the time of each store are printed.

End to end (``--e2e``): each run is a fresh interpreter, so start-up and imports count.
``backlogctl diff FILE --format json`` (and the table) against a snapshot of the same file,
``backlogctl snapshot FILE``, ``backlogctl lint FILE --format json`` (diff lints the current
backlog, so lint is its floor) and a bare ``yaml_rs.loads`` of the file run in turn,
``--repeat`` rounds.

    python bench/bench_history.py [--snapshots 100] [--churn 0.02] [--keep FILE]
    python bench/bench_history.py --e2e [--repeat 5]

Targets (issue 13): 100 snapshots of the 10k bench backlog under 200 MB; ``diff`` on the 10k
bench backlog within 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from backlogctl.config import Config
from backlogctl.history.state import capture
from backlogctl.history.store import open_history
from backlogctl.loader import load_backlog
from backlogctl.models import Backlog, BacklogItem
from backlogctl.scoring.registry import get_model

_HERE = Path(__file__).resolve().parent
_START = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
_BARE = "import sys, yaml_rs; yaml_rs.loads(open(sys.argv[1], encoding='utf-8').read())"

sys.path.insert(0, str(_HERE))
from _common import child_times  # noqa: E402
from generate import generate  # noqa: E402


def _bench_file(data: Path) -> Path:
    data.mkdir(parents=True, exist_ok=True)
    path = data / "backlog_10000.yaml"
    if not path.exists():
        path.write_text(generate(10_000), encoding="utf-8")
    return path


def _changed(item: BacklogItem, rng: random.Random) -> BacklogItem:
    """``item`` after a refinement: new inputs, estimate or status, sometimes a new title."""
    update: dict[str, object] = {}
    choice = rng.random()
    if choice < 0.4 and item.rice is not None:
        update["rice"] = item.rice.model_copy(update={"impact": rng.choice((0.25, 0.5, 1, 2, 3))})
    elif choice < 0.6 and item.wsjf is not None:
        update["wsjf"] = item.wsjf.model_copy(update={"job_size": rng.choice((1, 2, 3, 5, 8, 13))})
    elif choice < 0.8:
        update["estimate"] = rng.choice((1, 2, 3, 5, 8, 13))
    else:
        update["status"], update["status_category"] = rng.choice(
            (("In Progress", "in_progress"), ("Done", "done"), ("Ready", "todo"))
        )
    if rng.random() < 0.25:
        update["title"] = f"{item.title} (reworded)"
    return item.model_copy(update=update)


def _next(
    items: list[BacklogItem], number: int, churn: float, rng: random.Random
) -> list[BacklogItem]:
    changed = set(rng.sample(range(len(items)), int(len(items) * churn)))
    items = [_changed(item, rng) if i in changed else item for i, item in enumerate(items)]
    for index in sorted(rng.sample(range(len(items)), 10), reverse=True):
        del items[index]
    templates = rng.sample(items, 20)
    items += [
        item.model_copy(update={"key": f"NEW-{number}-{i}", "title": f"New idea {number}.{i}"})
        for i, item in enumerate(templates)
    ]
    top = rng.randrange(len(items))  # moved to the top of the stored rank
    ranked = [items[top], *items[:top], *items[top + 1 :]]
    return [item.model_copy(update={"rank": position}) for position, item in enumerate(ranked, 1)]


def _storage(data: Path, count: int, churn: float, keep: Path | None) -> None:
    config = Config()
    models = [get_model(name, config) for name in ("rice", "wsjf", "ice")]
    backlog = load_backlog([str(_bench_file(data))], config)
    items = list(backlog.items)
    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as folder:
        path = keep or Path(folder) / "history.sqlite"
        path.unlink(missing_ok=True)
        stores: list[float] = []
        with open_history(path, create=True) as history:
            for number in range(1, count + 1):
                taken = _START + dt.timedelta(days=7 * number)
                state = capture(Backlog(items=items), config, models, as_of=taken)
                started = time.perf_counter()
                history.add(state, taken=taken, note=f"week {number}")
                stores.append(time.perf_counter() - started)
                if number in (1, 10, 50, count):
                    size = path.stat().st_size / 1e6
                    print(
                        f"after {number:>3} snapshots: {size:7.1f} MB, {len(items)} items, "
                        f"{len(state.findings)} findings, last store {stores[-1]:.2f} s"
                    )
                items = _next(items, number, churn, rng)
        stores.sort()
        print(
            f"store time per snapshot: median {stores[len(stores) // 2]:.2f} s, "
            f"max {stores[-1]:.2f} s"
        )


def _end_to_end(data: Path, repeat: int, history: Path | None) -> None:
    path = _bench_file(data)
    backlogctl = shutil.which("backlogctl") or str(Path(sys.executable).with_name("backlogctl"))
    with tempfile.TemporaryDirectory() as folder:
        store = history or Path(folder) / "history.sqlite"
        if history is None:
            child_times([backlogctl, "snapshot", str(path), "--history", str(store)], data)
        commands = {
            "bare parse": [sys.executable, "-c", _BARE, str(path)],
            # diff lints the current backlog: lint alone is its floor.
            "lint json": [backlogctl, "lint", str(path), "-f", "json", "--fail-on", "never"],
            "diff json": [backlogctl, "diff", str(path), "--history", str(store), "-f", "json"],
            "diff table": [backlogctl, "diff", str(path), "--history", str(store)],
            "snapshot": [backlogctl, "snapshot", str(path), "--history", str(Path(folder) / "s")],
        }
        # Interleaved rounds: the machine's speed drifts, so each round compares runs made
        # moments apart. cwd is the data folder: no backlogctl.yaml of the checkout is used.
        rounds = [
            {name: child_times(cmd, data) for name, cmd in commands.items()} for _ in range(repeat)
        ]
        bare = min(run["bare parse"][1] for run in rounds)
        for name in commands:
            wall = min(run[name][0] for run in rounds)
            cpu = min(run[name][1] for run in rounds)
            print(
                f"{name:<11} best wall {wall:5.2f} s, best CPU {cpu:5.2f} s "
                f"({cpu / bare:4.1f}x the bare parse)"
            )


def main() -> None:
    """Measure storage over many snapshots, or ``diff`` and ``snapshot`` end to end."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=100)
    parser.add_argument("--churn", type=float, default=0.02)
    parser.add_argument("--keep", type=Path, help="Write the history here (kept after the run).")
    parser.add_argument("--e2e", action="store_true", help="Time diff and snapshot end to end.")
    parser.add_argument("--history", type=Path, help="With --e2e: diff against this history.")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data", type=Path, default=_HERE / "data")
    args = parser.parse_args()
    if args.e2e:
        _end_to_end(args.data.resolve(), args.repeat, args.history)
    else:
        _storage(args.data, args.snapshots, args.churn, args.keep)


if __name__ == "__main__":
    main()
