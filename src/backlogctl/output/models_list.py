"""The ``backlogctl models`` listing: each model's formula, description and input scales."""

from __future__ import annotations

import json
from collections.abc import Mapping

from pydantic import BaseModel

from backlogctl.output.json_text import terminal_safe
from backlogctl.output.rich_console import string_console
from backlogctl.output.text import no_command_lines, shown
from backlogctl.scoring.base import ScoringModel

SCHEMA_VERSION = 1


class ModelInfo(BaseModel):
    """One model as listed by ``backlogctl models``."""

    name: str
    builtin: bool
    formula: str
    description: str
    inputs: dict[str, str]


class ModelsReport(BaseModel):
    """The top-level ``models --format json`` object."""

    schema_version: int = SCHEMA_VERSION
    models: list[ModelInfo]


def _infos(models: Mapping[str, ScoringModel], builtin: frozenset[str]) -> list[ModelInfo]:
    return [
        ModelInfo(
            name=name,
            builtin=name in builtin,
            formula=model.formula,
            description=model.description,
            inputs=dict(model.input_scales),
        )
        for name, model in models.items()
    ]


def render_models_json(models: Mapping[str, ScoringModel], builtin: frozenset[str]) -> str:
    """The models as indented JSON (``schema_version`` 1)."""
    report = ModelsReport(models=_infos(models, builtin))
    return (
        terminal_safe(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False))
        + "\n"
    )


def render_models_table(
    models: Mapping[str, ScoringModel],
    builtin: frozenset[str],
    *,
    rich: bool = False,
    color: bool = False,
    width: int = 120,
) -> str:
    """The models as a Rich table (terminal) or plain indented blocks (piped)."""
    infos = _infos(models, builtin)
    if rich:
        return no_command_lines(_render_rich(infos, color=color, width=width))
    blocks = []
    for info in infos:
        kind = "built-in" if info.builtin else "custom"
        lines = [
            f"{shown(info.name)} ({kind}): {shown(info.formula)}",
            f"  {shown(info.description)}",
        ]
        inputs = {shown(path): shown(scale) for path, scale in info.inputs.items()}
        pad = max(len(path) for path in inputs) if inputs else 0
        lines += [f"  {path.ljust(pad)}  {scale}" for path, scale in inputs.items()]
        blocks.append("\n".join(lines))
    return no_command_lines("\n\n".join(blocks) + "\n")


def _render_rich(infos: list[ModelInfo], *, color: bool, width: int) -> str:
    from rich.table import Table
    from rich.text import Text

    # Rich fits the table to the terminal's width by wrapping the text columns.
    table = Table(
        title="Scoring models", title_justify="left", header_style="bold", show_lines=True
    )
    table.add_column("Model", style="cyan", no_wrap=True)
    table.add_column("Formula")
    table.add_column("Inputs and scales")
    table.add_column("Description", style="dim")
    for info in infos:
        kind = "built-in" if info.builtin else "custom"
        scales = "\n".join(f"{shown(path)}: {shown(scale)}" for path, scale in info.inputs.items())
        table.add_row(
            Text(f"{shown(info.name)}\n({kind})"),
            Text(shown(info.formula)),
            Text(scales),
            Text(shown(info.description)),
        )
    console, buffer = string_console(width, color=color)
    console.print(table)
    return buffer.getvalue()
