"""The ``lint:`` section of the configuration (owned by the lint engine).

Rule codes, prefixes and each rule's options are checked against the registry by the engine
(``backlogctl.lint.engine``) when lint runs, with the config file:line in the error.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backlogctl.models import Severity


class LintOverride(BaseModel):
    """Settings that apply only to items matching ``types`` and/or ``paths`` (glob patterns).

    ``paths`` match an item's source file as given or relative to the config's folder.
    ``ignore`` turns rules off for those items; ``rules`` overrides options (over the
    top-level ``rules``), e.g. ``{types: [bug], ignore: [E003, D002]}``.
    """

    model_config = ConfigDict(extra="forbid")

    types: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)


class LintSettings(BaseModel):
    """Which rules run, at what severity, with which options.

    ``select`` (default: all rules), ``extend_select`` and ``ignore`` take codes or prefixes
    (``S``, ``S0``, ``S001``, ``ALL``); the most specific match wins. ``severity`` maps codes
    or prefixes to error/warning/info. ``fail_on`` is the default of ``--fail-on``.
    ``exempt_labels`` exempts items carrying one of these labels (case-insensitive) from the
    staleness and flow rules (the S family), as actions/stale's ``exempt-issue-labels`` do.
    """

    model_config = ConfigDict(extra="forbid")

    select: list[str] | None = None
    extend_select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)
    overrides: list[LintOverride] = Field(default_factory=list)
    # One literal, not ``Severity | Literal["never"]``: a bad value's error then names all four.
    fail_on: Literal["error", "warning", "info", "never"] | None = None
    exempt_labels: list[str] = Field(default_factory=list)

    @field_validator("exempt_labels")
    @classmethod
    def _labels_named(cls, labels: list[str]) -> list[str]:
        """Each label stripped; an empty one is an error (it would exempt nothing)."""
        cleaned = [label.strip() for label in labels]
        if any(not label for label in cleaned):
            raise ValueError("an exempt label must not be empty")
        return cleaned

    def exempts(self, labels: Iterable[str]) -> bool:
        """Whether an item with ``labels`` carries an exempt label (case-insensitive)."""
        if not self.exempt_labels:
            return False
        exempt = {label.casefold() for label in self.exempt_labels}
        return any(label.casefold() in exempt for label in labels)
