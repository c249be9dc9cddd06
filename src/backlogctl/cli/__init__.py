"""Command-line interface (Typer). Commands are thin: parse, call the core, render, exit."""
