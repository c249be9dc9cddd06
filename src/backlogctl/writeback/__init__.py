"""Writing results back: atomic files, YAML round-trip edits, Jira field updates."""
