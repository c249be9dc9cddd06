"""End-to-end benchmark of ``backlogctl plan`` on the 10k bench backlog (issue 12).

Target: ``plan --strategy value`` with capacity 40 × 3 sprints within 2 s end to end.
Every measurement is a fresh interpreter (a subprocess: start-up, imports, loading, ranking,
planning and JSON rendering count, as a user sees them). The commands run in turn, N
rounds, so each round compares runs made moments apart on this shared machine; the table
shows each command's best wall and CPU time (user + sys, from ``wait4``) and the ratio of its
best CPU time to ``rank``'s on the same file. Usage::

    python bench/bench_plan.py [--size 10000] [--repeat 5] [--chain N]

Commands: ``rank --format json`` (the reference: loading and ranking alone), ``plan`` with
``--strategy rank`` and ``value`` (in-progress items carried over: the generator's backlog has
about 2,000, so sprint 1 is full of them), ``value --exclude-in-progress`` (all three sprints
chosen by the knapsack), and ``value`` on a copy of the backlog with dependencies added
(every 10th item depends on an item up to 50 before it, epics included: groups for the exact
method and containers expanded to their open children). Each plan prints which method ran.
``--chain N`` adds ``plan --strategy rank`` and ``value`` on a generated backlog of N open,
estimated, scored stories that form one dependency chain, each depending on the one before,
ranked the other way round (the last of the chain first): every left-out item needs the
whole chain below it, which used to be walked once per item.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_DATA = _HERE / "data"


def _run(argv: list[str]) -> tuple[float, float, str]:
    """Wall time, CPU time (user + sys, from ``wait4``) and stdout of one run; a failure
    aborts."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{err.decode()}")
    return wall, usage.ru_utime + usage.ru_stime, out.decode()


def _with_dependencies(source: Path, target: Path) -> None:
    """``source`` with ``depends_on`` added to every 10th item (deterministic)."""
    lines = []
    for line in source.read_text(encoding="utf-8").splitlines():
        lines.append(line)
        if line.startswith("  - key: SHOP-"):
            number = int(line.rsplit("-", 1)[1])
            if number > 100 and number % 10 == 0:
                lines.append(f"    depends_on: [SHOP-{number - 1 - (number * 31) % 50}]")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _chain(count: int, target: Path) -> None:
    """``count`` stories, each depending on the one before; the model ranks the last first."""
    lines = ["name: Dependency chain (synthetic)", "items:"]
    for number in range(1, count + 1):
        lines += [
            f"  - key: C-{number}",
            f"    title: Step {number}",
            "    type: story",
            "    status: Backlog",
            f"    estimate: {(1, 2, 3, 5, 8)[number % 5]}",
            f"    rice: {{reach: {100 + number}, impact: 1, confidence: 80, effort: 1}}",
        ]
        if number > 1:
            lines.append(f"    depends_on: [C-{number - 1}]")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    """Generate the data if needed, run the commands in rounds, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--chain", type=int, default=0, help="add a dependency chain of N")
    args = parser.parse_args()
    backlog = _DATA / f"backlog_{args.size}.yaml"
    if not backlog.exists():
        subprocess.run(
            [sys.executable, str(_HERE / "generate.py"), "--sizes", str(args.size)], check=True
        )
    linked = _DATA / f"backlog_{args.size}_deps.yaml"
    if not linked.exists() or linked.stat().st_mtime < backlog.stat().st_mtime:
        _with_dependencies(backlog, linked)
    cli = [sys.executable, "-m", "backlogctl"]
    plan = ["plan", "--capacity", "40", "--sprints", "3", "--format", "json"]
    commands = {
        "rank (reference)": [*cli, "rank", str(backlog), "--format", "json"],
        "plan rank": [*cli, *plan, str(backlog)],
        "plan value": [*cli, *plan, str(backlog), "--strategy", "value"],
        "plan value --exclude-in-progress": [
            *cli, *plan, str(backlog), "--strategy", "value", "--exclude-in-progress"
        ],
        "plan value, dependencies": [*cli, *plan, str(linked), "--strategy", "value"],
    }  # fmt: skip
    if args.chain:
        chain = _DATA / f"chain_{args.chain}.yaml"
        _chain(args.chain, chain)
        commands[f"plan rank, chain of {args.chain}"] = [*cli, *plan, str(chain)]
        commands[f"plan value, chain of {args.chain}"] = [
            *cli, *plan, str(chain), "--strategy", "value"
        ]  # fmt: skip
    best: dict[str, tuple[float, float]] = {}
    methods: dict[str, str] = {}
    for _ in range(args.repeat):
        for label, argv in commands.items():
            wall, cpu, out = _run(argv)
            old = best.get(label, (float("inf"), float("inf")))
            best[label] = (min(old[0], wall), min(old[1], cpu))
            if label.startswith("plan"):
                document = json.loads(out)
                points = [sprint["points"] for sprint in document["sprints"]]
                methods[label] = f"{document['method'] or 'model order'}; points {points}"
    reference = best["rank (reference)"][1]
    print(f"{'command':34} {'best wall':>10} {'best CPU':>9} {'CPU / rank':>10}")
    for label, (wall, cpu) in best.items():
        print(f"{label:34} {wall:9.2f}s {cpu:8.2f}s {cpu / reference:9.2f}x")
    for label, method in methods.items():
        print(f"{label}: {method}")


if __name__ == "__main__":
    main()
