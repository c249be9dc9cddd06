"""What the ``jira`` commands do besides pulling: list fields, check a setup, write a snapshot."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from backlogctl.connectors.jira_client import JiraClient
from backlogctl.connectors.jira_credentials import resolve_credentials
from backlogctl.connectors.jira_fields import check_targets, resolve_fields
from backlogctl.connectors.jira_types import JiraField, scalar_text
from backlogctl.connectors.yaml_emit import emit_document
from backlogctl.models import Backlog
from backlogctl.sanitize import quoted, shorten, visible

if TYPE_CHECKING:
    from backlogctl.config import Config
    from backlogctl.connectors.jira_types import Warn


def list_fields(
    config: Config,
    *,
    search: str | None = None,
    url: str | None = None,
    email: str | None = None,
    timeout: float | None = None,
    warn: Warn | None = None,
) -> list[JiraField]:
    """The server's fields, sorted by name, optionally filtered by a case-insensitive text."""
    credentials = resolve_credentials(config, url=url, email=email, warn=warn)
    client = JiraClient(credentials, config, timeout=timeout)
    fields = [_field(entry) for entry in client.fields()]
    if search:
        wanted = search.lower()
        fields = [f for f in fields if wanted in f.name.lower() or wanted in f.id.lower()]
    return sorted(fields, key=lambda f: (f.name.lower(), f.id))


def _field(entry: dict[str, Any]) -> JiraField:
    schema = entry.get("schema")
    schema = schema if isinstance(schema, dict) else {}
    kind = scalar_text(schema.get("type"))
    if kind == "array" and scalar_text(schema.get("items")):
        kind = f"array<{scalar_text(schema.get('items'))}>"
    field_id = scalar_text(entry.get("id"), "?")
    return JiraField(
        id=field_id,
        name=scalar_text(entry.get("name")) or field_id,
        type=kind or "-",
        custom=bool(entry.get("custom")),
    )


def check_jira(
    config: Config,
    *,
    jql: str | None,
    url: str | None = None,
    email: str | None = None,
    timeout: float | None = None,
    on_step: Callable[[str], None],
    warn: Warn | None = None,
) -> None:
    """Verify URL, credentials, mapping and JQL in that order, reporting each passed step.

    The first failing step raises its ``InputError``/``SourceError`` with what is wrong.
    """
    check_targets(config)
    credentials = resolve_credentials(config, url=url, email=email, warn=warn)
    on_step(f"token found for {credentials.url} (as {credentials.who})")
    client = JiraClient(credentials, config, timeout=timeout)
    info = client.server_info()
    deployment = client.detect_deployment()
    title = _shown(info.get("serverTitle") or "Jira")
    version = _shown(info.get("version") or "")
    kind = "Cloud" if deployment == "cloud" else "Server/Data Center"
    on_step(f"server reachable: {title} {version} ({kind})".replace("  ", " "))
    user = client.myself()
    on_step(
        f"authenticated as {_shown(user.get('displayName') or user.get('emailAddress') or '?')}"
    )
    if config.jira.fields:
        resolved = resolve_fields(config, client.fields())
        mapped = ", ".join(f"{target} -> {field_id}" for target, field_id in resolved.items())
        on_step(f"field mapping ok: {mapped}")
    query = jql or config.jira.jql
    if not query:
        on_step("no JQL to check (pass --jql or set jira.jql)")
        return
    if deployment == "cloud":
        count = client.request_object(
            "POST", "search/approximate-count", what="checking the JQL", body={"jql": query}
        ).get("count")
    else:
        count = client.request_object(
            "POST",
            "search",
            what="checking the JQL",
            body={"jql": query, "maxResults": 0, "fields": ["id"]},
        ).get("total")
    on_step(f"JQL ok: about {_shown(count)} issues match {quoted(query)}")


def _shown(value: Any) -> str:
    """A server-supplied value for a one-line message: cut and with controls escaped."""
    return visible(shorten(scalar_text(value, "?"), 120))


#: First line of every snapshot: marks a file ``jira pull -o`` may replace without ``--force``.
SNAPSHOT_MARKER = "# backlogctl jira pull snapshot"


def is_snapshot(text: str) -> bool:
    """Whether ``text`` (a file's start) is a snapshot written by ``snapshot_yaml``."""
    return text.startswith(SNAPSHOT_MARKER)


def snapshot_yaml(backlog: Backlog, *, name: str) -> str:
    """A YAML backlog file (``name:`` + ``items:``) the YAML connector reads back offline.

    Its first line is ``SNAPSHOT_MARKER``, so the next pull may replace it. Written by
    backlogctl's own emitter (``yaml_emit``), which quotes every text that would read back
    as something else and checks the document by parsing it again.
    """
    items = [_compact(item.model_dump(mode="json", exclude={"source"})) for item in backlog.items]
    document: dict[str, Any] = {"name": name}
    if backlog.dependency_statuses:
        # Linked issues outside the query: offline, a done one still counts as done.
        document["dependency_statuses"] = dict(backlog.dependency_statuses)
    document["items"] = items
    text = emit_document(document, plain_fields=_DATE_FIELDS)
    return f"{SNAPSHOT_MARKER} (the next pull replaces this file)\n---\n{text}"


#: Item fields written as ISO date-times, unquoted as a person would write them.
_DATE_FIELDS = frozenset(
    {"created", "updated", "status_changed", "due", "blocked_since", "resolved"}
)


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values so the snapshot reads like a hand-written backlog."""
    result: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v is not None and v != []}
        if value is None or value == [] or value == {}:
            continue
        result[key] = value
    return result
