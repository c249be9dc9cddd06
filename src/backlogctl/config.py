"""Configuration: the ``Config`` model, its discovery and loading with file:line errors.

Config lives in ``backlogctl.yaml`` (current directory or any parent) or in
``[tool.backlogctl]`` of ``pyproject.toml``; ``--config PATH`` overrides discovery.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from backlogctl.connectors.jira_settings import JiraSettings
from backlogctl.errors import ConfigError
from backlogctl.lint.settings import LintSettings
from backlogctl.models import Objective, StatusCategory

CONFIG_FILENAMES = ("backlogctl.yaml", "backlogctl.yml", ".backlogctl.yaml")

BUILTIN_STATUSES: dict[StatusCategory, tuple[str, ...]] = {
    "todo": ("to do", "backlog", "open", "new", "selected for development", "ready", "reopened"),
    "in_progress": (
        "in progress",
        "in review",
        "in development",
        "code review",
        "review",
        "testing",
        "in qa",
        "blocked",
    ),
    "done": ("done", "closed", "resolved", "released", "won't do", "cancelled", "rejected"),
}

#: The built-in scoring models (``scoring.registry`` holds them and checks this list): named
#: here so that the config checks custom model names without importing scoring.
BUILTIN_MODEL_NAMES = ("rice", "wsjf", "ice")
#: ``compare``'s pseudo-model for the team's stored manual order: no custom model may take it.
CURRENT_ORDER = "current"

#: Item fields a custom formula or weight may name, checked when the config loads.
#: ``fields.<name>`` is accepted too but can only be checked per item.
FORMULA_FIELDS: frozenset[str] = frozenset(
    {
        "estimate",
        "rank",
        "rice.reach",
        "rice.impact",
        "rice.confidence",
        "rice.effort",
        "wsjf.business_value",
        "wsjf.time_criticality",
        "wsjf.risk_reduction",
        "wsjf.job_size",
        "ice.impact",
        "ice.confidence",
        "ice.ease",
    }
)


def is_formula_field(name: str) -> bool:
    """True when ``name`` is an item field a custom model may use."""
    return name in FORMULA_FIELDS or (name.startswith("fields.") and len(name) > len("fields."))


class CustomModelSettings(BaseModel):
    """A team-defined scoring model: a ``formula`` expression or a weighted sum of fields."""

    model_config = ConfigDict(extra="forbid")

    formula: str | None = None
    weights: dict[str, float] | None = None
    description: str | None = None
    tie_breaker: str | None = None

    @model_validator(mode="after")
    def _exactly_one_definition(self) -> CustomModelSettings:
        if (self.formula is None) == (self.weights is None):
            raise ValueError("a custom model needs exactly one of 'formula' or 'weights'")
        if self.weights is not None and not self.weights:
            raise ValueError("'weights' must name at least one field")
        return self


class Config(BaseModel):
    """The whole configuration. Unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid")

    default_model: str = "rice"
    models: dict[str, CustomModelSettings] = Field(default_factory=dict)
    statuses: dict[StatusCategory, list[str]] = Field(default_factory=dict)
    sources: list[str] = Field(default_factory=list)
    strict: bool = False
    objectives: list[Objective] = Field(default_factory=list)
    lint: LintSettings = Field(default_factory=LintSettings)
    jira: JiraSettings = Field(default_factory=JiraSettings)

    _path: Path | None = PrivateAttr(default=None)
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @property
    def path(self) -> Path | None:
        """The file this config came from (None: built-in defaults)."""
        return self._path

    @property
    def lines(self) -> dict[str, int]:
        """The 1-based line of each dotted key path in the config file."""
        return self._lines

    def status_category(self, status: str) -> StatusCategory | None:
        """Category of a workflow status (case-insensitive), or None when unknown."""
        wanted = status.strip().lower()
        for category, names in self.statuses.items():
            if wanted in (name.lower() for name in names):
                return category
        for category, builtin in BUILTIN_STATUSES.items():
            if wanted in builtin:
                return category
        return None

    def location(self, *keys: str | int) -> str | None:
        """``file:line`` of a key path in the config file (``file`` when the line is unknown)."""
        if self.path is None:
            return None
        return _locate(self.path, self.lines, [str(key) for key in keys])

    def resolve_source(self, source: str) -> str:
        """A ``sources:`` entry as a path, relative to the config file's directory."""
        if self.path is None or source == "-" or Path(source).is_absolute():
            return source
        path = self.path.parent / source
        # A discovered config has an absolute path; findings and GitHub annotations need
        # the short repository-relative name (``backlog/x.yaml``) that --config gives.
        with contextlib.suppress(ValueError):
            return str(path.relative_to(Path.cwd()))
        return str(path)


def discover_config(start: Path | None = None) -> Path | None:
    """The nearest ``backlogctl.yaml`` or ``pyproject.toml`` with ``[tool.backlogctl]``."""
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILENAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _pyproject_has_section(pyproject):
            return pyproject
    return None


def load_config(path: Path | None = None, *, discover: bool = True) -> Config:
    """Load and validate the config at ``path``, or the discovered one, or the defaults.

    Raises ``ConfigError`` (exit 2) with ``file:line`` on any problem.
    """
    if path is None and discover:
        path = discover_config()
    if path is None:
        return Config()
    if not path.is_file():
        raise ConfigError("config file not found", location=str(path))
    if path.name == "pyproject.toml":
        data, lines = _read_pyproject(path)
    else:
        data, lines = _read_yaml_config(path)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        # Union members appear in the path as tags such as "literal['a','b']": not user keys.
        keys = [str(part) for part in error["loc"] if not _UNION_TAG.fullmatch(str(part))]
        location = _locate(path, lines, keys)
        message = error["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{'.'.join(keys) or 'config'}: {message}", location=location) from None
    config._path = path
    config._lines = lines
    _check_custom_models(config)
    return config


_UNION_TAG = re.compile(r"[a-z][a-z-]*\[.*\]")


def _locate(path: Path, lines: dict[str, int], keys: list[str]) -> str:
    """``path:line`` of the deepest key path of ``keys`` that has a known line."""
    while keys:
        dotted = ".".join(keys)
        if dotted in lines:
            return f"{path}:{lines[dotted]}"
        keys = keys[:-1]
    return str(path)


def _check_custom_models(config: Config) -> None:
    """Check custom model names and weights now; formulas compile when models are built."""
    for name, settings in config.models.items():
        if name in BUILTIN_MODEL_NAMES:
            raise ConfigError(
                f"models.{name}: '{name}' is a built-in model; choose another name",
                location=config.location("models", name),
            )
        if name == CURRENT_ORDER:
            raise ConfigError(
                f"models.{name}: '{name}' is reserved for the stored manual rank "
                "(compare --models ...,current); choose another name",
                location=config.location("models", name),
            )
        for field in settings.weights or {}:
            if not is_formula_field(field):
                raise ConfigError(
                    f"models.{name}.weights: unknown field {field!r}",
                    location=config.location("models", name, "weights", field),
                )
    if (
        config.default_model not in BUILTIN_MODEL_NAMES
        and config.default_model not in config.models
    ):
        raise ConfigError(
            f"default_model: unknown model {config.default_model!r}",
            location=config.location("default_model"),
        )


def _pyproject_has_section(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "backlogctl" in data["tool"]


def _read_pyproject(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError("not a UTF-8 text file", location=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read config: {exc.strerror}", location=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", location=str(path)) from None
    section = data.get("tool", {}).get("backlogctl", {})
    if not isinstance(section, dict):
        raise ConfigError("[tool.backlogctl] must be a table", location=str(path))
    return section, _toml_key_lines(text)


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


def _read_yaml_config(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError("not a UTF-8 text file", location=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read config: {exc.strerror}", location=str(path)) from None
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        document = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = exc.problem or exc.context or "invalid YAML"
        raise ConfigError(f"invalid YAML: {problem}", location=where) from None
    except YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", location=str(path)) from None
    if document is None:
        return {}, {}
    if not isinstance(document, dict):
        raise ConfigError("the config must be a mapping of settings", location=f"{path}:1")
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
