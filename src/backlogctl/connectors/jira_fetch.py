"""A full pull: every issue of a query, fetched with bounded concurrency, mapped as it arrives.

Cloud: one search page with the mapped fields; when there is more, a key-only listing
(up to 5,000 per page) then ``issue/bulkfetch`` calls of 100 issues, several at a time.
Server/DC: the first ``startAt`` page gives the total; the other pages are fetched
concurrently. The first request failing after its retries aborts the others and is raised:
never a partial backlog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from backlogctl.connectors.jira_fields import map_issues, requested_fields
from backlogctl.connectors.jira_pages import (
    FIELDS_PAGE,
    KEYS_PAGE,
    SERVER_PAGE,
    bulkfetch,
    cloud_page,
    cloud_pages,
    server_page,
)

if TYPE_CHECKING:
    from backlogctl.config import Config
    from backlogctl.connectors.jira_client import JiraClient
    from backlogctl.connectors.jira_types import Report, Warn
    from backlogctl.models import BacklogItem

_T = TypeVar("_T")

#: Issues per ``issue/bulkfetch`` call (Atlassian's documented maximum).
BULK_SIZE = 100


class IssueMapper:
    """Maps each batch as it arrives, on the calling thread, while other requests are in flight.

    Remembers the order issues were listed in, so the backlog keeps the query's order.
    """

    def __init__(self, field_ids: dict[str, str], config: Config, server: str, warn: Warn) -> None:
        self.field_ids = field_ids
        self.fields = requested_fields(field_ids, links=bool(config.jira.dependency_links))
        self._config = config
        self._server = server
        self._warn = warn
        self._by_id: dict[str, BacklogItem] = {}
        self.order: list[str] = []
        self.lexoranks: dict[str, str] = {}
        #: Cached issues that left the query (found by an incremental pull).
        self.removed = 0

    def add(self, issues: list[dict[str, Any]], *, listed: bool = True) -> int:
        """Map ``issues``; with ``listed``, their order is the backlog order. Returns the count."""
        items, lexoranks = map_issues(
            issues, self.field_ids, self._config, self._server, warn=self._warn
        )
        for raw, item in zip(issues, items, strict=True):
            issue_id = raw["id"]
            if listed and issue_id not in self._by_id:
                self.order.append(issue_id)
            self._by_id[issue_id] = item
        self.lexoranks.update(lexoranks)
        return len(items)

    def items(self) -> list[BacklogItem]:
        """Mapped items in listing order; issues gone between listing and fetch are absent."""
        return [self._by_id[issue_id] for issue_id in self.order if issue_id in self._by_id]


def fetch_all(client: JiraClient, jql: str, mapper: IssueMapper, report: Report | None) -> None:
    """Every issue of ``jql`` into ``mapper``, in the query's order."""
    if client.deployment == "cloud":
        _cloud_fetch_all(client, jql, mapper, report)
    else:
        _server_fetch_all(client, jql, mapper, report)


def wait_first(client: JiraClient, future: Future[_T]) -> _T:
    """The result of ``future``; its failure aborts the client's other requests."""
    try:
        return future.result()
    except BaseException:
        client.abort()
        raise


def _cloud_fetch_all(
    client: JiraClient, jql: str, mapper: IssueMapper, report: Report | None
) -> None:
    # Bulk fetches of 100 issues are light next to Server/DC pages of 1,000: twice as many.
    with ThreadPoolExecutor(max_workers=2 * client.settings.concurrency) as pool:
        count: Future[dict[str, Any]] | None = None
        if report is not None:
            count = pool.submit(
                client.request_object,
                "POST",
                "search/approximate-count",
                what="counting issues",
                body={"jql": jql},
            )
        issues, following = cloud_page(
            client, jql, mapper.fields, FIELDS_PAGE, None, "searching issues"
        )
        if following is None:
            mapper.add(issues)
            return
        listing = pool.submit(_list_ids, client, jql)
        done = mapper.add(issues, listed=False)
        if report is not None:
            report(done, _approximate_total(count))
        ids = wait_first(client, listing)
        mapper.order = list(dict.fromkeys(ids))
        have = {issue["id"] for issue in issues}
        missing = [issue_id for issue_id in mapper.order if issue_id not in have]
        chunks = [missing[i : i + BULK_SIZE] for i in range(0, len(missing), BULK_SIZE)]
        jobs = [partial(_bulkfetch, client, chunk, mapper.fields) for chunk in chunks]

        def on_result(batch: list[dict[str, Any]]) -> None:
            nonlocal done
            done += mapper.add(batch, listed=False)
            if report is not None:
                report(done, len(mapper.order))

        run_bounded(client, pool, jobs, on_result)


def _approximate_total(count: Future[dict[str, Any]] | None) -> int | None:
    if count is None:
        return None
    try:
        value = count.result().get("count")
    except Exception:
        return None  # the count only feeds the progress bar
    return value if isinstance(value, int) else None


def _list_ids(client: JiraClient, jql: str) -> list[str]:
    pages = cloud_pages(client, jql, ["id"], size=KEYS_PAGE, what="listing issues")
    return [issue["id"] for page in pages for issue in page.issues]


def _bulkfetch(client: JiraClient, ids: list[str], fields: list[str]) -> list[dict[str, Any]]:
    return bulkfetch(
        client, ids, fields, what="fetching issues", changelog=client.settings.changelog
    )


def run_bounded(
    client: JiraClient,
    pool: ThreadPoolExecutor,
    jobs: Sequence[Callable[[], _T]],
    on_result: Callable[[_T], None],
) -> None:
    """Run ``jobs`` on ``pool``, handing each result to ``on_result`` as it completes.

    The first failure aborts the other jobs and is raised: never a partial backlog.
    """
    futures = [pool.submit(job) for job in jobs]
    pending = set(futures)
    try:
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                on_result(future.result())
    except BaseException:
        client.abort()
        for other in pending:
            other.cancel()
        raise


def _server_fetch_all(
    client: JiraClient, jql: str, mapper: IssueMapper, report: Report | None
) -> None:
    what = "searching issues"
    first, size = server_page(client, jql, mapper.fields, 0, SERVER_PAGE, what)
    total = first.total or 0
    starts = list(range(size, total, size)) if first.issues else []
    pages: dict[int, list[dict[str, Any]]] = {}
    done = 0

    def on_result(result: tuple[int, list[dict[str, Any]]]) -> None:
        nonlocal done
        start, batch = result
        pages[start] = batch
        done += mapper.add(batch, listed=False)
        if report is not None:
            report(done, total)

    def fetch(start: int) -> tuple[int, list[dict[str, Any]]]:
        page, _ = server_page(client, jql, mapper.fields, start, size, what)
        return start, page.issues

    on_result((0, first.issues))
    with ThreadPoolExecutor(max_workers=client.settings.concurrency) as pool:
        run_bounded(client, pool, [partial(fetch, start) for start in starts], on_result)
    # Pages can overlap when issues change during the pull; each issue is kept once.
    mapper.order = list(
        dict.fromkeys(issue["id"] for start in sorted(pages) for issue in pages[start])
    )
