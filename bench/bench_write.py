"""End-to-end benchmark of ``rank --write`` against ``rank`` on the 10k bench backlog.

Target (issue 11): ``rank --write --apply`` on the 10k-item bench backlog within 2x the time
of ``rank`` on it, end to end. Every measurement is a fresh interpreter (a subprocess), so
start-up and imports count. Each round restores the original file, then runs in turn:
``rank --format json``, ``rank --write`` (the dry-run diff, to /dev/null), ``rank --write
--apply`` (renumbers the items whose rank is out of order) and ``rank --write --apply`` again
(a no-op). The table shows each one's best wall and CPU time, peak memory, and the ratios to
``rank`` of the bests and per round (median, range). Usage::

    python bench/bench_write.py [--size 10000] [--model rice] [--repeat 5]
    python bench/bench_write.py --snapshot [--ruamel]   # the jira pull -o emitter, in-process

``--snapshot`` times, in one process and interleaved, what writing a ``jira pull -o``
snapshot of the same 10k items costs: ``yaml_rs.dumps`` (the emitter used before, without
its quoting workaround), backlogctl's emitter without and with its re-parse check
(``snapshot_yaml``), and with ``--ruamel`` once ruamel.yaml's safe pure-Python dumper.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Command, Run, data_file, measure, print_ratios


def _snapshot(original: Path, repeat: int, *, ruamel: bool) -> None:
    """CPU time of each way to write the snapshot YAML of ``original``'s items."""
    import io

    import yaml_rs

    from backlogctl.config import Config
    from backlogctl.connectors.jira_ops import _compact, snapshot_yaml
    from backlogctl.connectors.yaml_emit import emit_document
    from backlogctl.loader import load_backlog

    backlog = load_backlog([str(original)], Config())
    items = [_compact(item.model_dump(mode="json", exclude={"source"})) for item in backlog.items]
    document = {"name": "x", "items": items}
    ways = {
        "yaml_rs.dumps": lambda: yaml_rs.dumps(document),
        "emitter, no check": lambda: emit_document(document, verify=False),
        "snapshot_yaml": lambda: snapshot_yaml(backlog, name="x"),
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(repeat):
        for name, way in ways.items():
            started = time.process_time()
            way()
            times[name].append(time.process_time() - started)
    if ruamel:
        from ruamel.yaml import YAML

        dumper = YAML(typ="safe", pure=True)
        started = time.process_time()
        dumper.dump(document, io.StringIO())
        times["ruamel safe pure"] = [time.process_time() - started]
    print(f"\n{original.name}: {len(items)} items, CPU seconds, {repeat} rounds")
    for name, values in times.items():
        print(f"  {name:<18} best {min(values):.2f} s  median {statistics.median(values):.2f} s")


def main() -> None:
    """Print the table of the four commands and their ratios to ``rank``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--model", default="rice")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parent / "data")
    parser.add_argument("--snapshot", action="store_true", help="time the pull -o emitter")
    parser.add_argument("--ruamel", action="store_true", help="with --snapshot: ruamel too")
    args = parser.parse_args()
    original = data_file(args.size, args.data)
    if args.snapshot:
        _snapshot(original, args.repeat, ruamel=args.ruamel)
        return
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder) / "backlog.yaml"
        base = [sys.executable, "-m", "backlogctl", "rank", str(work), "--model", args.model]
        commands = [
            Command("rank json", [*base, "--format", "json"]),
            Command("write (diff)", [*base, "--write"]),
            Command("write --apply", [*base, "--write", "--apply"]),
            Command("again (no-op)", [*base, "--write", "--apply"]),
        ]
        rounds: list[list[Run]] = []
        for _ in range(args.repeat):
            shutil.copyfile(original, work)
            # cwd is the temp folder, so no backlogctl.yaml of the checkout is picked up.
            rounds.append([measure(command, Path(folder)) for command in commands])
        shutil.copyfile(original, work)
        summary = subprocess.run(
            [*base, "--write", "--apply"], cwd=folder, capture_output=True, text=True, check=True
        ).stderr.strip()
    print(f"\n{original.name}: {original.stat().st_size / 1e6:.1f} MB, {args.repeat} rounds")
    print(f"  write --apply said: {summary}")
    print_ratios(commands, rounds, "rank", 14)


if __name__ == "__main__":
    main()
