"""What a lint rule is: a code, a slug name, a default severity, options and a pure check.

Rules never decide severity, suppression or selection: they only say which items break them
and why. The engine (``engine.py``) does everything else, so rules stay small and testable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import BaseModel, ConfigDict

from backlogctl.models import BacklogItem, Severity

if TYPE_CHECKING:
    from backlogctl.lint.context import LintContext


class RuleOptions(BaseModel):
    """Base of every rule's options model: unknown options are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NoOptions(RuleOptions):
    """For rules that take no options."""


class Violation(NamedTuple):
    """One item breaking one rule.

    ``subject`` names what exactly is wrong when an item can break a rule in several ways
    (the field, the other item of a duplicate pair); it feeds the baseline fingerprint, so it
    must not change from day to day (never put a count of days in it).
    """

    item: BacklogItem
    message: str
    subject: str = ""


Check = Callable[[Sequence[BacklogItem], "LintContext", Any], Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    """A self-describing rule. ``check`` is None for the engine's own rules (L000, L001)."""

    code: str
    name: str
    severity: Severity
    doc: str
    options: type[RuleOptions] = NoOptions
    check: Check | None = None

    @property
    def summary(self) -> str:
        """The docstring's first line without the leading ``CODE name:``, as a sentence."""
        first = self.doc.strip().splitlines()[0].removeprefix(f"{self.code} {self.name}:")
        text = first.strip().rstrip(".")
        return text[:1].upper() + text[1:]
