"""Where backlogctl writes files and, later, Jira: every change it makes outside stdout.

Today this holds ``atomic.write_text_atomic``, used for ``-o FILE``, ``init``, baselines and
the Jira cache. Writing scores or ranks back to YAML backlogs (round-trip edits that keep
comments) and to Jira fields belongs here too, so that reading (``connectors``) and writing
stay separate and every write goes through one careful path.

This package imports only ``backlogctl.errors``: the commands call it with what to write.
"""
