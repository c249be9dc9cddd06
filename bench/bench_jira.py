"""Benchmark the Jira pull against the emulator: 10,000 issues, 50 ms latency per request.

Measures requests and wall time for (a) backlogctl's pull, (b) the naive
``JIRA(...).search_issues(jql, maxResults=False)`` with all fields, (c) a repeat incremental
pull with no changes, on Cloud and on Server/DC. The emulator runs in its own process so it
does not share the GIL with the client being measured; it counts the requests.

    python bench/bench_jira.py [--issues 10000] [--latency 0.05]
    python bench/bench_jira.py --scrub   # reply scrubbing: walk every string vs raw check
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMAIL = "bench@example.com"
TOKEN = "bench-token-0123456789"
JQL = "project = SHOP AND statusCategory != Done"
MAPPING = {
    "estimate": "Story point estimate",
    "rank": "Rank",
    "rice.reach": "Reach",
    "rice.impact": "Impact",
    "rice.confidence": "Confidence",
    "rice.effort": "Effort",
    "objective": "Objective",
}


def _start_emulator(
    flavour: str, issues: int, latency: float, *, lean: bool = False
) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jira_emulator",
            "--issues",
            str(issues),
            "--latency",
            str(latency),
            "--flavour",
            flavour,
            "--email",
            EMAIL,
            "--token",
            TOKEN,
            *(["--lean"] if lean else []),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def _stop(process: subprocess.Popen[str]) -> None:
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=30)


def _served(url: str) -> int:
    """How many requests the emulator has answered so far."""
    import json
    import urllib.request

    with urllib.request.urlopen(f"{url}/_emulator/requests", timeout=10) as response:
        return int(json.load(response)["requests"])


def _backlogctl_pull(url: str, *, full: bool) -> tuple[int, int, float]:
    from backlogctl.config import Config
    from backlogctl.connectors.jira import pull_backlog

    config = Config.model_validate(
        {"jira": {"url": url, "email": EMAIL, "fields": MAPPING, "timeout": 300}}
    )
    started = time.perf_counter()
    result = pull_backlog(JQL, config, full=full)
    return len(result.backlog.items), result.requests, time.perf_counter() - started


def _naive_pull(url: str) -> tuple[int, int, float]:
    from jira import JIRA

    before = _served(url)
    started = time.perf_counter()
    client = JIRA(server=url, basic_auth=(EMAIL, TOKEN))
    issues = client.search_issues(JQL, maxResults=False)
    elapsed = time.perf_counter() - started
    return len(issues), _served(url) - before, elapsed


def _scrub_costs(issues: int) -> None:
    """What scrubbing every reply would cost against the raw-bytes check that skips it.

    Times both over the search pages of a ``issues``-issue pull (mapped fields only), with
    a token that none of them contains, in turns to share the machine's drift.
    """
    import json

    sys.path.insert(0, str(ROOT / "tests"))
    from backlogctl.connectors.jira_client import _scrubbed
    from backlogctl.connectors.jira_credentials import Credentials
    from backlogctl.connectors.jira_fields import requested_fields
    from jira_emulator.data import make_issues
    from jira_emulator.server import _render

    fields = set(requested_fields({"estimate": "customfield_10016", "rank": "customfield_10019"}))
    data = make_issues(issues)
    pages = [
        json.dumps({"issues": [_render(i, "http://x", "3", fields, "") for i in data[k : k + 100]]})
        .encode()
        .replace(b"\\u", b"?")  # Jira sends UTF-8, not \u escapes: as the check sees a real reply
        for k in range(0, issues, 100)
    ]
    credentials = Credentials("http://x", EMAIL, TOKEN)
    walk, check = [], []
    for _ in range(3):
        decoded = [json.loads(page) for page in pages]
        started = time.perf_counter()
        for page in decoded:
            _scrubbed(page, credentials.secret_pattern)
        walk.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert not any(credentials.may_be_in(page) for page in pages)
        check.append(time.perf_counter() - started)
    size = sum(map(len, pages)) / 1e6
    print(f"scrubbing {issues} issues ({size:.1f} MB of search pages), best of 3:")
    print(f"  walk every string {min(walk):.3f} s, raw-bytes check {min(check):.4f} s")


def main() -> None:
    """Run the three measurements on both flavours and print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument(
        "--lean", action="store_true", help="issues without the fields a real site adds to *all"
    )
    parser.add_argument(
        "--scrub", action="store_true", help="only time reply scrubbing: walk vs raw check"
    )
    options = parser.parse_args()
    if options.scrub:
        _scrub_costs(options.issues)
        return
    os.environ["BACKLOGCTL_JIRA_TOKEN"] = TOKEN
    os.environ["BACKLOGCTL_CACHE_DIR"] = tempfile.mkdtemp(prefix="backlogctl-bench-")
    # Import both clients up front so neither run pays the other's import time.
    import jira  # noqa: F401

    import backlogctl.connectors.jira
    import backlogctl.connectors.jira_cache  # noqa: F401

    rows: list[tuple[str, str, int, int, float]] = []
    for flavour in ("cloud", "server"):
        process, url = _start_emulator(flavour, options.issues, options.latency, lean=options.lean)
        try:
            rows.append((flavour, "(a) backlogctl pull", *_backlogctl_pull(url, full=True)))
            rows.append((flavour, "(b) naive search_issues", *_naive_pull(url)))
            rows.append((flavour, "(c) repeat, no changes", *_backlogctl_pull(url, full=False)))
        finally:
            _stop(process)
    payload = "lean issues" if options.lean else "issues with a realistic *all payload"
    print(f"{options.issues} {payload}, {options.latency * 1000:.0f} ms latency per request")
    print(f"{'flavour':8} {'run':26} {'issues':>7} {'requests':>9} {'seconds':>8}")
    for flavour, name, issues, requests, seconds in rows:
        print(f"{flavour:8} {name:26} {issues:7d} {requests:9d} {seconds:8.2f}")
    for flavour in ("cloud", "server"):
        ours = next(r for r in rows if r[0] == flavour and r[1].startswith("(a)"))[4]
        naive = next(r for r in rows if r[0] == flavour and r[1].startswith("(b)"))[4]
        print(f"{flavour}: backlogctl is {naive / ours:.1f}x faster than the naive call")


if __name__ == "__main__":
    main()
