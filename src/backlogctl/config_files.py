"""Reading configuration files within the input limits, with the line of every key.

``backlogctl.yaml`` is checked by yaml_rs (aliases, nesting, syntax errors with their line)
before ruamel reads it for key lines; ``pyproject.toml`` is read by ``tomllib``.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from pathlib import Path
from typing import Any

from backlogctl.connectors import limits
from backlogctl.errors import ConfigError, InputError
from backlogctl.sanitize import shorten

_SECTION_MARK = "[tool.backlogctl"
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)$")


def pyproject_has_section(path: Path) -> bool:
    """Whether ``path`` has a ``[tool.backlogctl]`` table, or mentions one but does not parse."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if "backlogctl" not in text:
        return False
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return _SECTION_MARK in text
    return isinstance(data.get("tool"), dict) and "backlogctl" in data["tool"]


def _read_text(path: Path) -> str:
    """The config's text, within the input limits (size, line length, UTF-8)."""
    try:
        return limits.read_text(str(path), what="config")
    except InputError as exc:
        raise ConfigError(exc.message, location=exc.location) from None


def read_pyproject(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The ``[tool.backlogctl]`` table and the line of each dotted key in it."""
    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        problem = _TOML_POSITION.sub("", message).strip() or "cannot parse"
        line = position.group(1) if position else "1"
        column = f" (column {position.group(2)})" if position else ""
        raise ConfigError(f"invalid TOML: {problem}{column}", location=f"{path}:{line}") from None
    except RecursionError:
        raise _too_deep(path, text) from None
    tool = data.get("tool")
    section = tool.get("backlogctl", {}) if isinstance(tool, dict) else {}
    if not isinstance(section, dict):
        raise ConfigError("[tool.backlogctl] must be a table", location=str(path))
    if limits.too_deep(section):
        raise _too_deep(path, text)
    return section, _toml_key_lines(text)


def _too_deep(path: Path, text: str) -> ConfigError:
    line = limits.deep_line(text)
    return ConfigError(
        f"settings nested more than {limits.MAX_DEPTH} levels deep", location=f"{path}:{line}"
    )


def _toml_key_lines(text: str) -> dict[str, int]:
    """Approximate line numbers for keys under ``[tool.backlogctl...]`` tables."""
    lines: dict[str, int] = {}
    table: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("[") and not line.startswith("[["):
            name = line.strip("[]").strip()
            if name == "tool.backlogctl" or name.startswith("tool.backlogctl."):
                table = [part.strip().strip('"') for part in name.split(".")[2:]]
                if table:
                    lines.setdefault(".".join(table), number)
            else:
                table = None
        elif table is not None and "=" in line and not line.startswith("#"):
            key = line.split("=", 1)[0].strip().strip('"')
            lines.setdefault(".".join([*table, key]), number)
    return lines


def read_yaml_config(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The settings of a YAML config file and the line of each dotted key path."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from backlogctl.connectors import _yaml_text

    text = _read_text(path)
    # yaml_rs first: it enforces the input limits (aliases, nesting) and reports any syntax
    # error with its line, so ruamel below, slower but with a line for every key, only ever
    # reads a small, well-formed document.
    try:
        checked = _yaml_text.parse(
            text, str(path), max_alias_replays=limits.MAX_CONFIG_ALIAS_REPLAYS
        )
    except InputError as exc:
        raise ConfigError(exc.message, location=exc.location) from None
    if limits.too_deep(checked):
        raise _too_deep(path, text)
    if checked is None:
        return {}, {}
    if not isinstance(checked, dict):
        raise ConfigError("the config must be a mapping of settings", location=f"{path}:1")
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        document = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else f"{path}:1"
        problem = exc.problem or exc.context or "cannot parse"
        raise ConfigError(f"invalid YAML: {problem}", location=where) from None
    except YAMLError as exc:
        raise ConfigError(f"invalid YAML: {shorten(str(exc))}", location=f"{path}:1") from None
    lines: dict[str, int] = {}
    _collect_lines(document, [], lines)
    return _plain(document), lines


def _collect_lines(node: Any, prefix: list[str], lines: dict[str, int]) -> None:
    """Record the 1-based line of every key path in a ruamel round-trip document."""
    lc = getattr(node, "lc", None)
    if isinstance(node, dict):
        for key, value in node.items():
            path = [*prefix, str(key)]
            if lc is not None:
                with contextlib.suppress(KeyError, TypeError):
                    lines[".".join(path)] = lc.key(key)[0] + 1
            _collect_lines(value, path, lines)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            path = [*prefix, str(index)]
            if lc is not None:
                with contextlib.suppress(KeyError, TypeError, IndexError):
                    lines[".".join(path)] = lc.item(index)[0] + 1
            _collect_lines(value, path, lines)


def _plain(node: Any) -> Any:
    """ruamel's commented containers and scalars as plain Python values."""
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node
