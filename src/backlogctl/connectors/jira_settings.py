"""The ``jira:`` section of the configuration. Never holds the token (env vars or keyring)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class RetrySettings(BaseModel):
    """backlogctl's own retry policy (the library's is disabled): bounded, with jitter."""

    model_config = ConfigDict(extra="forbid")

    #: Attempts per request, the first included.
    attempts: int = Field(default=5, ge=1, le=20)
    #: First backoff in seconds; doubles per attempt, with jitter, up to ``max_backoff``.
    backoff: float = Field(default=0.5, ge=0)
    max_backoff: float = Field(default=10.0, ge=0)
    #: Per-request connect/read timeout in seconds (capped by what is left of ``timeout``).
    request_timeout: float = Field(default=30.0, gt=0)


class PushSettings(BaseModel):
    """Defaults of ``backlogctl jira push``."""

    model_config = ConfigDict(extra="forbid")

    #: Numeric field the scores are written to (name or id, like ``jira.fields``).
    score_field: str | None = None
    #: Largest plan applied (one operation = one write request); a larger one is refused.
    max_operations: int = Field(default=500, ge=1)


class MarkSettings(BaseModel):
    """Defaults of ``jira mark`` (its command-line options override them)."""

    model_config = ConfigDict(extra="forbid")

    #: The label put on issues with a selected finding (Jira labels hold no spaces).
    label: str = Field(default="backlogctl-flagged", min_length=1, max_length=255)
    #: Posted once on an issue when the label is added (none by default).
    comment: str | None = Field(default=None, min_length=1, max_length=30_000)
    #: Rule codes or prefixes whose findings flag an issue (``--select`` overrides them).
    select: list[str] = Field(default_factory=list)
    #: Default of ``--max-operations``: a larger plan is refused before any write.
    max_operations: int = Field(default=500, ge=1)

    @field_validator("label")
    @classmethod
    def _one_word(cls, label: str) -> str:
        """A Jira label is one word: no whitespace."""
        if any(character.isspace() for character in label):
            raise ValueError("a Jira label cannot contain spaces")
        return label


class JiraSettings(BaseModel):
    """Connection and field mapping for a Jira Cloud or Server/Data Center instance."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = None
    #: Allow a plain ``http://`` URL to another machine (the token then travels unencrypted).
    allow_http: bool = False
    email: str | None = None
    jql: str | None = None
    deployment: Literal["auto", "cloud", "server"] = "auto"
    #: item field (``estimate``, ``rice.reach``, ``fields.revenue``...) -> Jira field name or id.
    fields: dict[str, str] = Field(default_factory=dict)
    #: Total time budget of one pull, retries and waits included (``--timeout`` overrides).
    timeout: float = Field(default=60.0, gt=0)
    #: Read status-change dates from the changelog (costs larger responses).
    changelog: bool = False
    #: Issue link types whose inward side ("is blocked by" for ``Blocks``) is a dependency:
    #: such links become ``depends_on``. ``[]`` turns dependencies off (no ``issuelinks``
    #: requested, no lookups of linked issues).
    dependency_links: list[str] = Field(default_factory=lambda: ["Blocks"])
    retry: RetrySettings = Field(default_factory=RetrySettings)
    #: Parallel requests once the work is known: Server/DC search pages (up to 1,000 issues
    #: each); Cloud bulk fetches are ten times smaller (100 issues), so twice as many run.
    concurrency: int = Field(default=4, ge=1, le=8)
    #: Keep an incremental-sync cache so a repeat pull fetches only changed issues.
    cache: bool = True
    #: A cached pull older than this is refreshed in full (also catches deleted issues).
    full_sync_hours: float = Field(default=24.0, ge=0)
    push: PushSettings = Field(default_factory=PushSettings)
    #: ``jira mark``: the label, comment and rule selection of the nightly marking.
    mark: MarkSettings = Field(default_factory=MarkSettings)
