"""Text no encoder can write (lone surrogates) and invisible U+FEFF: shown escaped, never a crash.

A lone surrogate reaches backlogctl through a file name that is not UTF-8 (Python decodes its
bytes to ``\\udcff``); the YAML reader and the item model refuse one in item text. The
console script runs in a subprocess: only real stdout, stderr and files show the crash.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backlogctl.sanitize import has_control, visible

SCRIPT = str(Path(sys.executable).with_name("backlogctl"))

ITEM = (
    "items:\n"
    "  - {{key: A-1, title: {title},\n"
    "     rice: {{reach: 1, impact: 1, confidence: 80, effort: {effort}}}}}\n"
)


def _run(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The console script with stdout strict about encoding, as in a UTF-8 locale (``C.UTF-8``
    would let Python write a ``\\udcff`` back as the byte it came from)."""
    return subprocess.run(
        [SCRIPT, *arguments],
        cwd=cwd,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
        capture_output=True,
        text=True,
        errors="surrogateescape",
        timeout=60,
        check=False,
    )


def test_visible_escapes_lone_surrogates_and_the_byte_order_mark() -> None:
    # U+DCFF is how Python carries the non-UTF-8 byte 0xff of a file name: shown as that byte.
    assert visible("a\ud800b\udcffc\ufeffd") == "a\\ud800b\\xffc\\ufeffd"
    assert visible("x\n\ud800", multiline=True) == "x\n\\ud800"
    assert has_control("\ufeff")
    assert visible("Café 😀 ✓") == "Café 😀 ✓"  # paired and ordinary characters stay


@pytest.mark.parametrize(
    "arguments",
    [["lint", "{name}"], ["lint", "{name}", "-o", "findings.txt"], ["rank", "{name}"]],
    ids=["lint", "lint -o", "rank"],
)
def test_a_file_name_that_is_not_utf8_is_shown_escaped(arguments: list[str], workdir: Path) -> None:
    name = os.fsdecode(b"back\xfflog.yaml")
    (workdir / name).write_text(ITEM.format(title="x", effort=0), encoding="utf-8")
    result = _run([argument.format(name=name) for argument in arguments], workdir)
    assert "internal error" not in result.stderr
    assert result.returncode == 0, result.stderr
    if arguments[0] == "lint":
        written = result.stdout or (workdir / "findings.txt").read_text("utf-8")
        assert "back\\xfflog.yaml:2: E004 [warning] A-1: rice.effort 0" in written


def test_json_writes_such_a_file_name_as_a_json_escape(workdir: Path) -> None:
    name = os.fsdecode(b"back\xfflog.yaml")
    (workdir / name).write_text(ITEM.format(title="x", effort=1), encoding="utf-8")
    result = _run(["explain", "A-1", name, "--format", "json"], workdir)
    assert result.returncode == 0, result.stderr
    # The name's byte 0xff cannot be JSON (UTF-8) text: it is shown as the four characters \xff.
    assert json.loads(result.stdout)["source"] == "back\\xfflog.yaml:2"


def test_an_error_naming_such_a_file_is_one_escaped_line(workdir: Path) -> None:
    result = _run(["rank", os.fsdecode(b"gone\xff.yaml")], workdir)
    assert result.returncode == 2
    assert result.stderr == "backlogctl: error: gone\\xff.yaml: file not found\n"


def test_the_yaml_reader_refuses_a_lone_surrogate(workdir: Path) -> None:
    (workdir / "backlog.yaml").write_text(ITEM.format(title='"Pay \\ud800"', effort=1), "utf-8")
    result = _run(["rank", "backlog.yaml"], workdir)
    assert result.returncode == 2
    assert result.stderr.startswith("backlogctl: error: backlog.yaml:2: ")
    assert "surrogate" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("format_", ["table", "csv", "markdown"])
def test_a_byte_order_mark_inside_a_title_is_shown(format_: str, workdir: Path) -> None:
    (workdir / "backlog.yaml").write_text(
        ITEM.format(title='"Pay \\ufeff later"', effort=1), "utf-8"
    )
    result = _run(["rank", "backlog.yaml", "--format", format_], workdir)
    assert result.returncode == 0, result.stderr
    assert "\ufeff" not in result.stdout
    assert "\\ufeff later" in result.stdout
