"""GitHub Actions workflow commands: one ``::warning file=...,line=...,title=S001::...`` each.

GitHub turns these into annotations on the pull request's diff, on the item's line: file
paths are given from the repository's root (``GITHUB_WORKSPACE``, else the folder holding
``.git``), so lint may run from a subfolder. Severity maps to ``error``/``warning``/
``notice``. Control characters in values are shown as escapes (``\x1b``), then values are
escaped as the runner expects (``%``, CR, LF everywhere; also ``:`` and ``,`` in
properties), so no value can end the command or start another.
"""

from __future__ import annotations

from pathlib import Path

from backlogctl.lint.result import LintResult, ReportedFinding
from backlogctl.output.lint_paths import relative_to_root, repository_root
from backlogctl.sanitize import visible

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return visible(escaped)


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: ReportedFinding, root: Path) -> str:
    """The workflow command for one finding, its file given from ``root``."""
    properties = []
    if finding.source is not None:
        properties.append(f"file={_property(relative_to_root(finding.source, root))}")
        if finding.line:
            properties.append(f"line={finding.line}")
    properties.append(f"title={_property(finding.code)}")
    message = f"{finding.key}: {finding.message}"
    if finding.source is None and finding.url:
        message += f" ({finding.url})"
    return f"::{_COMMANDS[finding.severity]} {','.join(properties)}::{_data(message)}"


def render_lint_github(result: LintResult, root: Path | None = None) -> str:
    """One annotation per finding (empty when clean); paths from ``root`` (default: the
    repository's root, see ``repository_root``).
    """
    base = root or repository_root()
    return "".join(annotation(finding, base) + "\n" for finding in result.entries)
