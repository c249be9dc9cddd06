"""A local Jira REST emulator (Cloud and Server/DC flavours) for backlogctl's tests and bench."""

from __future__ import annotations

from jira_emulator.data import adf_paragraph, field_list, link, make_issue, make_issues
from jira_emulator.server import Fault, JiraEmulator, Request

__all__ = [
    "Fault",
    "JiraEmulator",
    "Request",
    "adf_paragraph",
    "field_list",
    "link",
    "make_issue",
    "make_issues",
]
