"""Where backlogctl writes files and, later, Jira: every change it makes outside stdout.

``atomic.write_text_atomic`` writes every file (``-o FILE``, ``init``, baselines, the Jira
cache, ``rank --write``); ``yaml_rank`` computes the targeted text edits that set items'
``rank:`` values in a YAML backlog (planned by ``sync/yaml_rank.py``). Reading stays in
``connectors``, writing here, so every write goes through one careful path.

This package imports only ``backlogctl.errors``: the commands call it with what to write.
"""
