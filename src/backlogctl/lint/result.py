"""What a lint run produces: its findings (in report order), counts and exit code.

Renderers read a ``LintResult``; only the engine (``engine.py``) builds one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal, NamedTuple

from pydantic import TypeAdapter
from typing_extensions import TypedDict

from backlogctl.lint.baseline import Baseline, baseline_from, fingerprint
from backlogctl.lint.registry import INTERNAL_ERROR
from backlogctl.lint.rule import Rule
from backlogctl.models import SEVERITY_ORDER, Finding, Severity

FailOn = Literal["error", "warning", "info", "never"]

#: Fail only on errors by default: warnings and infos are advice a team adopts gradually
#: (as yamllint does); ``--fail-on warning`` makes CI strict.
DEFAULT_FAIL_ON: FailOn = "error"


class FindingFields(TypedDict):
    """The fields of ``models.Finding`` (the lint JSON contract), in its order, as a dict.

    What renderers serialize without building a ``Finding`` model per finding; a test holds
    these fields equal to ``Finding``'s.
    """

    code: str
    severity: Severity
    key: str
    message: str
    source: str | None
    line: int | None
    url: str | None
    rule: str | None


class ReportedFinding(NamedTuple):
    """One finding as the engine records it: the ``Finding`` fields plus its ``subject``.

    ``subject`` names what exactly is wrong (a field, the other item of a pair); with the code
    and key it makes the finding's fingerprint (baselines, SARIF).
    """

    code: str
    severity: Severity
    key: str
    message: str
    source: str | None
    line: int | None
    url: str | None
    rule: str
    subject: str = ""

    @property
    def fingerprint(self) -> str:
        """Stable fingerprint of rule code, item key and subject (baselines, SARIF)."""
        return fingerprint(self.code, self.key, self.subject)

    def as_dict(self) -> FindingFields:
        """The ``Finding`` fields."""
        return {
            "code": self.code,
            "severity": self.severity,
            "key": self.key,
            "message": self.message,
            "source": self.source,
            "line": self.line,
            "url": self.url,
            "rule": self.rule,
        }


_FINDINGS: TypeAdapter[list[Finding]] = TypeAdapter(list[Finding])


@dataclass
class LintResult:
    """What one lint run found, after suppressions and the baseline (sorted by file, line, code)."""

    entries: list[ReportedFinding]
    rules: dict[str, Rule]
    suppressed: int = 0
    baselined: int = 0

    @cached_property
    def findings(self) -> list[Finding]:
        """The findings as ``Finding`` models, in the entries' order."""
        return _FINDINGS.validate_python([entry.as_dict() for entry in self.entries])

    def summary(self) -> dict[str, int]:
        """Number of findings per severity (every severity present, even at 0)."""
        counts = {"error": 0, "warning": 0, "info": 0}
        for entry in self.entries:
            counts[entry.severity] += 1
        return counts

    def statistics(self) -> list[tuple[Rule, int]]:
        """Each rule that found something, with its number of findings, by code."""
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.code] = counts.get(entry.code, 0) + 1
        return [(self.rules[code], counts[code]) for code in sorted(counts)]

    def to_baseline(self) -> Baseline:
        """A baseline accepting every finding of this run (``--write-baseline``).

        Internal errors (L000) are left out: a crashing rule is a bug to report, never an
        accepted state.
        """
        return baseline_from(
            (entry.code, entry.key, entry.fingerprint, entry.message)
            for entry in self.entries
            if entry.code != INTERNAL_ERROR.code
        )

    @property
    def internal_errors(self) -> int:
        """How many rules crashed on an item (each is an L000 finding)."""
        return sum(1 for entry in self.entries if entry.code == INTERNAL_ERROR.code)

    def exit_code(self, fail_on: FailOn) -> int:
        """1 when a finding is at or above ``fail_on`` or a rule crashed, else 0."""
        if self.internal_errors:
            return 1
        if fail_on == "never":
            return 0
        floor = SEVERITY_ORDER[fail_on]
        return int(any(SEVERITY_ORDER[entry.severity] >= floor for entry in self.entries))
