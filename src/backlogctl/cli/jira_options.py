"""Options and checks shared by the ``jira`` commands (server, account, time budget, plans)."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backlogctl.cli.common import warn
from backlogctl.errors import InputError

if TYPE_CHECKING:
    from backlogctl.config import Config

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
PlanOutOpt = Annotated[
    Path | None,
    typer.Option("--plan-out", help="Save the plan as JSON to FILE.", dir_okay=False),
]


def jql_or_config(jql: str | None, config: "Config") -> str:
    """The query to run: ``--jql``, else jira.jql; exit 2 when neither is set."""
    query = jql or config.jira.jql
    if not query:
        raise InputError("no JQL: pass --jql or set jira.jql in backlogctl.yaml")
    return query


def refuse_beside_saved_plan(options: tuple[tuple[str, object], ...]) -> None:
    """Exit 2 naming the given ``(flag, value)`` options a saved plan (--apply-plan) excludes."""
    given = [name for name, value in options if value]
    if given:
        raise InputError(
            f"--apply-plan applies the saved plan as it is: leave out {', '.join(given)}"
        )


def warn_over_bound(count: int, bound: int) -> None:
    """Warn on a dry run that --apply would refuse a plan of ``count`` writes over ``bound``."""
    warn(
        f"the plan has {count} write operations, more than --max-operations "
        f"{bound}: --apply would refuse it"
    )
