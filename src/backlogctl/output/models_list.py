"""The ``backlogctl models`` listing: each model's formula, description and input scales."""

from __future__ import annotations

import json
from collections.abc import Mapping

from pydantic import BaseModel

from backlogctl.output.rich_console import string_console
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
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


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
        return _render_rich(infos, color=color, width=width)
    blocks = []
    for info in infos:
        kind = "built-in" if info.builtin else "custom"
        lines = [f"{info.name} ({kind}): {info.formula}", f"  {info.description}"]
        pad = max(len(path) for path in info.inputs) if info.inputs else 0
        lines += [f"  {path.ljust(pad)}  {scale}" for path, scale in info.inputs.items()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _render_rich(infos: list[ModelInfo], *, color: bool, width: int) -> str:
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title="Scoring models", title_justify="left", header_style="bold", show_lines=True
    )
    table.add_column("Model", style="cyan", no_wrap=True)
    table.add_column("Formula")
    table.add_column("Inputs and scales")
    table.add_column("Description", style="dim")
    for info in infos:
        kind = "built-in" if info.builtin else "custom"
        scales = "\n".join(f"{path}: {scale}" for path, scale in info.inputs.items())
        table.add_row(
            Text(f"{info.name}\n({kind})"), Text(info.formula), Text(scales), Text(info.description)
        )
    console, buffer = string_console(width, color=color)
    console.print(table)
    return buffer.getvalue()
