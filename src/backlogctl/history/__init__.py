"""Rank history: snapshots of rankings and lint findings in SQLite, and diffs between states.

The library API (used by ``backlogctl snapshot``, ``backlogctl diff`` and the report):

- ``state.capture(backlog, config, models, as_of)``: a backlog's ``BacklogState`` (items,
  each model's ranking, lint findings by fingerprint);
- ``location.history_path(config, override)``: where the history file is;
- ``store.open_history(path)``: the ``HistoryStore`` (``add``, ``snapshots``, ``resolve``,
  ``load``), created on first use, migrated to the current schema when older;
- ``diff.diff_states(old, new, model)``: what changed between two states under one model.

Submodules are imported where used: ``sqlite3`` must not load for other commands.
"""
