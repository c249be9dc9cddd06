"""The CI skip policy of conftest.py: in CI a skipped test fails; outside CI it stays a skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import in_ci

_CONFTEST = Path(__file__).with_name("conftest.py")

_TESTS = """
import pytest

def test_needs_a_missing_extra() -> None:
    pytest.importorskip("backlogctl_no_such_module")

@pytest.mark.skipif(True, reason="no chromium here")
def test_needs_a_browser() -> None:
    pass

@pytest.mark.xfail(reason="known", strict=True)
def test_known_failure() -> None:
    assert False

def test_plain() -> None:
    pass
"""

_MODULE_SKIP = """
import pytest

pytest.importorskip("backlogctl_no_such_module")

def test_never_collected() -> None:
    pass
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A throwaway test directory with this repository's conftest.py and a test module."""
    pytester.makeconftest(_CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(test_inner=_TESTS)
    return pytester


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("yes", True), ("", False), ("0", False), ("False", False)],
)
def test_what_counts_as_ci(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_in_ci_every_skip_fails(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    result = suite.runpytest_inprocess("-p", "no:cacheprovider")
    # A skip at call time fails the test; a skipif (decided at setup) errors it.
    result.assert_outcomes(passed=1, failed=1, errors=1, xfailed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*skipped in CI*could not import 'backlogctl_no_such_module'*"])
    result.stdout.fnmatch_lines(["*skipped in CI*no chromium here*"])


def test_in_ci_a_module_skipped_at_import_fails(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest(_CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(test_module_skip=_MODULE_SKIP)
    monkeypatch.setenv("CI", "true")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*skipped in CI*could not import 'backlogctl_no_such_module'*"])
    monkeypatch.setenv("CI", "false")
    assert (
        pytester.runpytest_inprocess("-p", "no:cacheprovider").ret
        == pytest.ExitCode.NO_TESTS_COLLECTED
    )


@pytest.mark.parametrize("value", [None, "false"])
def test_outside_ci_a_skip_stays_a_skip(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    result = suite.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=2, xfailed=1)
    assert result.ret == pytest.ExitCode.OK
