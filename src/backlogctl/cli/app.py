"""The ``backlogctl`` Typer application: command registration and the top-level error handler."""

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from backlogctl import __version__
from backlogctl.errors import EXIT_INPUT, BacklogctlError


class _BacklogctlGroup(TyperGroup):
    """Renders every ``BacklogctlError`` once, as one line on stderr, with its exit code."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except BacklogctlError as exc:
            if ctx.meta.get("backlogctl.debug"):
                raise
            typer.echo(f"backlogctl: error: {exc.render()}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            typer.echo("backlogctl: interrupted", err=True)
            ctx.exit(130)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except Exception as exc:
            if ctx.meta.get("backlogctl.debug"):
                raise
            # A bug, not bad input. Its text is not shown: it could quote a secret from a
            # library's internals; --debug prints the traceback for a bug report.
            typer.echo(
                f"backlogctl: internal error ({type(exc).__name__}); this is a bug: please "
                "report it with the output of `backlogctl --debug ...`",
                err=True,
            )
            ctx.exit(EXIT_INPUT)


app = typer.Typer(
    name="backlogctl",
    cls=_BacklogctlGroup,
    help="Backlog hygiene and prioritization: rank, lint and compare your backlog.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"backlogctl {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")
    ] = False,
) -> None:
    """Backlog hygiene and prioritization: rank, lint and compare your backlog."""
    ctx.meta["backlogctl.debug"] = debug


def _register_commands() -> None:
    from backlogctl.cli import compare, config_cmd, jira_cmd, lint, rank

    for module in (rank, lint, compare, jira_cmd, config_cmd):
        module.register(app)


_register_commands()


def main() -> None:
    """Run the app, rendering errors raised outside a command (see ``cli.entry``)."""
    try:
        app()
    except BacklogctlError as exc:  # raised outside a command (e.g. while parsing)
        print(f"backlogctl: error: {exc.render()}", file=sys.stderr)
        sys.exit(exc.exit_code)
