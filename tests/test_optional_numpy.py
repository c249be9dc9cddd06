"""numpy is an optional accelerator: lint (D003 included) and compare work without it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

#: Runs the console entry point with numpy made unimportable, then reports whether it loaded.
_WITHOUT_NUMPY = """
import sys

class _NoNumpy:
    def find_spec(self, name, path=None, target=None):
        if name == "numpy" or name.startswith("numpy."):
            raise ImportError("numpy is not installed")

sys.meta_path.insert(0, _NoNumpy())
from backlogctl.cli.app import main
sys.argv = ["backlogctl", *sys.argv[1:]]
try:
    main()
finally:
    sys.stderr.write("numpy loaded: %s\\n" % ("numpy" in sys.modules))
"""

_BACKLOG = """\
items:
  - {key: A-1, title: Show delivery date on product page, status: To Do,
     rice: {reach: 100, impact: 1, confidence: 1, effort: 1}, rank: 1}
  - {key: A-2, title: Show delivery date on the product page, status: To Do,
     rice: {reach: 200, impact: 1, confidence: 1, effort: 1}, rank: 2}
  - {key: A-3, title: Upgrade PostgreSQL to 16, status: To Do,
     rice: {reach: 300, impact: 1, confidence: 1, effort: 1}, rank: 3}
  - {key: A-4, title: Upgrade PostgreSQL to 17, status: To Do,
     rice: {reach: 400, impact: 1, confidence: 1, effort: 1}, rank: 4}
"""


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    backlog = tmp_path / "backlog.yaml"
    backlog.write_text(_BACKLOG, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-c", _WITHOUT_NUMPY, *args, str(backlog)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )


def test_duplicate_check_runs_without_numpy(tmp_path: Path) -> None:
    result = _run(tmp_path, "lint", "--select", "D003", "--format", "json", "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["key"]) for f in findings] == [("D003", "A-2")]
    assert "numpy loaded: False" in result.stderr


def test_compare_runs_without_numpy(tmp_path: Path) -> None:
    result = _run(tmp_path, "compare", "--models", "rice,current", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    # rice orders A-4..A-1, the stored ranks A-1..A-4: a perfect disagreement.
    assert document["correlation"]["rice:current"]["kendall_tau"] == -1.0
    assert "numpy loaded: False" in result.stderr
