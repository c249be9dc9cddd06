"""Baseline files: record today's findings so that CI only fails on new ones.

An entry is keyed by rule code, item key and a fingerprint of the finding's subject (never
by file line or message text), so moving, reformatting or editing an unrelated item, or a
stale item getting one day older, does not bring a baselined finding back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from backlogctl.connectors.limits import MAX_DEPTH, bracket_line, read_text, too_deep
from backlogctl.errors import InputError


def fingerprint(code: str, key: str, subject: str) -> str:
    """A stable 16-hex-digit fingerprint of a finding's identity."""
    return hashlib.sha256(f"{code}\0{key}\0{subject}".encode()).hexdigest()[:16]


class BaselineEntry(BaseModel):
    """One accepted finding. ``message`` is for humans reading the file; it is not matched."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    key: str
    fingerprint: str
    message: str = ""


class Baseline(BaseModel):
    """The baseline file's content (JSON)."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = 1
    tool: Literal["backlogctl"] = "backlogctl"
    entries: list[BaselineEntry] = []

    @cached_property
    def _keys(self) -> frozenset[tuple[str, str, str]]:
        return frozenset((entry.code, entry.key, entry.fingerprint) for entry in self.entries)

    def contains(self, code: str, key: str, stable: str) -> bool:
        """True when the finding identified by ``code``, ``key`` and fingerprint is accepted."""
        return (code, key, stable) in self._keys


def baseline_from(findings: Iterable[tuple[str, str, str, str]]) -> Baseline:
    """A baseline accepting every (code, key, fingerprint, message), sorted for stable diffs."""
    entries = {
        (code, key, stable): BaselineEntry(code=code, key=key, fingerprint=stable, message=message)
        for code, key, stable, message in findings
    }
    return Baseline(entries=[entries[key] for key in sorted(entries)])


def read_baseline(path: Path) -> Baseline:
    """Read a baseline file; ``InputError`` (exit 2) naming the file when it is malformed.

    The backlog reader's input limits apply (``connectors.limits``: size, line length, UTF-8,
    nesting depth), so a hostile file fails fast with one line instead of a crash.
    """
    if not path.exists() and not path.is_symlink():
        raise InputError("baseline file not found", location=str(path))
    text = read_text(str(path), what="JSON")
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"malformed baseline: invalid JSON: {exc.msg}", location=f"{path}:{exc.lineno}"
        ) from None
    except RecursionError:  # the JSON parser recurses once per level of nesting
        parsed = None
    if parsed is None or too_deep(parsed):
        raise InputError(
            f"malformed baseline: nested more than {MAX_DEPTH} levels deep",
            location=f"{path}:{bracket_line(text) or 1}",
        )
    return _validated(parsed, path)


def check_replaceable(path: Path) -> None:
    """``InputError`` (exit 2) unless ``path`` is missing or already a backlogctl baseline.

    ``--write-baseline`` must not silently replace a file that is something else (a backlog,
    a config) given by mistake.
    """
    if not path.exists() and not path.is_symlink():
        return
    if not path.is_file():  # a device or a FIFO: reading it could block or mean nothing
        raise InputError(
            "is not a regular file; pass --force to write to it anyway", location=str(path)
        )
    try:
        read_baseline(path)
    except InputError:
        raise InputError(
            "exists and is not a backlogctl baseline; pass --force to replace it",
            location=str(path),
        ) from None


def _validated(data: object, path: Path) -> Baseline:
    try:
        return Baseline.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "baseline"
        raise InputError(
            f"malformed baseline: {where}: {error['msg']}", location=str(path)
        ) from None


def render_baseline(baseline: Baseline) -> str:
    """The baseline as the JSON text written to disk."""
    return json.dumps(baseline.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
