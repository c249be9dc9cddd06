"""JUnit XML: one test case per item and rule that failed, so CI systems list them as tests.

Several findings of one rule on one item (e.g. two invalid inputs) share one test case. A
clean run is one passing test case, so dashboards show a green run rather than nothing.
Internal errors (L000) are ``<error>`` elements; other findings are ``<failure>`` elements.
XML 1.0 cannot hold most control characters, even escaped: values show them as escapes
(``\x1b``), so the document stays well-formed whatever the backlog holds.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from backlogctl.lint.registry import INTERNAL_ERROR
from backlogctl.lint.result import LintResult, ReportedFinding
from backlogctl.output.lint_text import finding_line
from backlogctl.sanitize import visible

SCHEMA_VERSION = 1
_SUITE = "backlogctl lint"
#: Characters XML 1.0 forbids that ``visible`` keeps (it escapes the C0 and C1 controls).
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold shown as an escape."""
    shown = visible(text, multiline=True)
    return _NOT_XML.sub(lambda match: f"\\u{ord(match.group()):04x}", shown)


def render_lint_junit(result: LintResult) -> str:
    """The findings as a JUnit XML document."""
    cases: dict[tuple[str, str], list[ReportedFinding]] = {}
    for finding in result.entries:
        cases.setdefault((finding.key, finding.code), []).append(finding)
    failures = sum(1 for (_, code) in cases if code != INTERNAL_ERROR.code)
    errors = len(cases) - failures
    tests = max(len(cases), 1)
    counts = {"tests": str(tests), "failures": str(failures), "errors": str(errors)}
    root = ET.Element("testsuites", {"name": _SUITE, **counts, "time": "0"})
    suite = ET.SubElement(
        root, "testsuite", {"name": _SUITE, **counts, "skipped": "0", "time": "0"}
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", {"name": "schema_version", "value": str(SCHEMA_VERSION)})
    for (key, code), findings in cases.items():
        first = findings[0]
        attributes = {
            "classname": _xml_text(first.source or first.url or "backlog"),
            "name": _xml_text(f"{key} {code} {first.rule or ''}".rstrip()),
            "time": "0",
        }
        if first.source is not None:
            attributes["file"] = _xml_text(first.source)
        if first.line:
            attributes["line"] = str(first.line)
        case = ET.SubElement(suite, "testcase", attributes)
        kind = "error" if code == INTERNAL_ERROR.code else "failure"
        failure = ET.SubElement(
            case,
            kind,
            {
                "type": code,
                "message": _xml_text("; ".join(f"[{f.severity}] {f.message}" for f in findings)),
            },
        )
        failure.text = _xml_text("\n".join(finding_line(finding) for finding in findings))
    if not cases:
        ET.SubElement(suite, "testcase", {"classname": "backlogctl", "name": "lint", "time": "0"})
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
