"""The ``lint:`` section of the configuration (owned by the lint engine)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from backlogctl.models import Severity


class LintOverride(BaseModel):
    """Settings that apply only to items matching ``types`` and/or ``paths`` (glob patterns)."""

    model_config = ConfigDict(extra="forbid")

    types: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)


class LintSettings(BaseModel):
    """Which rules run, at what severity, with which options."""

    model_config = ConfigDict(extra="forbid")

    select: list[str] | None = None
    extend_select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)
    overrides: list[LintOverride] = Field(default_factory=list)
    fail_on: Severity | None = None
