"""The ``jira:`` section of the configuration. Never holds the token (env vars or keyring)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class JiraSettings(BaseModel):
    """Connection and field mapping for a Jira Cloud or Server/Data Center instance."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = None
    email: str | None = None
    jql: str | None = None
    deployment: Literal["auto", "cloud", "server"] = "auto"
    fields: dict[str, str] = Field(default_factory=dict)
    timeout: float = 60.0
    changelog: bool = False
