"""Resolve the sources a command names (paths, ``-``, a JQL query, or config) into a Backlog.

This is the library entry point for loading: ``load_backlog(["examples/"], config)``.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from backlogctl.config import Config
from backlogctl.declarations import merge_declarations
from backlogctl.errors import InputError
from backlogctl.models import Backlog
from backlogctl.sanitize import quoted

if TYPE_CHECKING:
    from backlogctl.connectors.jira import ProgressFactory

Warn = Callable[[str], None]


def load_backlog(
    sources: Sequence[str],
    config: Config,
    *,
    jql: str | None = None,
    warn: Warn | None = None,
    progress: ProgressFactory | None = None,
) -> Backlog:
    """Load items from ``sources`` (YAML paths or ``-``) and/or a Jira ``jql`` query.

    With neither, the config's ``sources:`` are used, else its ``jira.jql``. ``progress``
    opens the display a Jira pull reports to (the CLI's progress bar).
    Raises ``InputError`` (exit 2) or ``SourceError`` (exit 3).
    """
    paths = list(sources)
    if not paths and jql is None:
        paths = [config.resolve_source(source) for source in config.sources]
        if not paths:
            jql = config.jira.jql
        if not paths and jql is None:
            raise InputError(
                "no backlog source: pass a YAML file or directory, --jql, "
                "or set 'sources:' or 'jira.jql' in backlogctl.yaml"
            )
    # The only place the cyclic GC is touched (bench/README.md, "rank"): loading allocates
    # millions of objects that form no cycles; with the GC on, its collections rescan all of
    # them again and again while loading, and again during every later step.
    gc.disable()
    try:
        backlog = _load(paths, config, jql, warn, progress)
        # Items already loaded are moved out of the GC's reach; reference counting still
        # frees them. Done before the GC is back on, so no collection walks them first.
        gc.freeze()
    finally:
        gc.enable()
    backlog.objectives, backlog.stakeholders = merge_declarations(
        config.objectives, backlog.objectives, config.stakeholders, backlog.stakeholders
    )
    # YAML files are counted before their items are built; a Jira result only once pulled,
    # but still before any command works on it.
    limit = config.limits.max_items
    if len(backlog.items) > limit:
        raise InputError(
            f"more than {limit:,} items ({len(backlog.items):,}); raise 'limits.max_items' "
            "in the config if this backlog is really that large"
        )
    return backlog


def _load(
    paths: list[str],
    config: Config,
    jql: str | None,
    warn: Warn | None,
    progress: ProgressFactory | None,
) -> Backlog:
    backlogs: list[Backlog] = []
    if paths:
        from backlogctl.connectors.yaml_file import read_yaml_sources

        backlogs.append(read_yaml_sources(paths, config, warn=warn))
    if jql is not None:
        from backlogctl.connectors.jira import read_jira_backlog

        backlogs.append(read_jira_backlog(jql, config, warn=warn, progress=progress))
    return _merge(backlogs)


def _merge(backlogs: list[Backlog]) -> Backlog:
    if len(backlogs) == 1:
        return backlogs[0]
    seen: dict[str, str] = {}
    merged = Backlog()
    for backlog in backlogs:
        for item in backlog.items:
            if item.key in seen:
                raise InputError(
                    f"duplicate key {quoted(item.key)} (also at {seen[item.key]})",
                    location=str(item.source),
                )
            seen[item.key] = str(item.source)
            merged.items.append(item)
        merged.objectives.extend(backlog.objectives)
        merged.stakeholders.extend(backlog.stakeholders)
        merged.warnings.extend(backlog.warnings)
        merged.dependency_statuses.update(backlog.dependency_statuses)
    return merged
