"""Where the history file lives: ``--history``, the config's ``history.path``, or next to the
config file."""

from __future__ import annotations

from pathlib import Path

from backlogctl.config import Config
from backlogctl.errors import InputError

#: Where the history lives next to the config file when ``history.path`` does not say.
DEFAULT_HISTORY_PATH = Path(".backlogctl") / "history.sqlite"


def history_path(config: Config, override: Path | None = None) -> Path:
    """The history file: ``override`` (``--history``), else the config's ``history.path``
    (relative to the config file), else ``.backlogctl/history.sqlite`` next to the config.

    ``InputError`` (exit 2) when there is neither an override nor a config file.
    """
    if override is not None:
        return override
    if config.path is None:
        raise InputError(
            "no config file, so no default history file: pass --history PATH "
            "(or set history.path in backlogctl.yaml)"
        )
    configured = config.history.path
    if configured:
        return Path(config.resolve_source(configured))
    return Path(config.resolve_source(str(DEFAULT_HISTORY_PATH)))
