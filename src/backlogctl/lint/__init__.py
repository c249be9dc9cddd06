"""Lint engine and rules: backlog hygiene findings with rule codes."""
