"""Imports between layers go one way, as docs/architecture.md ("Layers") describes.

Every ``import`` of a backlogctl module counts, wherever it is written: at the top, inside a
function (lazy) or under ``TYPE_CHECKING``. The source is parsed, not imported, so the test
sees imports that a run would never reach.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

#: Each layer and the layers it may import, besides itself (the table in docs/architecture.md).
ALLOWED: dict[str, set[str]] = {
    "bottom": set(),
    "writeback": {"bottom"},
    "config": {"bottom"},
    "connectors": {"config", "writeback", "bottom"},
    "loader": {"connectors", "config", "bottom"},
    "scoring": {"config", "bottom"},
    "lint": {"scoring", "config", "bottom"},
    "explain": {"lint", "scoring", "config", "bottom"},
    "insights": {"lint", "scoring", "config", "bottom"},
    "history": {"lint", "scoring", "config", "writeback", "bottom"},
    "report": {"insights", "history", "explain", "lint", "scoring", "config", "bottom"},
    "sync": {"lint", "scoring", "loader", "connectors", "config", "writeback", "bottom"},
    "output": {"report", "insights", "history", "sync", "explain", "lint", "scoring", "bottom"},
    "cli": {"output", "report", "insights", "history", "sync", "explain", "lint", "scoring"}
    | {"loader", "connectors", "config", "writeback", "bottom"},
    "main": {"cli"},
}

#: Modules whose layer is not their folder's, and why.
PLACED = {
    # The settings models Config is built from live beside the code that reads them but hold
    # plain data; config_files reads the configuration files.
    "backlogctl.lint.settings": "config",
    "backlogctl.connectors.jira_settings": "config",
    "backlogctl.config_files": "config",
    # The bounded YAML text reader and the input limits serve the config reader as well as the
    # YAML connector; jira_types holds data types only (no behaviour) that renderers name.
    "backlogctl.connectors.limits": "bottom",
    "backlogctl.connectors._yaml_text": "bottom",
    "backlogctl.connectors.jira_types": "bottom",
}


def layer_of(module: str) -> str:
    """The layer of a ``backlogctl`` module name."""
    if module in PLACED:
        return PLACED[module]
    parts = module.split(".")
    if len(parts) == 1:
        return "bottom"  # the package itself: __version__
    head = parts[1]
    if head in ALLOWED:
        return head
    if head == "__main__":
        return "main"
    return "bottom"  # models, errors, sanitize and the small helpers over models


def _module_name(path: Path, src: Path) -> str:
    parts = path.relative_to(src).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path, module: str, modules: set[str]) -> set[str]:
    """The modules of ``modules`` that ``path`` imports (relative imports resolved)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # ``from backlogctl.connectors import limits`` imports the module ``limits``
            # (its package comes with any of its modules); ``from x import name``, ``x``.
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in modules else target)
    return {name for name in found if name in modules and name != module}


def layering_violations(src: Path = SRC) -> dict[tuple[str, str], str]:
    """Every import from a module to a layer its own layer may not import."""
    paths = sorted((src / "backlogctl").rglob("*.py"))
    modules = {_module_name(path, src) for path in paths}
    violations: dict[tuple[str, str], str] = {}
    for path in paths:
        module = _module_name(path, src)
        source = layer_of(module)
        for target in sorted(_imported(path, module, modules)):
            wanted = layer_of(target)
            if wanted != source and wanted not in ALLOWED[source]:
                violations[(module, target)] = f"{source} -> {wanted}"
    return violations


def test_imports_follow_the_layers() -> None:
    assert layering_violations() == {}, "imports against docs/architecture.md's layers"


def test_the_layers_allow_no_cycle() -> None:
    """The allowed imports between layers form an order: no layer can reach back to itself."""

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(ALLOWED[start])
        while todo:
            layer = todo.pop()
            if layer not in seen:
                seen.add(layer)
                todo.extend(ALLOWED[layer])
        return seen

    assert [layer for layer in ALLOWED if layer in reachable(layer)] == []


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("backlogctl", "bottom"),
        ("backlogctl.models", "bottom"),
        ("backlogctl.sanitize", "bottom"),
        ("backlogctl.lint.settings", "config"),
        ("backlogctl.lint.rules.s001_stale", "lint"),
        ("backlogctl.explain", "explain"),
        ("backlogctl.__main__", "main"),
    ],
)
def test_layer_of(module: str, layer: str) -> None:
    assert layer_of(module) == layer


def test_a_wrong_way_import_is_found(tmp_path: Path) -> None:
    """The check can fail: a scoring module importing the lint engine is reported."""
    package = tmp_path / "backlogctl"
    for name, text in {
        "__init__.py": "",
        "models.py": "",
        "scoring/__init__.py": "",
        "scoring/ranking.py": "def f() -> None:\n    from ..lint import engine\n",
        "lint/__init__.py": "",
        "lint/engine.py": "from backlogctl.scoring.ranking import f\n",
    }.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    assert layering_violations(tmp_path) == {
        ("backlogctl.scoring.ranking", "backlogctl.lint.engine"): "scoring -> lint",
    }
