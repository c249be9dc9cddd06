"""``backlogctl lint`` output formats: golden files compared exactly (fixed ``--as-of``), plus
parsing checks (SARIF against the official 2.1.0 schema, JUnit XML, GitHub annotation syntax).

The golden backlog and config are in tests/golden/lint/. To refresh the goldens after a
deliberate change, run from that folder:
``GITHUB_WORKSPACE=$PWD backlogctl lint --config backlogctl.yaml --as-of 2026-11-25 --format F
> expected...``
and review the diff. tests/data/sarif-2.1.0.json is the SARIF 2.1.0 JSON schema (the
2.1.0-rtm.5 file shipped in the npm package @microsoft/jest-sarif, MIT licence).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from backlogctl import __version__
from backlogctl.cli.app import app

GOLDEN = Path(__file__).parent / "golden" / "lint"
SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0.json"
BASE = ["lint", "--config", "backlogctl.yaml", "--as-of", "2026-11-25"]
# ::error|warning|notice, then file=,line=,title= properties, then :: and the message.
ANNOTATION = re.compile(
    r"^::(error|warning|notice) file=[^,:\n]+,line=[1-9]\d*,title=[A-Z]\d{3}::[^\r\n]+$"
)


@pytest.fixture
def golden_dir(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the golden folder so paths in the output are the short relative ones."""
    monkeypatch.chdir(GOLDEN)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    # GitHub and SARIF paths are relative to the repository's root: here, the golden folder.
    monkeypatch.setenv("GITHUB_WORKSPACE", str(GOLDEN))
    return GOLDEN


def _lint(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*BASE, *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        ([], "expected.txt"),
        (["--format", "text"], "expected.txt"),
        (["--statistics"], "expected.statistics.txt"),
        (["--format", "json"], "expected.json"),
        (["--format", "github"], "expected.github"),
        (["--format", "junit"], "expected.junit.xml"),
        (["--format", "sarif"], "expected.sarif"),
    ],
)
def test_output_matches_golden(golden_dir: Path, args: list[str], golden: str) -> None:
    code, stdout, stderr = _lint(*args)
    expected = (golden_dir / golden).read_text(encoding="utf-8")
    if golden == "expected.sarif":
        expected = expected.replace('"version": "0.1.0"', f'"version": "{__version__}"')
    assert stdout == expected
    assert stderr == ""
    assert code == 1  # one error (H002) and --fail-on defaults to error


def test_json_follows_the_design_contract(golden_dir: Path) -> None:
    data = json.loads(_lint("--format", "json")[1])
    assert data["schema_version"] == 1
    assert data["summary"] == {"error": 1, "warning": 10, "info": 1}
    assert set(data["findings"][0]) >= {"code", "severity", "key", "message", "source", "line"}
    assert "statistics" not in data
    with_stats = json.loads(_lint("--format", "json", "--statistics")[1])
    assert {"code": "H002", "name": "unknown-parent", "count": 1} in with_stats["statistics"]


def test_sarif_validates_against_the_official_schema(golden_dir: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    log = json.loads(_lint("--format", "sarif")[1])
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    assert {result["level"] for result in run["results"]} == {"error", "warning", "note"}


def test_sarif_rejects_what_the_schema_rejects() -> None:
    """The shipped schema is strict enough to catch a broken log (so the test above can fail)."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate({"version": "2.1.0", "runs": [{}]})


def test_junit_parses_with_one_testcase_per_item_and_rule(golden_dir: Path) -> None:
    root = ET.fromstring(_lint("--format", "junit")[1])
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == int(suite.get("tests", "0")) == 12
    assert int(suite.get("failures", "0")) == sum(
        1 for case in cases if case.find("failure") is not None
    )
    names = {case.get("name") for case in cases}
    assert "SHOP-4 H002 unknown-parent" in names
    assert all(case.get("file") == "backlog.yaml" and case.get("line") for case in cases)


def test_junit_clean_run_is_one_passing_testcase(golden_dir: Path) -> None:
    code, stdout, _ = _lint("--format", "junit", "--select", "H006")
    root = ET.fromstring(stdout)
    cases = root.findall("testsuite/testcase")
    assert code == 0
    assert [(case.get("name"), list(case)) for case in cases] == [("lint", [])]


def test_github_annotations_have_the_workflow_command_syntax(golden_dir: Path) -> None:
    lines = _lint("--format", "github")[1].splitlines()
    assert lines and all(ANNOTATION.match(line) for line in lines)
    assert "::error file=backlog.yaml,line=42,title=H002::SHOP-4: parent SHOP-99" in lines[7]


def test_github_is_the_default_format_on_github_actions(
    golden_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert _lint()[1] == (golden_dir / "expected.github").read_text(encoding="utf-8")


def test_github_escapes_newlines_percent_and_property_separators() -> None:
    from backlogctl.lint.result import ReportedFinding
    from backlogctl.output.lint_github import annotation

    finding = ReportedFinding(
        code="D001",
        severity="info",
        key="SHOP-1",
        message="50% done\nsecond line",
        source="a,b:c.yaml",
        line=3,
        url=None,
        rule="missing-description",
    )
    assert annotation(finding, Path.cwd()) == (
        "::notice file=a%2Cb%3Ac.yaml,line=3,title=D001::SHOP-1: 50%25 done%0Asecond line"
    )


def test_output_file_and_quiet(golden_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, stdout, _ = _lint("--format", "json", "--output", str(target))
    assert code == 1 and stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["error"] == 1
    quiet = _lint("--quiet")[1].splitlines()
    assert len(quiet) == 12 and not quiet[-1].startswith("Found")


def test_statistics_go_to_stderr_for_machine_formats(golden_dir: Path) -> None:
    _, stdout, stderr = _lint("--format", "github", "--statistics")
    assert stdout == (golden_dir / "expected.github").read_text(encoding="utf-8")
    assert stderr == (golden_dir / "expected.statistics.txt").read_text(encoding="utf-8")


def test_discovered_config_gives_the_same_relative_paths(golden_dir: Path) -> None:
    # CI and pre-commit run plain `backlogctl lint`: the config is discovered (an absolute
    # path), yet annotations must name backlog.yaml, not /home/runner/.../backlog.yaml.
    result = CliRunner().invoke(app, ["lint", "--as-of", "2026-11-25", "--format", "github"])
    assert result.stdout == (golden_dir / "expected.github").read_text(encoding="utf-8")


def test_json_finding_fields_are_the_finding_model_fields() -> None:
    from typing import get_type_hints

    from backlogctl.lint.result import FindingFields
    from backlogctl.models import Finding

    assert list(get_type_hints(FindingFields)) == list(Finding.model_fields)
