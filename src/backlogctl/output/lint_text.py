"""Human-readable lint output: one line per finding (``file:line: CODE [severity] KEY: ...``).

Values from the backlog are shown inert (``output.text.shown``): control characters as
escapes, no line starting with a GitHub workflow command.

Like ruff: findings first, then a one-line summary; ``--statistics`` prints a count per rule
instead of the findings; ``--quiet`` prints findings only. Colour only when asked (a terminal).
"""

from __future__ import annotations

from backlogctl.lint.result import LintResult, ReportedFinding
from backlogctl.output.text import align, shown

_COLORS = {"error": "\033[1;31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET = "\033[0m"


def location(finding: ReportedFinding) -> str:
    """``file:line`` (or the issue URL) of a finding."""
    if finding.source is not None:
        return f"{finding.source}:{finding.line}" if finding.line else finding.source
    return finding.url or "<unknown>"


def finding_line(finding: ReportedFinding, *, color: bool = False) -> str:
    """One finding on one line."""
    severity = f"[{finding.severity}]"
    if color:
        severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
    return (
        f"{shown(location(finding))}: {finding.code} {severity} {shown(finding.key)}: "
        f"{shown(finding.message)}"
    )


def render_lint_text(
    result: LintResult, *, statistics: bool = False, quiet: bool = False, color: bool = False
) -> str:
    """The findings (or statistics) and, unless ``quiet``, a summary line."""
    if statistics:
        rows = [[str(count), rule.code, rule.name] for rule, count in result.statistics()]
        lines = align(["count", "code", "rule"], rows, right={0}) if rows else []
    else:
        lines = [finding_line(finding, color=color) for finding in result.entries]
    if not quiet:
        lines.append(summary_line(result))
    return "\n".join(lines) + "\n" if lines else ""


def summary_line(result: LintResult) -> str:
    """``Found 3 findings: 1 error, 2 warnings, 0 info.`` plus suppressed/baselined counts."""
    counts = result.summary()
    total = sum(counts.values())
    if total:
        text = (
            f"Found {total} finding{'s' if total != 1 else ''}: "
            f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}, "
            f"{counts['info']} info"
        )
    else:
        text = "No findings"
    extras = []
    if result.suppressed:
        extras.append(f"{result.suppressed} suppressed")
    if result.baselined:
        extras.append(f"{result.baselined} in the baseline")
    return f"{text} ({', '.join(extras)})." if extras else f"{text}."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"
