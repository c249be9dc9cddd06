"""``backlogctl config schema|check`` and ``backlogctl init``: configuration tooling."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from backlogctl.cli.common import ConfigOpt, emit, load_settings
from backlogctl.errors import InputError

config_app = typer.Typer(
    name="config",
    help="Inspect and validate backlogctl configuration.",
    no_args_is_help=True,
)

STARTER_CONFIG = """\
# backlogctl configuration. Reference: `backlogctl config schema` prints its JSON Schema.
# Backlog files or directories, relative to this file (used when no SOURCE is given).
sources: [backlog.yaml]

# Scoring model used by `backlogctl rank` when --model is not given: rice, wsjf, ice
# or one of the custom models below.
default_model: rice

# Custom models: a safe formula over item fields, or a weighted sum of fields.
models:
  value_per_point:
    formula: "(wsjf.business_value + wsjf.time_criticality) / estimate"
    description: Business value and urgency per story point

# Workflow statuses beyond the built-in ones (To Do, Backlog, In Progress, Done, ...).
statuses:
  in_progress: ["In QA"]
"""


@config_app.command("schema")
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


@config_app.command("check")
def check_command(config: ConfigOpt = None) -> None:
    """Validate the configuration (formulas, rule options, field names) and say which file."""
    from backlogctl.lint.engine import lint_backlog
    from backlogctl.models import Backlog

    settings = load_settings(config)
    if settings.path is None:
        typer.echo("no configuration file found; using the built-in defaults")
        return
    # The lint section (codes, prefixes, rule options, overrides) is checked against the
    # rule registry when lint plans its run: plan one on no items, so `config check`
    # fails exactly where `lint` would.
    lint_backlog(Backlog(), settings, as_of=dt.datetime.now(dt.UTC))
    models = ", ".join(sorted(settings.models)) or "none"
    typer.echo(f"{settings.path}: ok (default model: {settings.default_model}; custom: {models})")


def init_command(
    path: Annotated[
        Path, typer.Argument(help="Where to write the starter config.", dir_okay=False)
    ] = Path("backlogctl.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter backlogctl.yaml."""
    from backlogctl.writeback.atomic import write_text_atomic

    if path.exists() and not force:
        raise InputError("already exists (use --force to overwrite)", location=str(path))
    write_text_atomic(path, STARTER_CONFIG)
    typer.echo(f"wrote {path}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``config`` and ``init`` to ``app``."""
    app.add_typer(config_app)
    app.command("init")(init_command)
