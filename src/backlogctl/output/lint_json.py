"""The lint JSON document, ``schema_version`` 1: fields are only added (docs/architecture.md)."""

from __future__ import annotations

from pydantic import BaseModel

from backlogctl.lint.result import FindingFields, LintResult

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
    findings: list[FindingFields]
    summary: LintSummary
    statistics: list[RuleCount] | None = None


def render_lint_json(result: LintResult, *, statistics: bool = False) -> str:
    """The findings, summary and (when asked) per-rule counts as indented JSON."""
    report = LintReport(
        # The engine's records are valid already: serialized as dicts, not validated into
        # ``Finding`` models first (the slowest step of a large JSON report, bench_lint.py).
        findings=[entry.as_dict() for entry in result.entries],
        summary=LintSummary(**result.summary()),
        statistics=[
            RuleCount(code=rule.code, name=rule.name, count=count)
            for rule, count in result.statistics()
        ]
        if statistics
        else None,
    )
    # Serialized by pydantic-core: the standard library's encoder runs in pure Python when
    # it indents, which made JSON the slowest step of linting a large backlog (bench_lint.py).
    text = report.model_dump_json(indent=2, exclude=None if statistics else {"statistics"})
    return text + "\n"
