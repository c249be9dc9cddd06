"""The model registry: built-in models (a literal dict) plus the config's custom models."""

from __future__ import annotations

import difflib

from backlogctl.config import BUILTIN_MODEL_NAMES, CURRENT_ORDER, Config
from backlogctl.errors import InputError
from backlogctl.sanitize import quoted
from backlogctl.scoring.base import ScoringModel
from backlogctl.scoring.ice import ICE
from backlogctl.scoring.rice import RICE
from backlogctl.scoring.wsjf import WSJF

#: ``compare``'s pseudo-model for the team's stored manual order: no custom model may take it.
CURRENT = CURRENT_ORDER

BUILTIN_MODELS: dict[str, ScoringModel] = {
    "rice": RICE,
    "wsjf": WSJF,
    "ice": ICE,
}


def _check_names(models: dict[str, ScoringModel]) -> None:
    """A registry key must be its model's name (a copy-paste slip would shadow a model), and
    the config, which checks custom model names without importing scoring, must know them."""
    for key, model in models.items():
        if key != model.name:
            raise RuntimeError(f"model registered as {key!r} is named {model.name!r}")
    if tuple(models) != BUILTIN_MODEL_NAMES:
        raise RuntimeError(f"config.BUILTIN_MODEL_NAMES is not {tuple(models)}")


_check_names(BUILTIN_MODELS)


def available_models(config: Config) -> dict[str, ScoringModel]:
    """Built-in models, then the config's custom models, by name.

    Custom formulas are compiled here: a broken one is a ``ConfigError`` naming the config
    file, line and model (exit 2).
    """
    models = dict(BUILTIN_MODELS)
    if not config.models:
        return models  # without importing the formula machinery
    from backlogctl.scoring.custom import build_custom_model

    for name, settings in config.models.items():
        models[name] = build_custom_model(name, settings, config)
    return models


def get_model(name: str, config: Config) -> ScoringModel:
    """The model called ``name``; ``InputError`` (exit 2) naming the choices when unknown."""
    models = available_models(config)
    if name in models:
        return models[name]
    lowered = {known.lower(): known for known in models}
    if name.lower() in lowered:
        return models[lowered[name.lower()]]
    close = difflib.get_close_matches(name, list(models), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise InputError(f"unknown model {quoted(name)}{hint}; available: {', '.join(models)}")
