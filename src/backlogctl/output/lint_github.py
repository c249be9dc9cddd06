"""GitHub Actions workflow commands: one ``::warning file=...,line=...,title=S001::...`` each.

GitHub turns these into annotations on the pull request's diff, on the item's line. Severity
maps to ``error``/``warning``/``notice``. Values are escaped as the runner expects (``%``,
CR, LF everywhere; also ``:`` and ``,`` in properties).
"""

from __future__ import annotations

from backlogctl.lint.result import LintResult
from backlogctl.models import Finding

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """The workflow command for one finding."""
    properties = []
    if finding.source is not None:
        properties.append(f"file={_property(finding.source)}")
        if finding.line:
            properties.append(f"line={finding.line}")
    properties.append(f"title={_property(finding.code)}")
    message = f"{finding.key}: {finding.message}"
    if finding.source is None and finding.url:
        message += f" ({finding.url})"
    return f"::{_COMMANDS[finding.severity]} {','.join(properties)}::{_data(message)}"


def render_lint_github(result: LintResult) -> str:
    """One annotation per finding (empty when clean)."""
    return "".join(annotation(finding) + "\n" for finding in result.findings)
