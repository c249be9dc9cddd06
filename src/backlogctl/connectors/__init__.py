"""Connectors: fetch backlog items from a source and map them to ``BacklogItem``."""
