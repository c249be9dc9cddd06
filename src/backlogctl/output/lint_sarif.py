"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

Every rule of the registry is described under ``tool.driver.rules`` (with its documentation
as help, in plain text and Markdown); each finding is a result pointing at the item's file
(relative to the repository root, as code scanning expects) and line, carrying the baseline
fingerprint as a partial fingerprint so viewers track it across runs.
The run's ``properties.schema_version`` versions backlogctl's own additions.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from backlogctl import __version__
from backlogctl.lint.result import LintResult, ReportedFinding
from backlogctl.lint.rule import Rule
from backlogctl.output.lint_paths import relative_to_root, repository_root
from backlogctl.output.lint_rules import markdown_doc, plain_doc

SCHEMA_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class _Text(_Model):
    text: str
    markdown: str | None = None


class _Configuration(_Model):
    level: str


class _RuleDescriptor(_Model):
    id: str
    name: str
    short_description: _Text = Field(alias="shortDescription")
    full_description: _Text = Field(alias="fullDescription")
    help: _Text
    default_configuration: _Configuration = Field(alias="defaultConfiguration")


class _Driver(_Model):
    name: str = "backlogctl"
    version: str = __version__
    rules: list[_RuleDescriptor]


class _Tool(_Model):
    driver: _Driver


class _ArtifactLocation(_Model):
    uri: str


class _Region(_Model):
    start_line: int = Field(alias="startLine")


class _PhysicalLocation(_Model):
    artifact_location: _ArtifactLocation = Field(alias="artifactLocation")
    region: _Region | None = None


class _Location(_Model):
    physical_location: _PhysicalLocation = Field(alias="physicalLocation")


class _Result(_Model):
    rule_id: str = Field(alias="ruleId")
    rule_index: int = Field(alias="ruleIndex")
    level: str
    message: _Text
    locations: list[_Location]
    partial_fingerprints: dict[str, str] = Field(alias="partialFingerprints")
    properties: dict[str, str]


class _Run(_Model):
    tool: _Tool
    results: list[_Result]
    properties: dict[str, int]


class _Log(_Model):
    schema_uri: str = Field(SARIF_SCHEMA, alias="$schema")
    version: str = "2.1.0"
    runs: list[_Run]


def _descriptor(rule: Rule) -> _RuleDescriptor:
    return _RuleDescriptor(
        id=rule.code,
        name=rule.name,
        short_description=_Text(text=plain_doc(rule.summary)),
        full_description=_Text(
            text=plain_doc(rule.doc.strip().split("\n\n")[0].replace("\n", " "))
        ),
        help=_Text(text=plain_doc(rule.doc.strip()), markdown=markdown_doc(rule.doc.strip())),
        default_configuration=_Configuration(level=_LEVELS[rule.severity]),
    )


def artifact_uri(path: str) -> str:
    """A file path as a SARIF URI reference: relative paths stay relative, with ``/``."""
    if path.startswith(("http://", "https://")):
        return path
    # A backslash separates folders only on Windows; elsewhere it is part of a name (and of
    # the escapes that show a file name's non-UTF-8 bytes), percent-encoded below.
    posix = PureWindowsPath(path).as_posix() if os.sep == "\\" else path
    if PurePosixPath(posix).is_absolute():
        return "file://" + quote(posix)
    return quote(posix)


def _result(entry: ReportedFinding, index: dict[str, int], root: Path) -> _Result:
    finding = entry
    locations = []
    target = relative_to_root(finding.source, root) if finding.source else finding.url
    if target is not None:
        region = _Region(start_line=finding.line) if finding.source and finding.line else None
        locations.append(
            _Location(
                physical_location=_PhysicalLocation(
                    artifact_location=_ArtifactLocation(uri=artifact_uri(target)), region=region
                )
            )
        )
    return _Result(
        rule_id=finding.code,
        rule_index=index[finding.code],
        level=_LEVELS[finding.severity],
        message=_Text(text=f"{finding.key}: {finding.message}"),
        locations=locations,
        partial_fingerprints={"backlogctl/v1": entry.fingerprint},
        properties={"key": finding.key},
    )


def render_lint_sarif(result: LintResult, root: Path | None = None) -> str:
    """The findings as a SARIF 2.1.0 log (one run); paths from ``root`` (default: the
    repository's root, see ``repository_root``).
    """
    base = root or repository_root()
    rules = [result.rules[code] for code in sorted(result.rules)]
    index = {rule.code: number for number, rule in enumerate(rules)}
    log = _Log(
        runs=[
            _Run(
                tool=_Tool(driver=_Driver(rules=[_descriptor(rule) for rule in rules])),
                results=[_result(entry, index, base) for entry in result.entries],
                properties={"schema_version": SCHEMA_VERSION},
            )
        ]
    )
    data = log.model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
