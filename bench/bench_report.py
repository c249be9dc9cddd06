"""Benchmark ``backlogctl report`` on the 10k bench backlog, with a history of 5 snapshots.

Usage: ``python bench/bench_report.py [--size 10000] [--snapshots 5] [--repeat 3]
[--baseline-src OTHER_CHECKOUT/src]``

Target (issue 13): the report of the 10k bench backlog within 3 s, including the history
section over 5 snapshots; the HTML under 2 MB.

Setup (not timed): the backlog from ``bench/generate.py`` (missing files are generated) and a
history file with ``--snapshots`` earlier states of it (each a few hundred items with other
RICE inputs, some items open that are done now), written through the history API. Then, in
turn for ``--repeat`` rounds, each in a fresh interpreter (start-up and imports count):
``rank --format json`` (the reference: the load-independent figure is the report's CPU time
as a multiple of rank's, since bench/README.md has rank's on a quiet machine), ``report
--format html`` with the history, ``report --format markdown`` with it, and ``report
--format html`` without it; with ``--baseline-src`` also the HTML report with history run by
another checkout's code (same interpreter and dependencies: a before/after comparison in the
same rounds). Printed per command: best wall and CPU time (user + sys of the
child) and its ratio to rank's, then the outputs' sizes. Then one in-process run split by
phase (load, lint, rankings under every model, sections, history, rendering).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import data_file
from backlogctl.config import Config
from backlogctl.history.state import capture
from backlogctl.history.store import open_history
from backlogctl.loader import load_backlog
from backlogctl.models import Backlog, BacklogItem
from backlogctl.scoring.registry import get_model

_HERE = Path(__file__).resolve().parent
BUDGET_SECONDS = 3.0
SIZE_LIMIT = 2_000_000
AS_OF = "2026-12-01"


def _earlier(backlog: Backlog, rng: random.Random, changed: int) -> Backlog:
    """``backlog`` with ``changed`` items' RICE inputs different and some done items open."""
    items = list(backlog.items)
    for index in rng.sample(range(len(items)), changed):
        item = items[index]
        update: dict[str, object] = {}
        if item.rice is not None and item.rice.impact is not None:
            update["rice"] = item.rice.model_copy(update={"impact": rng.choice((0.25, 1, 3))})
        if item.is_done:
            update.update(status="In Progress", status_category="in_progress")
        items[index] = item.model_copy(update=update)
    return backlog.model_copy(update={"items": items})


def write_history(backlog: Backlog, path: Path, snapshots: int) -> None:
    """``snapshots`` earlier states of ``backlog``, one a week, the last a week before AS_OF."""
    config = Config()
    models = [get_model("rice", config), get_model("wsjf", config)]
    rng = random.Random(13)
    end = dt.datetime.fromisoformat(AS_OF).replace(tzinfo=dt.UTC) - dt.timedelta(days=7)
    with open_history(path, create=True) as store:
        for week in range(snapshots, 0, -1):
            taken = end - dt.timedelta(days=7 * (week - 1))
            state = capture(_earlier(backlog, rng, 300), config, models, as_of=taken)
            store.add(state, taken=taken, note=f"week {snapshots - week + 1}")


def _run(arguments: list[str], src: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of ``python -m backlogctl ARGUMENTS`` in a fresh interpreter
    (with the code of the checkout whose ``src`` is given, when it is)."""
    env = None if src is None else {**os.environ, "PYTHONPATH": str(src.resolve())}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "backlogctl", *arguments],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _phases(path: Path, history: Path) -> None:
    """One in-process run, timed by phase."""
    from backlogctl.lint.engine import lint_backlog
    from backlogctl.output.report_html import render_report_html
    from backlogctl.output.report_markdown import render_report_markdown
    from backlogctl.report.build import build_report
    from backlogctl.report.history_section import load_snapshot

    as_of = dt.datetime.fromisoformat(AS_OF).replace(hour=23, minute=59, tzinfo=dt.UTC)
    config = Config()
    marks: list[tuple[str, float]] = []

    def mark(label: str, start: float) -> float:
        now = time.process_time()
        marks.append((label, now - start))
        return now

    start = time.process_time()
    backlog: Backlog = load_backlog([str(path)], config)
    start = mark("load the YAML backlog", start)
    lint_backlog(backlog, config, as_of=as_of)
    start = mark("lint alone (also inside build_report)", start)
    snapshots = load_snapshot(history, "rice", as_of)
    start = mark("load the last of 5 snapshots", start)
    report = build_report(
        backlog, config, model="rice", as_of=as_of, sources=[str(path)], snapshots=snapshots
    )
    start = mark("build_report (lint, rankings, sections, history)", start)
    html = render_report_html(report)
    start = mark("render HTML", start)
    render_report_markdown(report)
    mark("render Markdown", start)
    for label, seconds in marks:
        print(f"  {label:<52} cpu {seconds:6.3f} s")
    print(f"  HTML: {len(html.encode()):,} bytes")


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--snapshots", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=_HERE / "data")
    parser.add_argument("--baseline-src", type=Path, help="another checkout's src/ to compare")
    args = parser.parse_args()
    path = data_file(args.size, args.data)
    with tempfile.TemporaryDirectory() as folder:
        history = Path(folder) / "history.sqlite"
        backlog = load_backlog([str(path)], Config())
        items: list[BacklogItem] = backlog.items
        print(f"{len(items):,} items; writing {args.snapshots} snapshots ...")
        write_history(backlog, history, args.snapshots)
        html, markdown = Path(folder) / "report.html", Path(folder) / "report.md"
        common = [str(path), "--as-of", AS_OF]
        commands = {
            "rank --format json (reference)": ["rank", str(path), "--format", "json"],
            "report html, history of 5 snapshots": [
                "report",
                *common,
                "--history",
                str(history),
                "-o",
                str(html),
            ],
            "report markdown, history of 5 snapshots": [
                "report",
                *common,
                "--history",
                str(history),
                "-o",
                str(markdown),
            ],
            "report html, no history": ["report", *common, "-o", str(Path(folder) / "plain.html")],
        }
        baseline = "report html, history, --baseline-src"
        if args.baseline_src is not None:
            commands[baseline] = [*commands["report html, history of 5 snapshots"]]
            commands[baseline][-1] = str(Path(folder) / "baseline.html")
        best: dict[str, tuple[float, float]] = {}
        for _ in range(args.repeat):
            for label, arguments in commands.items():
                src = args.baseline_src if label == baseline else None
                wall, cpu = _run(arguments, src)
                old = best.get(label, (float("inf"), float("inf")))
                best[label] = (min(old[0], wall), min(old[1], cpu))
        reference = best["rank --format json (reference)"][1]
        for label, (wall, cpu) in best.items():
            verdict = "within" if cpu <= BUDGET_SECONDS else "OVER"
            print(
                f"{label:<42} best wall {wall:6.3f} s   cpu {cpu:6.3f} s   "
                f"{cpu / reference:4.2f}x rank's CPU   ({verdict} 3 s)"
            )
        if args.baseline_src is not None:
            same = (Path(folder) / "baseline.html").read_bytes() == html.read_bytes()
            print(f"baseline HTML {'identical' if same else 'DIFFERS'} byte for byte")
        size = html.stat().st_size
        print(
            f"HTML {size:,} bytes ({'under' if size < SIZE_LIMIT else 'OVER'} 2 MB), "
            f"Markdown {markdown.stat().st_size:,} bytes"
        )
        print("in-process phases (one run):")
        _phases(path, history)


if __name__ == "__main__":
    main()
