"""Command-line interface (Typer). Commands are thin: parse, call the core, render, exit.

- ``app.py``: the application, command registration and the one error handler (a
  ``BacklogctlError`` is one line on stderr with its exit code; a bug is one line naming
  its type; ``--debug`` adds the traceback; a closed stdout pipe exits 141 quietly).
- ``common.py``: options shared by the commands (sources, ``--config``, filters, ``-o``),
  loading, filtering, and the warning and note lines on stderr.
- ``params.py``: the parameters Typer builds, made readable in ``--help`` and plain in
  their error messages.
- ``completion.py``: shell completion of option values (models, rule codes, item keys).
- one module per command group (``rank.py``, ``lint.py``, ``compare.py``, ``jira_cmd.py``,
  ``config_cmd.py`` with ``starter.py``, the files ``init`` writes).

The command modules and ``completion.py`` leave out ``from __future__ import annotations``,
unlike the rest of the package: Typer reads their signatures on every run, twice
(``inspect.signature(eval_str=True)`` and ``get_type_hints``), and string annotations would
be compiled again each time (bench/README.md has the start-up figures). Names imported only
for type checking are quoted where they annotate helpers.
"""
