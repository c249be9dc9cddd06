"""JUnit XML: one test case per item and rule that failed, so CI systems list them as tests.

Several findings of one rule on one item (e.g. two invalid inputs) share one test case. A
clean run is one passing test case, so dashboards show a green run rather than nothing.
Internal errors (L000) are ``<error>`` elements; other findings are ``<failure>`` elements.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from backlogctl.lint.registry import INTERNAL_ERROR
from backlogctl.lint.result import LintResult
from backlogctl.models import Finding
from backlogctl.output.lint_text import finding_line

SCHEMA_VERSION = 1
_SUITE = "backlogctl lint"


def render_lint_junit(result: LintResult) -> str:
    """The findings as a JUnit XML document."""
    cases: dict[tuple[str, str], list[Finding]] = {}
    for finding in result.findings:
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
            "classname": first.source or first.url or "backlog",
            "name": f"{key} {code} {first.rule or ''}".rstrip(),
            "time": "0",
        }
        if first.source is not None:
            attributes["file"] = first.source
        if first.line:
            attributes["line"] = str(first.line)
        case = ET.SubElement(suite, "testcase", attributes)
        kind = "error" if code == INTERNAL_ERROR.code else "failure"
        failure = ET.SubElement(
            case,
            kind,
            {"type": code, "message": "; ".join(f"[{f.severity}] {f.message}" for f in findings)},
        )
        failure.text = "\n".join(finding_line(finding) for finding in findings)
    if not cases:
        ET.SubElement(suite, "testcase", {"classname": "backlogctl", "name": "lint", "time": "0"})
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
