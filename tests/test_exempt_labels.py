"""``lint.exempt_labels``: items carrying one are exempt from the S rules, YAML and Jira alike."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml_rs
from typer.testing import CliRunner

from backlogctl.cli.app import app
from conftest import WriteFile
from jira_emulator import JiraEmulator, make_issue
from jira_emulator.testing import cloud, jira_env, jira_section

__all__ = ["cloud", "jira_env"]  # fixtures used by name

AS_OF = "2026-11-25"
BACKLOG = """\
items:
  - key: SHOP-1
    title: Gift wrapping at checkout
    labels: [Pinned]
    status: In Progress
    updated: 2026-01-01
    due: 2026-02-01
    estimate: 3
  - key: SHOP-2
    title: Coupon rounding error on invoices
    labels: [checkout]
    status: In Progress
    updated: 2026-01-01
    due: 2026-02-01
    estimate: 3
"""


def _lint(*args: str) -> tuple[int, list[tuple[str, str]], str]:
    result = CliRunner().invoke(
        app, ["lint", "--as-of", AS_OF, "--format", "json", "--fail-on", "never", *args]
    )
    findings = []
    if result.stdout:
        findings = [(f["key"], f["code"]) for f in json.loads(result.stdout)["findings"]]
    return result.exit_code, findings, result.stderr


def test_an_exempt_label_silences_every_s_rule_and_only_those(write_file: WriteFile) -> None:
    write_file("backlog.yaml", BACKLOG)
    write_file("backlogctl.yaml", "lint:\n  exempt_labels: [pinned, security]\n")
    code, findings, stderr = _lint("backlog.yaml")
    assert (code, stderr) == (0, "")
    s_codes = {code for key, code in findings if key == "SHOP-2" and code.startswith("S")}
    assert s_codes == {"S001", "S002", "S003"}
    # Case-insensitive: "Pinned" on the item matches "pinned" in the config.
    assert not [code for key, code in findings if key == "SHOP-1" and code.startswith("S")]
    others = {(key, code) for key, code in findings if not code.startswith("S")}
    assert ("SHOP-1", "D001") in others  # exempt from S rules only
    assert ("SHOP-2", "D001") in others


def test_without_exempt_labels_both_items_are_stale(write_file: WriteFile) -> None:
    write_file("backlog.yaml", BACKLOG)
    write_file("backlogctl.yaml", "lint:\n  exempt_labels: []\n")
    _, findings, _ = _lint("backlog.yaml", "--select", "S001")
    assert findings == [("SHOP-1", "S001"), ("SHOP-2", "S001")]


def test_an_empty_exempt_label_is_a_config_error(write_file: WriteFile) -> None:
    write_file("backlog.yaml", BACKLOG)
    config = write_file("backlogctl.yaml", "lint:\n  exempt_labels: [pinned, ' ']\n")
    code, findings, stderr = _lint("backlog.yaml")
    assert code == 2
    assert findings == []
    assert stderr.startswith(f"backlogctl: error: {config}:2: lint.exempt_labels: ")
    assert "exempt label must not be empty" in stderr
    assert len(stderr.splitlines()) == 1


def test_rules_documents_the_exemption() -> None:
    result = CliRunner().invoke(app, ["rules", "S004"])
    assert result.exit_code == 0
    assert "lint.exempt_labels" in result.stdout


def test_jira_issues_with_an_exempt_label_are_exempt(cloud: JiraEmulator, workdir: Path) -> None:
    old = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    cloud.add_issue(make_issue(1, updated=old, labels=["SECURITY"]))
    cloud.add_issue(make_issue(2, updated=old, labels=["checkout"]))
    document = {"jira": jira_section(cloud), "lint": {"exempt_labels": ["security"]}}
    (workdir / "backlogctl.yaml").write_text(yaml_rs.dumps(document), encoding="utf-8")
    code, findings, stderr = _lint("--jql", "project = SHOP", "--select", "S001")
    assert (code, stderr) == (0, "")
    assert findings == [("SHOP-2", "S001")]


SUPPRESSING = """\
items:
  - key: SHOP-1
    title: Gift wrapping at checkout
    description: Offer gift wrapping as a paid option on the checkout page.
    labels: [pinned, backlogctl-ignore-S001]
    status: In Progress
    updated: 2026-01-01
    estimate: 3
    lint: {ignore: [S002, D001]}
  - key: SHOP-2
    title: Coupon rounding error on invoices
    description: Coupons of 33% round the invoice total down by one cent.
    labels: [checkout]
    status: In Progress
    updated: 2026-11-20
    estimate: 3
    lint: {ignore: [S001]}
"""


def test_an_s_suppression_on_an_exempt_item_is_moot_not_unused(write_file: WriteFile) -> None:
    # SHOP-1 is exempt: its S suppressions suppress nothing, but they are not wrong (the
    # label may go and the suppression matter again), so no L001 for them; its D001
    # suppression is still checked. SHOP-2 is not exempt and not stale: its S001 is unused.
    write_file("backlog.yaml", SUPPRESSING)
    write_file("backlogctl.yaml", "lint:\n  exempt_labels: [pinned]\n")
    code, findings, stderr = _lint("backlog.yaml", "--select", "S,D001,L001")
    assert (code, stderr) == (0, "")
    assert sorted(findings) == [("SHOP-1", "L001"), ("SHOP-2", "L001")]
    result = CliRunner().invoke(
        app, ["lint", "backlog.yaml", "--as-of", AS_OF, "--select", "S,D001,L001", "-f", "json"]
    )
    messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
    assert sorted(messages) == [
        "suppression of D001 matches no finding: remove it",
        "suppression of S001 matches no finding: remove it",
    ]
