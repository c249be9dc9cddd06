"""Entry point for ``python -m backlogctl``."""

from __future__ import annotations

from backlogctl.cli.app import main

if __name__ == "__main__":
    main()
