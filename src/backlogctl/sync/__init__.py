"""Write-back: plan and apply changes to the sources (YAML rank lines, Jira fields and Rank).

Each module plans first (pure data, nothing written, shown as a dry run) and applies a plan
second, through ``writeback/`` for files.
"""
