"""Command-line interface (Typer). Commands are thin: parse, call the core, render, exit.

The command modules (not ``progress.py``) leave out ``from __future__ import annotations``,
unlike the rest of the package: Typer reads every command's annotations on each run, twice
(``inspect.signature(eval_str=True)`` and ``get_type_hints``), and with string annotations
that meant compiling ~180 strings per invocation (13 ms of every command's start-up).
Names imported only for type checking are quoted where they annotate helpers.
"""
