"""The ``backlogctl`` Typer application: command registration and the top-level error handler.

Errors: a ``BacklogctlError`` is one line on stderr (``backlogctl: error: ...``) and its exit
code; ``--debug`` prints its traceback first. Any other exception is a bug: one line naming
its type, exit 2, and the traceback with ``--debug``. When stdout's reader goes away
(``backlogctl rank | head -1``, ``backlogctl --help | true``), the command stops quietly with
exit 141 (128 + SIGPIPE), as a Unix tool killed by SIGPIPE would.
"""

import contextlib
import io
import os
import sys
import traceback
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from backlogctl import __version__
from backlogctl.cli.params import prepare_parameters
from backlogctl.errors import EXIT_BROKEN_PIPE, EXIT_INPUT, EXIT_INTERRUPTED, BacklogctlError


def _report(exc: BacklogctlError, *, debug: bool) -> int:
    """Show ``exc`` on stderr (with its traceback under ``--debug``); return its exit code."""
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    typer.echo(f"backlogctl: error: {exc.render()}", err=True)
    return exc.exit_code


def _silence_stdout() -> int:
    """After a broken pipe: point stdout at /dev/null so the flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError):  # stdout without a file descriptor
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return EXIT_BROKEN_PIPE


_HELP_OPTION_NAMES = ["-h", "--help"]

ROOT_EXAMPLES = """Examples:

$ backlogctl init && backlogctl rank --top 10

$ backlogctl lint --fail-on warning --format github

$ backlogctl compare --models rice,wsjf,current"""


class _BacklogctlGroup(TyperGroup):
    """Renders every ``BacklogctlError`` once, as one line on stderr, with its exit code."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Here, not in __init__: Typer adds the completion options after building the group.
        prepare_parameters(self, _HELP_OPTION_NAMES)
        return super().main(*args, **kwargs)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except BacklogctlError as exc:
            ctx.exit(_report(exc, debug=bool(ctx.meta.get("backlogctl.debug"))))
        except KeyboardInterrupt:
            typer.echo("backlogctl: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            ctx.exit(_silence_stdout())
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
    epilog=ROOT_EXAMPLES,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": _HELP_OPTION_NAMES},
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
    from backlogctl.cli import (
        compare,
        config_cmd,
        history_cmd,
        jira_cmd,
        lint,
        okr_cmd,
        plan_cmd,
        rank,
        report_cmd,
        stakeholders_cmd,
    )

    for module in (
        rank,
        lint,
        compare,
        okr_cmd,
        stakeholders_cmd,
        plan_cmd,
        history_cmd,
        jira_cmd,
        config_cmd,
        report_cmd,
    ):
        module.register(app)


_register_commands()


def _debug_requested(args: list[str]) -> bool:
    """Whether ``--debug`` is among the options before the command name."""
    for arg in args:
        if arg == "--debug":
            return True
        if not arg.startswith("-"):
            return False
    return False


def _escape_unencodable_output() -> None:
    """Let stdout and stderr write a lone surrogate as ``\\ud800`` instead of failing.

    Values are escaped before they are shown (``sanitize.visible``), but JSON keeps exact
    text and a path from a non-UTF-8 file name holds surrogates: no output may crash on them.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def main() -> None:
    """The console script: run the app, rendering errors raised outside a command."""
    _escape_unencodable_output()
    try:
        app()
    except BacklogctlError as exc:  # raised outside a command (e.g. while parsing)
        sys.exit(_report(exc, debug=_debug_requested(sys.argv[1:])))
    except BrokenPipeError:
        sys.exit(_silence_stdout())
    except SystemExit as exc:
        # Rich meets a closed pipe (while printing --help) with its own exit 1.
        if isinstance(exc.__context__, BrokenPipeError):
            sys.exit(_silence_stdout())
        raise
