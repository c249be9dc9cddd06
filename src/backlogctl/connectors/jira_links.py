"""Jira issue links as dependencies, and the statuses of linked issues outside the pull.

An issue's ``issuelinks`` entry of a type listed in ``jira.dependency_links`` (default
``Blocks``) whose other issue sits on the inward side ("is blocked by") makes this issue
depend on that one. A dependency outside the pulled issues is looked up (status only, at
most ``LOOKUP_BATCH`` keys per request) so that a done one counts as done: Cloud asks
``issue/bulkfetch``, which reports keys it cannot find instead of failing; Server/DC asks
``key in (...)``, which Jira answers with 400 when one key does not exist, so a refused batch
is split in halves until the missing keys stand alone. A key Jira does not know (deleted, or
not visible to this user) is left out: it is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, Any

from backlogctl.connectors.jira_pages import bulkfetch, jql_string, server_page
from backlogctl.errors import InputError
from backlogctl.models import BacklogItem, StatusCategory

if TYPE_CHECKING:
    from backlogctl.config import Config
    from backlogctl.connectors.jira_client import JiraClient

#: Keys per status lookup (``issue/bulkfetch`` takes at most 100; a JQL list stays short).
LOOKUP_BATCH = 100

_CATEGORY: dict[str, StatusCategory] = {
    "new": "todo",
    "indeterminate": "in_progress",
    "done": "done",
}


def link_types(config: Config) -> frozenset[str]:
    """The configured dependency link type names, casefolded (empty: dependencies off)."""
    return frozenset(name.strip().casefold() for name in config.jira.dependency_links)


def blocking_keys(links: Any, types: frozenset[str], own_key: str) -> list[str]:
    """Keys of the issues that block this one through links of ``types``, in link order.

    Entries of another shape (a link without a type or key, a value that is not a list) are
    skipped: one odd link never costs the issue.
    """
    if not types or not isinstance(links, list):
        return []
    keys: list[str] = []
    for link in links:
        if not isinstance(link, dict):
            continue
        kind = link.get("type")
        name = kind.get("name") if isinstance(kind, dict) else None
        other = link.get("inwardIssue")
        key = other.get("key") if isinstance(other, dict) else None
        if (
            isinstance(name, str)
            and name.casefold() in types
            and isinstance(key, str)
            and key
            and key != own_key
        ):
            keys.append(key)
    return list(dict.fromkeys(keys))


def outside_keys(items: Iterable[BacklogItem]) -> set[str]:
    """Keys the items depend on that are not among them."""
    pulled: set[str] = set()
    named: set[str] = set()
    for item in items:
        pulled.add(item.key)
        named.update(item.depends_on)
    return named - pulled


def category_of(status: Any, config: Config) -> StatusCategory:
    """The status category of a Jira ``status`` object (its category key, else its name)."""
    status = status if isinstance(status, dict) else {}
    category = status.get("statusCategory")
    key = category.get("key") if isinstance(category, dict) else None
    if isinstance(key, str) and key in _CATEGORY:
        return _CATEGORY[key]
    name = status.get("name")
    found = config.status_category(name) if isinstance(name, str) else None
    return found or "todo"


def lookup_statuses(
    client: JiraClient, keys: Sequence[str], config: Config
) -> dict[str, StatusCategory]:
    """The status category of each of ``keys`` that Jira knows, a few requests at a time."""
    # jira_fetch maps issues through jira_fields, which reads links from here.
    from backlogctl.connectors.jira_fetch import run_bounded

    wanted = sorted(set(keys))
    if not wanted:
        return {}
    batches = [wanted[at : at + LOOKUP_BATCH] for at in range(0, len(wanted), LOOKUP_BATCH)]
    lookup = _cloud_lookup if client.deployment == "cloud" else _server_lookup
    found: dict[str, StatusCategory] = {}

    def on_result(issues: list[dict[str, Any]]) -> None:
        for issue in issues:
            fields = issue.get("fields") or {}
            found[issue["key"]] = category_of(fields.get("status"), config)

    jobs = [partial(lookup, client, batch) for batch in batches]
    with ThreadPoolExecutor(max_workers=client.settings.concurrency) as pool:
        run_bounded(client, pool, jobs, on_result)
    # A moved issue answers under its new key: only the keys asked for count.
    return {key: found[key] for key in wanted if key in found}


_WHAT = "looking up linked issues"


def _cloud_lookup(client: JiraClient, keys: list[str]) -> list[dict[str, Any]]:
    return bulkfetch(client, keys, ["status"], what=_WHAT)


def _server_lookup(
    client: JiraClient, keys: list[str], *, named: bool = True
) -> list[dict[str, Any]]:
    quoted = ", ".join(jql_string(key) for key in keys)
    try:
        page, _ = server_page(client, f"key in ({quoted})", ["status"], 0, len(keys), _WHAT)
    except InputError as refused:
        # One unknown key refuses the whole list. Jira's messages quote each one ("An issue
        # with key 'X' does not exist..."), whatever their language: ask again without those;
        # when the reply names none of them, halve the list until they stand alone.
        unknown = {key for key in keys if f"'{key}'" in refused.message} if named else set()
        rest = [key for key in keys if key not in unknown]
        if unknown and rest:
            return _server_lookup(client, rest, named=False)
        if unknown or len(keys) == 1:
            return []
        middle = len(keys) // 2
        return _server_lookup(client, keys[:middle]) + _server_lookup(client, keys[middle:])
    return page.issues


def refresh_statuses(
    client: JiraClient,
    items: Iterable[BacklogItem],
    config: Config,
    previous: Mapping[str, StatusCategory],
    missing: Iterable[str],
    changed: set[str] | None,
) -> tuple[dict[str, StatusCategory], list[str]]:
    """Statuses of the dependencies outside ``items``, and the keys Jira does not know.

    ``previous`` and ``missing`` are what the last pull found; only the keys it did not ask
    about and those in ``changed`` (issues updated since; None: unknown, ask again for all)
    are looked up. Keys no item names any more are dropped.
    """
    outside = outside_keys(items) if config.jira.dependency_links else set()
    before = {**previous, **dict.fromkeys(missing, None)}
    if changed is None:
        ask = outside
    else:
        ask = {key for key in outside if key not in before or key in changed}
    found = lookup_statuses(client, sorted(ask), config)
    statuses = {key: previous[key] for key in outside - ask if key in previous}
    statuses.update(found)
    unknown = sorted(key for key in outside if key not in statuses)
    return dict(sorted(statuses.items())), unknown
