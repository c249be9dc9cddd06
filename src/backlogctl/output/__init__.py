"""Renderers: turn results into text (table, JSON, CSV, Markdown, ...). They only format."""
