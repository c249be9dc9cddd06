"""Pytest fixtures and helpers for the Jira tests (import the fixtures into a test module).

Every test runs with a recognizable token, an isolated cache dir, no stray Jira env vars and
a tiny backoff, so fault tests stay fast and any token leak is easy to spot.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backlogctl.config import Config, load_config
from jira_emulator.server import JiraEmulator

EMAIL = "po@example.com"
#: Recognizable on purpose: tests assert it never appears in any output. ``+/=%`` make its
#: URL-quoted form differ from it, so scrubbing that form is tested too.
TOKEN = "tok+LEAK/CHECK=7f3a%9c1e5b"
FAST_RETRY = {"attempts": 3, "backoff": 0.01, "max_backoff": 0.05, "request_timeout": 5}
STORY_MAPPING = {
    "estimate": "Story point estimate",
    "rank": "Rank",
    "rice.reach": "Reach",
    "rice.impact": "Impact",
    "rice.confidence": "Confidence",
    "rice.effort": "Effort",
    "objective": "Objective",
}


@pytest.fixture
def jira_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Token in the environment, an empty cache dir (returned), no other Jira variables."""
    for name in ("BACKLOGCTL_JIRA_URL", "BACKLOGCTL_JIRA_EMAIL", "JIRA_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BACKLOGCTL_JIRA_TOKEN", TOKEN)
    cache = tmp_path / "cache"
    monkeypatch.setenv("BACKLOGCTL_CACHE_DIR", str(cache))
    return cache


@pytest.fixture
def cloud(jira_env: Path) -> Iterator[JiraEmulator]:
    """A running Cloud emulator with no issues, accepting EMAIL + TOKEN."""
    with JiraEmulator(flavour="cloud", email=EMAIL, token=TOKEN) as emulator:
        yield emulator


@pytest.fixture
def server(jira_env: Path) -> Iterator[JiraEmulator]:
    """A running Server/DC emulator (bearer PAT) with no issues and 10-issue pages."""
    with JiraEmulator(
        flavour="server", email=EMAIL, token=TOKEN, server_max_results=10
    ) as emulator:
        yield emulator


def jira_section(emulator: JiraEmulator, **overrides: Any) -> dict[str, Any]:
    """The ``jira:`` config for ``emulator``: basic auth on Cloud, PAT (no email) on Server."""
    section: dict[str, Any] = {
        "url": emulator.url,
        "timeout": 10,
        "retry": dict(FAST_RETRY),
        "fields": dict(STORY_MAPPING),
    }
    if emulator.flavour == "cloud":
        section["email"] = EMAIL
    section.update(overrides)
    return section


def config_for(emulator: JiraEmulator, **overrides: Any) -> Config:
    """A validated Config pointing at ``emulator``."""
    return Config.model_validate({"jira": jira_section(emulator, **overrides)})


def write_config(directory: Path, emulator: JiraEmulator, **overrides: Any) -> Path:
    """Write ``backlogctl.yaml`` for ``emulator`` into ``directory`` and check it loads."""
    import yaml_rs

    path = directory / "backlogctl.yaml"
    path.write_text(yaml_rs.dumps({"jira": jira_section(emulator, **overrides)}), encoding="utf-8")
    load_config(path)
    return path


def secret_forms(email: str = EMAIL, token: str = TOKEN) -> list[str]:
    """Every form in which the token could leak: as is, as the basic-auth header value
    (base64 of ``email:token``), and each of those URL-quoted."""
    import base64
    from urllib.parse import quote

    basic = base64.b64encode(f"{email}:{token}".encode()).decode()
    return [token, basic, quote(token, safe=""), quote(basic, safe="")]


def captured_text(caplog: pytest.LogCaptureFixture) -> str:
    """Everything logged during the test, messages and exception text included."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)
