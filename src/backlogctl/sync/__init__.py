"""Write-back: plan and apply changes to the sources (YAML rank lines, Jira fields and Rank)."""
