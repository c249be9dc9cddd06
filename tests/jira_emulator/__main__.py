"""Run the emulator standalone (for the bench): ``python -m jira_emulator --issues 10000``.

Prints the base URL on the first line of stdout, then serves until stdin closes.
"""

from __future__ import annotations

import argparse
import sys

from jira_emulator.data import make_issues
from jira_emulator.server import JiraEmulator


def main() -> None:
    """Parse options, start the server, print its URL, serve until stdin closes."""
    parser = argparse.ArgumentParser(prog="jira_emulator")
    parser.add_argument("--issues", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--flavour", choices=["cloud", "server"], default="cloud")
    parser.add_argument("--email", default="po@example.com")
    parser.add_argument("--token", default="emulator-token")
    parser.add_argument("--lean", action="store_true", help="issues without the *all extras")
    options = parser.parse_args()
    emulator = JiraEmulator(
        issues=make_issues(options.issues, lean=options.lean),
        flavour=options.flavour,
        email=options.email,
        token=options.token,
        latency=options.latency,
    )
    print(emulator.start(), flush=True)
    sys.stdin.read()
    print(len(emulator.log), flush=True)
    emulator.stop()


if __name__ == "__main__":
    main()
