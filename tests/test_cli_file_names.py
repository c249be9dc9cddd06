"""A backlog file whose name is not UTF-8 is named with escapes in every lint format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

_BACKLOG = "items:\n  - {key: A-1, title: One thing to do, status: To Do}\n"


def _lint(tmp_path: Path, output_format: str) -> subprocess.CompletedProcess[str]:
    folder = tmp_path / "backlog"
    folder.mkdir(exist_ok=True)
    # b"\xff" is not UTF-8: Python hands such a name over with a lone surrogate in it.
    Path(os.fsdecode(os.fsencode(folder) + b"/bad\xff.yaml")).write_text(_BACKLOG, "utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "backlogctl",
            "lint",
            "backlog",
            "--fail-on",
            "never",
            "-f",
            output_format,
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="strict",
        cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict", "GITHUB_WORKSPACE": str(tmp_path)},
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("output_format", ["json", "sarif", "junit", "text", "github"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path, output_format: str) -> None:
    result = _lint(tmp_path, output_format)
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    if output_format == "json":
        sources = {finding["source"] for finding in json.loads(result.stdout)["findings"]}
        assert sources == {"backlog/bad\\xff.yaml"}
    elif output_format == "sarif":
        json.loads(result.stdout)
        assert "backlog/bad%5Cxff.yaml" in result.stdout  # the URI, percent-encoded
    else:
        assert "backlog/bad\\xff.yaml" in result.stdout
    if output_format == "junit":
        ElementTree.fromstring(result.stdout)
