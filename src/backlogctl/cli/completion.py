"""Shell completion of option values: model names, rule codes, item keys and filter values.

Completing a command or option name runs none of this and imports neither pydantic nor a
YAML reader (``tests/test_cli_completion.py`` checks it). These functions import the config,
the registries or the loader when the shell asks for one of their values. A completion must
never print an error into the shell or hang: any failure gives no candidates, stdin (``-``)
is never read and Jira is never asked.

Typer passes ``ctx`` (with the options parsed so far, such as ``--config``) and
``incomplete``, and keeps the candidates that start with ``incomplete``. A candidate may be a
``(value, help)`` pair; shells that show help (zsh, fish) print it beside the value.

No ``from __future__ import annotations``, as in the command modules: Typer reads these
functions' signatures on every run (see ``cli/__init__.py``).
"""

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backlogctl.sanitize import has_control, shorten, visible

if TYPE_CHECKING:
    from backlogctl.config import Config
    from backlogctl.models import Backlog

Candidates = list[str] | list[tuple[str, str]]

#: Longest help text shown beside a candidate (titles can be long).
_HELP_WIDTH = 60


def _quietly(find: Callable[[], Candidates]) -> Candidates:
    """``find()``, or no candidates when it fails (a broken config, an unreadable file)."""
    try:
        return find()
    except Exception:  # anything: a traceback in the middle of a shell prompt helps nobody
        return []


def _settings(ctx: Any) -> "Config":
    from backlogctl.config import load_config

    config = ctx.params.get("config")
    return load_config(Path(config) if config else None)


def _backlog(ctx: Any) -> "Backlog":
    """The backlog the command would read: its SOURCE arguments or the config's ``sources:``."""
    from backlogctl.loader import load_backlog

    settings = _settings(ctx)
    sources = ctx.params.get("sources") or [
        settings.resolve_source(source) for source in settings.sources
    ]
    paths = [source for source in sources if source != "-"]
    if not paths:
        from backlogctl.models import Backlog

        return Backlog()
    return load_backlog(paths, settings, warn=lambda message: None)


def _shown(values: Iterable[str]) -> list[str]:
    """Sorted distinct values a shell can take as one word each."""
    return sorted({value for value in values if value and not has_control(value)})


def _model_names(ctx: Any) -> list[str]:
    from backlogctl.config import BUILTIN_MODEL_NAMES

    return [*BUILTIN_MODEL_NAMES, *_settings(ctx).models]


def complete_model(ctx: Any, incomplete: str) -> Candidates:
    """``--model``: the built-in models and the config's custom ones."""
    return _quietly(lambda: _shown(_model_names(ctx)))


def complete_model_list(ctx: Any, incomplete: str) -> Candidates:
    """``compare --models rice,wsjf,...``: one more model (or ``current``) after the last comma."""

    def find() -> Candidates:
        from backlogctl.config import CURRENT_ORDER

        done, _, _ = incomplete.rpartition(",")
        given = set(done.split(",")) if done else set()
        prefix = f"{done}," if done else ""
        names = _shown([*_model_names(ctx), CURRENT_ORDER])
        return [prefix + name for name in names if name not in given]

    return _quietly(find)


def _rule_codes() -> list[tuple[str, str]]:
    from backlogctl.lint.registry import RULES

    return [(code, rule.name) for code, rule in sorted(RULES.items())]


def complete_rule_code(incomplete: str) -> Candidates:
    """``rules CODE``: every rule code, with its name as help."""
    return _quietly(_rule_codes)


def complete_rule_codes(incomplete: str) -> Candidates:
    """``--select``/``--ignore`` (comma-separated): one more rule code after the last comma."""

    def find() -> Candidates:
        done, _, _ = incomplete.rpartition(",")
        prefix = f"{done}," if done else ""
        return [(prefix + code, name) for code, name in _rule_codes()]

    return _quietly(find)


def complete_item_key(ctx: Any, incomplete: str) -> Candidates:
    """``explain KEY``: the keys of the backlog, with their titles as help."""

    def find() -> Candidates:
        # Typer renders a candidate's help as Rich markup for zsh and fish: a title holding
        # "[/x]" would raise there, outside this guard, and "[bold]" would be eaten.
        from rich.markup import escape

        items = _backlog(ctx).items
        return [
            (item.key, escape(visible(shorten(item.title, _HELP_WIDTH))))
            for item in items
            if not has_control(item.key)
        ]

    return _quietly(find)


def complete_type(ctx: Any, incomplete: str) -> Candidates:
    """``--type``: the types in the backlog and the common ones (story, bug, ...)."""
    from backlogctl.filters import COMMON_TYPES

    return _quietly(lambda: _shown([*COMMON_TYPES, *(item.type for item in _backlog(ctx).items)]))


def complete_label(ctx: Any, incomplete: str) -> Candidates:
    """``--label``: the labels in the backlog."""
    return _quietly(lambda: _shown(label for item in _backlog(ctx).items for label in item.labels))


def complete_assignee(ctx: Any, incomplete: str) -> Candidates:
    """``--assignee``: the assignees in the backlog."""
    return _quietly(lambda: _shown(item.assignee or "" for item in _backlog(ctx).items))


def complete_objective(ctx: Any, incomplete: str) -> Candidates:
    """``--objective``: declared objectives and key results, and those items link to."""

    def find() -> Candidates:
        from backlogctl.hierarchy import declared_keys

        backlog = _backlog(ctx)
        declared = declared_keys([*_settings(ctx).objectives, *backlog.objectives])
        return _shown([*declared, *(item.objective or "" for item in backlog.items)])

    return _quietly(find)


def complete_stakeholder(ctx: Any, incomplete: str) -> Candidates:
    """``--stakeholder``: declared stakeholders (the config's too) and the names items use."""

    def find() -> Candidates:
        backlog = _backlog(ctx)
        declared = [stakeholder.name for stakeholder in backlog.stakeholders]
        used = [name for item in backlog.items for name in item.stakeholders]
        return _shown([*declared, *used])

    return _quietly(find)
