"""Configuration: the ``Config`` model, its discovery and loading with file:line errors.

Config lives in ``backlogctl.yaml`` (current directory or any parent) or in
``[tool.backlogctl]`` of ``pyproject.toml``; ``--config PATH`` overrides discovery.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from backlogctl.config_files import pyproject_has_section, read_pyproject, read_yaml_config
from backlogctl.connectors.jira_settings import JiraSettings
from backlogctl.errors import ConfigError
from backlogctl.lint.settings import LintSettings
from backlogctl.models import Objective, Stakeholder, StatusCategory
from backlogctl.plain_errors import error_path, plain_message
from backlogctl.sanitize import quoted, shorten

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


class LimitSettings(BaseModel):
    """Limits on what a backlog may hold, checked before the work they guard."""

    model_config = ConfigDict(extra="forbid")

    #: Larger backlogs are refused before their items are built (memory grows with items).
    max_items: int = Field(default=250_000, ge=1)


class HistorySettings(BaseModel):
    """Where ``snapshot`` and ``diff`` keep the rank history."""

    model_config = ConfigDict(extra="forbid")

    #: The SQLite history file, relative to the config file (default:
    #: ``.backlogctl/history.sqlite`` next to it).
    path: str | None = None


class Config(BaseModel):
    """The whole configuration. Unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid")

    default_model: str = "rice"
    models: dict[str, CustomModelSettings] = Field(default_factory=dict)
    statuses: dict[StatusCategory, list[str]] = Field(default_factory=dict)
    sources: list[str] = Field(default_factory=list)
    strict: bool = False
    #: Objectives with their ``key_results:``; flat after ``load_config`` (see declarations.py).
    objectives: list[Objective] = Field(default_factory=list)
    #: Declared stakeholders (names or ``{name, contact, influence, interest}``).
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    lint: LintSettings = Field(default_factory=LintSettings)
    jira: JiraSettings = Field(default_factory=JiraSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    history: HistorySettings = Field(default_factory=HistorySettings)

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
    """The nearest ``backlogctl.yaml`` or ``pyproject.toml`` with ``[tool.backlogctl]``.

    A ``pyproject.toml`` that does not parse counts when its text mentions
    ``[tool.backlogctl``: loading it then reports the syntax error, rather than a config
    further up being used in its place.
    """
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILENAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and pyproject_has_section(pyproject):
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
        data, lines = read_pyproject(path)
    else:
        data, lines = read_yaml_config(path)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        keys = list(error_path(error))
        location = _locate(path, lines, keys)
        raise ConfigError(
            f"{shorten('.'.join(keys)) or 'config'}: {plain_message(error)}", location=location
        ) from None
    config._path = path
    config._lines = lines
    _check_custom_models(config)
    _check_declarations(config)
    return config


def _check_declarations(config: Config) -> None:
    """Flatten the config's key results (checking them), locate and de-duplicate declarations."""
    from backlogctl.declarations import (
        check_unique_objectives,
        key_result,
        key_result_entries,
        merge_stakeholder,
    )

    flat: list[Objective] = []
    for index, objective in enumerate(config.objectives):
        # Unknown keys elsewhere in the config are errors; a typo such as ``taget:`` too.
        _refuse_unknown(config, objective.model_extra or {}, f"objective {objective.key}", index)
        for n, entry in enumerate(key_result_entries(objective)):
            if isinstance(entry, dict):
                what = f"key result {entry.get('key')}"
                _refuse_unknown(config, entry, what, index, "key_results", n)
        fields = objective.model_dump(exclude={"key_results"})
        flat.append(Objective.model_validate(fields).located(config.location("objectives", index)))
        flat.extend(
            key_result(entry, objective.key, config.location("objectives", index, "key_results", n))
            for n, entry in enumerate(key_result_entries(objective))
        )
    check_unique_objectives(flat)
    config.objectives = flat
    known: dict[str, Stakeholder] = {}
    for index, stakeholder in enumerate(config.stakeholders):
        merge_stakeholder(known, stakeholder.located(config.location("stakeholders", index)))
    config.stakeholders = list(known.values())


def _refuse_unknown(config: Config, entry: dict[Any, Any], what: str, *keys: str | int) -> None:
    from backlogctl.declarations import unknown_fields

    for field, message in unknown_fields(entry, key_result="key_results" in keys):
        location = config.location("objectives", *keys, field)
        raise ConfigError(f"{shorten(what)}: {message}", location=location)


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
                    f"models.{shorten(name)}.weights: unknown field {quoted(field)}",
                    location=config.location("models", name, "weights", field),
                )
    if (
        config.default_model not in BUILTIN_MODEL_NAMES
        and config.default_model not in config.models
    ):
        raise ConfigError(
            f"default_model: unknown model {quoted(config.default_model)}",
            location=config.location("default_model"),
        )
