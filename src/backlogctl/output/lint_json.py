"""The lint JSON document (DESIGN.md contract, ``schema_version`` 1; fields are only added)."""

from __future__ import annotations

import json

from pydantic import BaseModel

from backlogctl.lint.engine import LintResult
from backlogctl.models import Finding

SCHEMA_VERSION = 1


class LintSummary(BaseModel):
    """Number of findings per severity."""

    error: int = 0
    warning: int = 0
    info: int = 0


class RuleCount(BaseModel):
    """Findings of one rule (``--statistics``)."""

    code: str
    name: str
    count: int


class LintReport(BaseModel):
    """The top-level lint JSON object; ``statistics`` only with ``--statistics``."""

    schema_version: int = SCHEMA_VERSION
    findings: list[Finding]
    summary: LintSummary
    statistics: list[RuleCount] | None = None


def render_lint_json(result: LintResult, *, statistics: bool = False) -> str:
    """The findings, summary and (when asked) per-rule counts as indented JSON."""
    report = LintReport(
        findings=result.findings,
        summary=LintSummary(**result.summary()),
        statistics=[
            RuleCount(code=rule.code, name=rule.name, count=count)
            for rule, count in result.statistics()
        ]
        if statistics
        else None,
    )
    data = report.model_dump(mode="json", exclude=None if statistics else {"statistics"})
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
