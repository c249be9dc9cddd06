"""``backlogctl config schema|check`` and ``backlogctl init``: configuration tooling."""

import datetime as dt
import shlex
import shutil
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backlogctl.cli.common import ConfigOpt, emit, load_settings, stdout_is_terminal
from backlogctl.cli.starter import STARTER_BACKLOG, STARTER_CONFIG
from backlogctl.errors import InputError
from backlogctl.sanitize import quoted, visible

if TYPE_CHECKING:
    from backlogctl.config import Config

CONFIG_EXAMPLES = """Examples:

$ backlogctl config check

$ backlogctl config schema -o backlogctl.schema.json"""

config_app = typer.Typer(
    name="config",
    help="Inspect and validate backlogctl configuration.",
    epilog=CONFIG_EXAMPLES,
    no_args_is_help=True,
)

SCHEMA_EXAMPLES = """Examples:

$ backlogctl config schema -o backlogctl.schema.json

$ backlogctl config schema | jq '.properties | keys'"""

CHECK_EXAMPLES = """Examples:

$ backlogctl config check

$ backlogctl config check --config teams/web/backlogctl.yaml"""

INIT_EXAMPLES = """Examples:

$ backlogctl init && backlogctl rank

$ backlogctl init planning/

$ backlogctl init --force"""


@config_app.command("schema", epilog=SCHEMA_EXAMPLES)
def schema_command(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the schema to FILE.", dir_okay=False),
    ] = None,
) -> None:
    """Print the JSON Schema of backlogctl.yaml (for editor completion and validation)."""
    import json

    from backlogctl.config import Config

    schema = Config.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "backlogctl configuration"
    emit(json.dumps(schema, indent=2, sort_keys=True), output)


@config_app.command("check", epilog=CHECK_EXAMPLES)
def check_command(config: ConfigOpt = None) -> None:
    """Validate the configuration (formulas, rule options, field names, sources) and say which file.

    Exit 2 with file:line when something is wrong, e.g. a source that does not exist.
    """
    from backlogctl.lint.engine import lint_backlog
    from backlogctl.lint.plan import check_codes
    from backlogctl.models import Backlog

    settings = load_settings(config)
    if settings.path is None:
        typer.echo("no configuration file found; using the built-in defaults")
        return
    # The lint section (codes, prefixes, rule options, overrides) is checked against the
    # rule registry when lint plans its run: plan one on no items, so `config check`
    # fails exactly where `lint` would.
    lint_backlog(Backlog(), settings, as_of=dt.datetime.now(dt.UTC))
    check_codes(settings.jira.mark.select, what="jira.mark.select", config=settings)
    _check_sources(settings)
    models = ", ".join(sorted(settings.models)) or "none"
    # Paths and model names are the user's text: shown inert like every value in output.
    head = visible(f"{settings.path}: ok")
    details = [visible(f"default model: {settings.default_model}"), visible(f"custom: {models}")]
    for line in _fitted(head, details):
        typer.echo(line)


def _fitted(head: str, details: list[str]) -> list[str]:
    """``head (detail; detail)`` on one line, as scripts read it when piped; on a terminal too
    narrow for that line, ``head`` and each detail on lines of their own, wrapped to fit."""
    line = f"{head} ({'; '.join(details)})"
    if not stdout_is_terminal():
        return [line]
    width = shutil.get_terminal_size().columns
    if len(line) <= width:
        return [line]
    lines = textwrap.wrap(head, width, subsequent_indent="  ", break_on_hyphens=False)
    for detail in details:
        lines += textwrap.wrap(
            detail, width, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False
        )
    return lines


def _check_sources(settings: "Config") -> None:
    """Every ``sources:`` entry must exist: a config pointing nowhere is not "ok"."""
    missing = [
        (index, resolved)
        for index, source in enumerate(settings.sources)
        if source != "-" and not Path(resolved := settings.resolve_source(source)).exists()
    ]
    if missing:
        index, path = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise InputError(
            f"sources: {quoted(path)} not found{more}",
            location=settings.location("sources", index),
        )


def init_command(
    directory: Annotated[
        Path,
        typer.Argument(
            help="Directory to write backlogctl.yaml and a starter backlog.yaml into "
            "(created if missing).",
            file_okay=False,
            show_default=False,
        ),
    ] = Path(),
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing backlogctl.yaml.")
    ] = False,
) -> None:
    """Write a commented starter backlogctl.yaml and backlog.yaml, and say what to run next.

    An existing backlog.yaml is kept (--force only replaces the config).
    """
    from backlogctl.writeback.atomic import write_text_atomic

    config_path = directory / "backlogctl.yaml"
    backlog_path = directory / "backlog.yaml"
    if config_path.exists() and not force:
        raise InputError("already exists (use --force to overwrite)", location=str(config_path))
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create: {exc.strerror}", location=str(directory)) from None
    write_text_atomic(config_path, STARTER_CONFIG)
    lines = [f"wrote {config_path}"]
    if backlog_path.exists():
        lines.append(f"kept {backlog_path} (already there)")
    else:
        write_text_atomic(backlog_path, STARTER_BACKLOG)
        lines.append(f"wrote {backlog_path} (a starter backlog: edit it or change 'sources:')")
    config_option = "" if directory == Path() else f" --config {shlex.quote(str(config_path))}"
    lines.append("next:")
    lines.append(f"  backlogctl rank{config_option}    # order the backlog by RICE")
    lines.append(f"  backlogctl lint{config_option}    # check it against the hygiene rules")
    for line in lines:
        typer.echo(visible(line))  # a directory name may hold control characters


def register(app: typer.Typer) -> None:
    """Add ``config`` and ``init`` to ``app``."""
    app.add_typer(config_app)
    app.command("init", epilog=INIT_EXAMPLES)(init_command)
