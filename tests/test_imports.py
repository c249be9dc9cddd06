"""Heavy libraries stay lazy: loading a YAML backlog never imports jira, requests and friends."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from backlogctl import __version__

_HEAVY = ("jira", "requests", "rapidfuzz", "scipy", "ruamel")

_LOAD_YAML = f"""
import json, sys
import backlogctl.cli.app
from backlogctl.config import load_config
from backlogctl.loader import load_backlog

backlog = load_backlog(["backlog.yaml"], load_config())
heavy = [name for name in {_HEAVY!r} if name in sys.modules]
print(json.dumps({{"items": [item.key for item in backlog.items], "heavy": heavy}}))
"""


def test_version_through_the_console_script() -> None:
    script = Path(sys.executable).with_name("backlogctl")
    result = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"backlogctl {__version__}\n",
        "",
    )


def test_loading_a_yaml_backlog_imports_no_heavy_library(workdir: Path) -> None:
    (workdir / "backlog.yaml").write_text(
        "items:\n  - {key: SHOP-1, title: Checkout, rice: {reach: 10, impact: 1}}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-c", _LOAD_YAML],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"items": ["SHOP-1"], "heavy": []}


def _imported_modules(arguments: list[str], cwd: Path) -> set[str]:
    """The modules ``backlogctl ARGUMENTS`` imports (from ``python -X importtime``)."""
    script = Path(sys.executable).with_name("backlogctl")
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(script), *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return {
        line.rsplit("|", 1)[-1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }


def test_help_and_version_import_no_model_layer_yaml_reader_or_jira(workdir: Path) -> None:
    for arguments in (["--help"], ["--version"]):
        imported = _imported_modules(arguments, workdir)
        assert "backlogctl.cli.app" in imported
        heavy = {"pydantic", "yaml_rs", "ruamel", "jira", "requests", "numpy"}
        assert {name for name in imported if name.split(".")[0] in heavy} == set(), arguments
