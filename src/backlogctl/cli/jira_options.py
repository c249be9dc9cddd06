"""Options shared by the ``jira`` commands (server, account, time budget)."""

from typing import Annotated

import typer

UrlOpt = Annotated[
    str | None,
    typer.Option("--url", help="Jira base URL (default: BACKLOGCTL_JIRA_URL, then jira.url)."),
]
EmailOpt = Annotated[
    str | None,
    typer.Option(
        "--email", help="Account email for Cloud (default: BACKLOGCTL_JIRA_EMAIL, then jira.email)."
    ),
]
TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        min=0.1,
        help="Total time budget in seconds, retries included (default: jira.timeout).",
    ),
]
